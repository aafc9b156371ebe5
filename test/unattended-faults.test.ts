// Safe to run unattended (issue 8): hung services, --timeout, a full disk, locks, kill -9 and signals, through the real `etl` binary.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startHungListener, type HungListener } from './support/hung-listener.js';
import { createTestDatabase, type TestDatabase } from './support/pg.js';
import { waitFor } from './support/wait.js';
import { processRunner, type Outcome, type Running, type RunOptions } from './support/processes.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'dist/cli/main.js');
const distUrl = (path: string): string => JSON.stringify(pathToFileURL(join(root, 'dist', path)).href);
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

let scratch: string;
let userJobs: string;
let lockHolder: string;
const mounts = new Set<string>();

const runner = processRunner({ cwd: () => scratch, killAfterMs: 60_000 });

/** A fresh directory under this file's scratch directory. */
function tempDir(prefix: string): string {
  return mkdtempSync(join(scratch, `${prefix}-`));
}

/** Runs `etl` to its end. */
const etl = (args: readonly string[], options: RunOptions = {}): Outcome => runner.runSync(process.execPath, [bin, ...args], options);

/** Starts a process in the background; it is killed when the test ends, or after `killAfterMs`. */
const start = (command: string, args: readonly string[], options: RunOptions = {}): Running => runner.start(command, args, options);

const startEtl = (args: readonly string[], options: RunOptions = {}): Running => start(process.execPath, [bin, ...args], options);

/** Runs `etl` to its end without blocking this process (needed when this process serves it: a hung listener). */
const etlAsync = (args: readonly string[], options: RunOptions = {}): Promise<Outcome> => startEtl(args, options).done;


/** The status of the latest run recorded by process `pid`, or undefined (also before job_run exists). */
async function recordedStatus(db: TestDatabase, pid: number): Promise<string | undefined> {
  try {
    const { rows } = await db.pool.query<{ status: string }>('SELECT status FROM etl.job_run WHERE pid = $1 ORDER BY id DESC LIMIT 1', [pid]);
    return rows[0]?.status;
  } catch (error) {
    if (['42P01', '3F000'].includes((error as { code?: string }).code ?? '')) return undefined;
    throw error;
  }
}

/** Waits until `run` is recorded running; fails at once, with its stderr, if it exits first. */
async function untilRunning(db: TestDatabase, run: Running): Promise<void> {
  await waitFor(`process ${run.pid} to be recorded running`, async () => {
    if (run.exited()) throw new Error(`etl exited before its run was recorded running; stderr:\n${run.stderr()}`);
    return (await recordedStatus(db, run.pid)) === 'running' ? true : undefined;
  });
}

/** A PostgreSQL database for this test only. */
async function testDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase('etl_unattended');
  onTestFinished(() => db.drop());
  return db;
}

/** A listener that never answers, for this test only. */
async function hungListener(): Promise<HungListener> {
  const listener = await startHungListener();
  onTestFinished(() => listener.close());
  return listener;
}

function writeConfig(dir: string, config: unknown): string {
  const file = join(dir, 'etl.config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

interface RunRecordJson {
  readonly id: number;
  readonly job: string;
  readonly status: string;
  readonly error: string | null;
  readonly pid: number | null;
}

function listRuns(outcome: Outcome): RunRecordJson[] {
  expect(outcome.code, outcome.stderr).toBe(0);
  return JSON.parse(outcome.stdout) as RunRecordJson[];
}

function unmount(dir: string): void {
  if (!mounts.has(dir)) return;
  const result = spawnSync('umount', [dir], { encoding: 'utf8' });
  if (result.status !== 0) spawnSync('umount', ['-l', dir]);
  mounts.delete(dir);
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'etl-unattended-faults-'));
  userJobs = join(scratch, 'hang-job.mjs');
  writeFileSync(
    userJobs,
    `import { graphBuilder, source, sink } from ${distUrl('graph/index.js')};
import { defineJob } from ${distUrl('jobs/job.js')};

export const hang = defineJob({
  name: 'hang', description: 'a source that waits until the run is cancelled', services: ['metricsDb'],
  build: () => {
    const b = graphBuilder('hang');
    b.source('wait', source(async function* (ctx) {
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
    })).to('out', sink(() => {}));
    return b.build();
  },
});
`,
  );
  lockHolder = join(scratch, 'lock-holder.mjs');
  writeFileSync(
    lockHolder,
    `import { lockDirectory } from ${distUrl('embedded/dir-lock.js')};
await lockDirectory(process.argv[2]);
process.stdout.write('locked\\n');
setInterval(() => {}, 60_000);
`,
  );
});

afterAll(() => {
  for (const dir of [...mounts]) unmount(dir);
  rmSync(scratch, { recursive: true, force: true });
});

describe('timeouts', () => {
  it('a source database that accepts and never answers fails its reader after connectTimeout, recorded, no password shown', async () => {
    const listener = await hungListener();
    const metrics = await testDatabase();
    const dir = tempDir('source-timeout');
    const config = writeConfig(dir, {
      sources: { website: { url: `postgres://etl:Sec@ret99x@127.0.0.1:${listener.port}/site`, connectTimeout: '1s' } },
      readers: { events: { source: 'website' } },
    });
    const env = { DATABASE_URL: metrics.url, ETL_DATA_DIR: join(dir, 'data') };
    const run = await etlAsync(['read', 'all', '--write', '--config', config], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(1);
    expect(run.ms).toBeLessThan(15_000);
    expect(listener.accepted()).toBeGreaterThan(0);
    expect(run.stderr).toContain("reader 'events': cannot connect to the source database: no answer within 1s (sources.website.connectTimeout)");
    for (const secret of ['Sec@ret99x', 'ret99x']) expect(run.stdout + run.stderr).not.toContain(secret);

    const listed = etl(['runs', '--json', '--config', config], { cwd: dir, env });
    const runs = listRuns(listed);
    expect(runs.map((r) => [r.job, r.status])).toEqual([['all', 'failed']]);
    expect(listed.stdout).not.toContain('ret99x');
  });

  it('a metrics database that never answers fails the command after metricsDatabase.connectTimeout', async () => {
    const listener = await hungListener();
    const dir = tempDir('metrics-timeout');
    const config = writeConfig(dir, { metricsDatabase: { connectTimeout: '1s' } });
    const run = await etlAsync(['runs', '--config', config], { cwd: dir, env: { DATABASE_URL: `postgres://etl:pw9911@127.0.0.1:${listener.port}/x`, ETL_DATA_DIR: join(dir, 'data') } });
    expect(run.code, run.stderr).toBe(1);
    expect(run.ms).toBeLessThan(15_000);
    expect(listener.accepted()).toBeGreaterThan(0);
    expect(run.stderr).toContain('no answer within 1s while connecting (metricsDatabase.connectTimeout)');
    expect(run.stdout + run.stderr).not.toContain('pw9911');
  });

  it('a GA4 Data API that never answers fails the reader after readers.googleAnalytics.timeout, no token shown', async () => {
    const listener = await hungListener();
    const dir = tempDir('ga-timeout');
    const config = writeConfig(dir, {
      readers: {
        googleAnalytics: {
          propertyId: '123',
          metrics: { sessions: 'ga.sessions' },
          accessToken: 'tok-secret-123',
          rootUrl: `http://127.0.0.1:${listener.port}/`,
          timeout: '1s',
        },
      },
    });
    const run = await etlAsync(['read', 'google-analytics', '--config', config], { cwd: dir, env: { ETL_DATA_DIR: join(dir, 'data') } });
    expect(run.code, run.stderr).toBe(1);
    expect(run.ms).toBeLessThan(15_000);
    expect(listener.accepted()).toBeGreaterThan(0);
    expect(run.stderr).toContain('no answer from the GA4 Data API within 1s');
    expect(run.stdout + run.stderr).not.toContain('tok-secret-123');
  });

  it('--timeout fails a hung run, records it failed and releases the embedded database at once', () => {
    const dir = tempDir('run-timeout');
    const env = { ETL_DATA_DIR: join(dir, 'data'), ETL_JOBS: userJobs };
    const prepare = etl(['db', 'migrate'], { cwd: dir, env, killAfterMs: 120_000 });
    expect(prepare.code, prepare.stderr).toBe(0);

    const run = etl(['run', 'hang', '--timeout', '1s'], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(1);
    expect(run.ms).toBeLessThan(15_000);
    expect(run.stderr).toContain('timed out after 1s');
    expect(existsSync(join(dir, 'data', 'metrics-db.lock'))).toBe(false);

    // Released at once: a next command neither waits for the lock (it would say so) nor fails after a short wait
    // (no wall-clock bound: a CLI start takes seconds on a loaded machine).
    const listed = etl(['runs', '--json'], { cwd: dir, env: { ...env, ETL_LOCK_WAIT: '1s' } });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stderr).not.toContain('waiting');
    const runs = listRuns(listed);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ job: 'hang', status: 'failed' });
    expect(runs[0]!.error).toContain('timed out after 1s');
  });

  it('--timeout 0 and --timeout soon are usage errors naming --timeout', () => {
    const dir = tempDir('bad-timeout');
    const env = { ETL_DATA_DIR: join(dir, 'data'), ETL_JOBS: userJobs };
    for (const args of [['run', 'hang'], ['read', 'events']]) {
      for (const value of ['0', 'soon']) {
        const run = etl([...args, '--timeout', value], { cwd: dir, env });
        expect(run.code, `etl ${args.join(' ')} --timeout ${value}: ${run.stderr}`).toBe(2);
        expect(run.stderr).toContain('--timeout');
      }
    }
    expect(existsSync(join(dir, 'data', 'metrics-db'))).toBe(false);
  });
});

describe('full disk', () => {
  it('a data directory too small for the embedded databases fails promptly, saying so, twice; --version still works', () => {
    const dir = tempDir('disk');
    const data = join(dir, 'data');
    mkdirSync(data);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=70m', 'tmpfs', data], { encoding: 'utf8' });
    expect(mount.status, `mount -t tmpfs failed (the tests run as root): ${mount.stderr}`).toBe(0);
    mounts.add(data);
    onTestFinished(() => unmount(data));
    const env = { ETL_DATA_DIR: data };

    const first = etl(['read', 'all', '--write'], { cwd: dir, env, killAfterMs: 120_000 });
    expect.soft(first.code, first.stderr).toBe(1);
    expect.soft(first.ms).toBeLessThan(60_000);
    expect.soft(first.stderr).toContain(`no space left under ${data}`);
    expect.soft(first.stderr).not.toContain('[object Object]');

    const again = etl(['read', 'all', '--write'], { cwd: dir, env, killAfterMs: 120_000 });
    expect.soft(again.code, again.stderr).toBe(1);
    expect.soft(again.ms).toBeLessThan(30_000);
    expect.soft(again.stderr).toContain(`no space left under ${data}`);
    expect.soft(again.stderr).not.toContain('[object Object]');

    const shown = etl(['--version'], { cwd: dir, env });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout.trim()).toBe(version);
  }, 240_000);
});

describe('locks', () => {
  it('waits for a live holder of the embedded database, says so at once, and gives up after ETL_LOCK_WAIT', async () => {
    const data = join(tempDir('lock-live'), 'data');
    mkdirSync(data);
    const holder = start(process.execPath, [lockHolder, join(data, 'metrics-db')]);
    await waitFor('the lock holder to hold the lock', () => {
      if (holder.exited()) throw new Error(`the lock holder exited: ${holder.stderr()}`);
      return holder.stdout().includes('locked') ? true : undefined;
    });

    const run = etl(['runs'], { env: { ETL_DATA_DIR: data, ETL_LOCK_WAIT: '1s' } });
    expect(run.code, run.stderr).toBe(1);
    expect(run.ms).toBeLessThan(15_000);
    const waiting = run.stderr.indexOf(`waiting for embedded metrics database ${data}/metrics-db: in use by process ${holder.pid}`);
    const gaveUp = run.stderr.indexOf(`is in use by process ${holder.pid}`, waiting + 1);
    expect(waiting, run.stderr).toBeGreaterThanOrEqual(0);
    expect(gaveUp, run.stderr).toBeGreaterThan(waiting);
    expect(holder.exited()).toBe(false);
  });

  it('takes over at once a lock whose PID now belongs to a process started at another time, and a legacy lock of a dead PID', () => {
    const data = join(tempDir('lock-stale'), 'data');
    const env = { ETL_DATA_DIR: data };
    const prepare = etl(['db', 'migrate'], { env, killAfterMs: 120_000 });
    expect(prepare.code, prepare.stderr).toBe(0);
    const lockFile = join(data, 'metrics-db.lock');

    writeFileSync(lockFile, JSON.stringify({ pid: process.pid, host: hostname(), start: 'another-boot:1', since: '2026-01-01T00:00:00Z' }));
    const reused = etl(['runs'], { env });
    expect(reused.code, reused.stderr).toBe(0);
    expect(reused.ms).toBeLessThan(10_000);
    expect(reused.stderr).not.toContain('waiting');
    expect(existsSync(lockFile)).toBe(false);

    const gone = spawnSync(process.execPath, ['-e', '']);
    expect(gone.status).toBe(0);
    writeFileSync(lockFile, `${gone.pid}\n`);
    const legacy = etl(['runs'], { env });
    expect(legacy.code, legacy.stderr).toBe(0);
    expect(legacy.ms).toBeLessThan(10_000);
    expect(legacy.stderr).not.toContain('waiting');
    expect(existsSync(lockFile)).toBe(false);
  }, 180_000);
});

describe('kill -9 and signals', () => {
  it('a run killed with SIGKILL is closed as failed by the next command, naming the dead process', async () => {
    const metrics = await testDatabase();
    const env = { DATABASE_URL: metrics.url, ETL_JOBS: userJobs };
    const run = startEtl(['run', 'hang'], { env });
    await untilRunning(metrics, run);
    run.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.signal).toBe('SIGKILL');

    const listed = etl(['runs', '--json'], { env });
    expect(listed.stderr).toContain('closed 1 run left unfinished by a process that is gone');
    const runs = listRuns(listed);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ job: 'hang', status: 'failed', pid: run.pid });
    expect(runs[0]!.error ?? '').toMatch(new RegExp(`^process exited before the run finished \\(pid ${run.pid} on `));
    expect(await recordedStatus(metrics, run.pid)).toBe('failed');
  });

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} cancels a running job: exit ${code} within 5 s, recorded cancelled`, async () => {
      const metrics = await testDatabase();
      const run = startEtl(['run', 'hang'], { env: { DATABASE_URL: metrics.url, ETL_JOBS: userJobs } });
      await untilRunning(metrics, run);
      const sentAt = Date.now();
      run.kill(signal);
      const ended = await run.done;
      expect(ended.code, ended.stderr).toBe(code);
      expect(ended.exitedAt - sentAt).toBeLessThan(5_000);
      expect(ended.stderr).toContain(`${signal}: cancelling the run`);
      expect(await recordedStatus(metrics, run.pid)).toBe('cancelled');
    });
  }

  it('SIGINT cancels a run whose source is stuck connecting to a database that never answers', async () => {
    const listener = await hungListener();
    const metrics = await testDatabase();
    const dir = tempDir('sigint-hung-source');
    const config = writeConfig(dir, {
      sources: { website: { url: `postgres://etl:pw@127.0.0.1:${listener.port}/site`, connectTimeout: '60s' } },
      readers: { events: { source: 'website' } },
    });
    const run = startEtl(['read', 'all', '--write', '--config', config], { cwd: dir, env: { DATABASE_URL: metrics.url, ETL_DATA_DIR: join(dir, 'data') } });
    await untilRunning(metrics, run);
    await waitFor('the source to connect to the hung listener', () => (listener.accepted() > 0 ? true : undefined));
    const sentAt = Date.now();
    run.kill('SIGINT');
    const ended = await run.done;
    expect(ended.code, ended.stderr).toBe(130);
    expect(ended.exitedAt - sentAt).toBeLessThan(10_000);
    expect(ended.stderr).toContain('SIGINT: cancelling the run');
    expect(await recordedStatus(metrics, run.pid)).toBe('cancelled');
  });
});
