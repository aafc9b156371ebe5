// The embedded scheduler through the real `etl` binary: per-2-seconds firings on the embedded PGlite database shared with other commands, pause/resume/trigger/cancel, SIGTERM, bad schedules, two schedulers on one PostgreSQL database.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createTestDatabase } from './support/pg.js';
import { waitFor } from './support/wait.js';
import { processRunner, type Outcome, type Running, type RunOptions } from './support/processes.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'dist/cli/main.js');
const EVERY_TWO_SECONDS = '*/2 * * * * *';

let scratch: string;
/** examples/demo/etl.config.json with `all` scheduled every two seconds (and no other schedule). */
let demoConfig: Record<string, unknown>;

interface RunRecordJson {
  readonly id: number;
  readonly job: string;
  readonly trigger: string;
  readonly status: string;
  readonly scheduledFor: number | null;
  readonly error: string | null;
  readonly pid: number | null;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

interface JobLineJson {
  readonly name: string;
  readonly schedule: { readonly cron: string; readonly timeZone: string; readonly next: string } | null;
  readonly paused: boolean;
  readonly lastRun: { readonly id: number; readonly status: string; readonly at: string | null } | null;
}

const runner = processRunner({ cwd: () => scratch, killAfterMs: 30_000 });

/** Runs `etl` to its end (blocking: for commands nothing in this process serves). */
const etlSync = (args: readonly string[], options: RunOptions = {}): Outcome => runner.runSync(process.execPath, [bin, ...args], options);

/** Starts `etl` in the background; killed when the test ends, or after `killAfterMs`. */
const startEtl = (args: readonly string[], options: RunOptions = {}): Running => runner.start(process.execPath, [bin, ...args], options);

/** Runs `etl` to its end without blocking this process (the scheduler's output keeps being read). */
const etl = (args: readonly string[], options: RunOptions = {}): Promise<Outcome> => startEtl(args, options).done;


function writeConfig(dir: string, config: unknown): void {
  writeFileSync(join(dir, 'etl.config.json'), JSON.stringify(config, null, 2));
}

const tempDir = (prefix: string): string => mkdtempSync(join(scratch, `${prefix}-`));

/** The pino JSON lines of a process's stderr (other lines, the notices, left out). */
function pinoLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'etl-scheduler-embedded-'));
  const demo = JSON.parse(readFileSync(join(root, 'examples/demo/etl.config.json'), 'utf8')) as Record<string, unknown>;
  demoConfig = { ...demo, schedules: { all: { cron: EVERY_TWO_SECONDS } } };
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('etl scheduler on the embedded database', () => {
  it('fires every two seconds; other commands read and control it through the shared database; SIGTERM stops it', async () => {
    const dir = tempDir('embedded');
    writeConfig(dir, demoConfig);
    const data = join(dir, 'data');
    const options = { cwd: dir, env: { ETL_DATA_DIR: data } };
    const scheduler = startEtl(['scheduler'], { ...options, killAfterMs: 60_000 });
    const alive = (): void => {
      if (scheduler.exited()) throw new Error(`etl scheduler exited; stderr:\n${scheduler.stderr()}`);
    };

    /** `etl runs --json` from another process: answers at once through the share, never waits for the lock. */
    const runs = async (): Promise<RunRecordJson[]> => {
      const listed = await etl(['runs', '--json', '--limit', '100'], options);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stderr).not.toContain('waiting for embedded metrics database');
      return JSON.parse(listed.stdout) as RunRecordJson[];
    };
    const scheduledOfAll = (list: readonly RunRecordJson[]): RunRecordJson[] => list.filter((r) => r.job === 'all' && r.trigger === 'schedule');

    // The scheduler creates the metrics database (a few seconds on a first run), then shares it.
    await waitFor(
      'the scheduler to share the embedded database',
      () => {
        alive();
        return existsSync(`${data}/metrics-db.socket`) ? true : undefined;
      },
      40_000,
    );
    const firstTwo = await waitFor('two succeeded scheduled runs of all', async () => {
      alive();
      const done = scheduledOfAll(await runs()).filter((r) => r.status === 'succeeded');
      return done.length >= 2 ? done : undefined;
    });
    for (const run of firstTwo) {
      expect(run.pid).toBe(scheduler.pid);
      expect(run.scheduledFor! % 2_000).toBe(0);
    }
    expect(new Set(firstTwo.map((r) => r.scheduledFor)).size).toBe(firstTwo.length);

    // Paused: the next firing is recorded skipped.
    const paused = await etl(['pause', 'all'], options);
    expect(paused.code, paused.stderr).toBe(0);
    const pausedAt = paused.exitedAt;
    const skipped = await waitFor('a firing after `etl pause all` to be recorded skipped', async () => {
      alive();
      return scheduledOfAll(await runs()).find((r) => r.status === 'skipped' && r.scheduledFor! > pausedAt);
    });
    expect(skipped.error).toContain('paused');
    const resumed = await etl(['resume', 'all'], options);
    expect(resumed.code, resumed.stderr).toBe(0);
    const resumedAt = resumed.exitedAt;
    await waitFor('a firing after `etl resume all` to succeed', async () => {
      alive();
      return scheduledOfAll(await runs()).find((r) => r.status === 'succeeded' && r.scheduledFor! > resumedAt);
    });

    // A manual run: queued for the scheduler, run by it.
    const triggered = await etl(['trigger', 'clean', '--wait'], options);
    expect(triggered.code, triggered.stderr).toBe(0);
    const queued = /queued run (\d+) of clean \(the scheduler, pid (\d+)/.exec(triggered.stdout);
    expect(queued, triggered.stdout).not.toBeNull();
    expect(Number(queued![2])).toBe(scheduler.pid);
    const cleanId = Number(queued![1]);
    const cleanRun = (await runs()).find((r) => r.id === cleanId);
    expect(cleanRun).toMatchObject({ job: 'clean', trigger: 'manual', status: 'succeeded', pid: scheduler.pid });

    // A manual run of `all`, which fires every two seconds: queued while a firing runs, it waits for it, then runs.
    const manualAll = await etl(['trigger', 'all', '--wait'], options);
    expect(manualAll.code, manualAll.stderr).toBe(0);
    const manualId = Number(/queued run (\d+) of all/.exec(manualAll.stdout)?.[1]);
    const afterManual = await runs();
    const manualRun = afterManual.find((r) => r.id === manualId);
    expect(manualRun).toMatchObject({ job: 'all', trigger: 'manual', status: 'succeeded' });
    // No run of `all` ran at the same time as it.
    const overlapping = afterManual.filter(
      (r) => r.job === 'all' && r.id !== manualId && r.status === 'succeeded' && r.startedAt! < manualRun!.finishedAt! && r.finishedAt! > manualRun!.startedAt!,
    );
    expect(overlapping).toEqual([]);

    // `etl jobs`: the schedule, the next firing (ahead), the last run.
    const listedJobs = await etl(['jobs', '--json'], options);
    expect(listedJobs.code, listedJobs.stderr).toBe(0);
    const all = (JSON.parse(listedJobs.stdout) as JobLineJson[]).find((j) => j.name === 'all');
    expect(all?.schedule).toMatchObject({ cron: EVERY_TWO_SECONDS, timeZone: 'UTC' });
    expect(Date.parse(all!.schedule!.next)).toBeGreaterThan(listedJobs.exitedAt - listedJobs.ms);
    expect(Date.parse(all!.schedule!.next) % 2_000).toBe(0);
    expect(all?.paused).toBe(false);
    expect(all?.lastRun).not.toBeNull();
    expect(all!.lastRun!.id).toBeGreaterThan(0);

    // Cancelling a run that has ended.
    const cancelled = await etl(['cancel', String(cleanId)], options);
    expect(cancelled.code, cancelled.stderr).toBe(1);
    expect(cancelled.stderr).toContain(`run ${cleanId} has already ended`);

    // SIGTERM: the scheduler stops within 10 s, exit 0.
    alive();
    const sentAt = Date.now();
    scheduler.kill('SIGTERM');
    const stopped = await scheduler.done;
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.exitedAt - sentAt).toBeLessThan(10_000);
    expect(pinoLines(stopped.stderr).map((l) => l.msg)).toContain('scheduler stopped');
    expect(existsSync(`${data}/metrics-db.socket`)).toBe(false);

    // The database is no longer shared: `etl runs` opens it itself.
    const after = etlSync(['runs', '--json', '--limit', '100'], options);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).not.toContain('waiting for embedded metrics database');
    const recorded = JSON.parse(after.stdout) as RunRecordJson[];
    expect(recorded.map((r) => r.id)).toContain(cleanId);
    expect(scheduledOfAll(recorded).filter((r) => r.status === 'succeeded').length).toBeGreaterThanOrEqual(3);
    expect(recorded.filter((r) => r.status === 'queued' || r.status === 'running')).toEqual([]);
  }, 90_000);
});

describe('etl scheduler with a bad schedule', () => {
  const cases = [
    { config: { schedules: { all: { cron: 'every minute' } } }, names: ['schedules.all.cron', 'every minute'] },
    { config: { schedules: { nope: { cron: '* * * * *' } } }, names: ['schedules.nope', "no job is named 'nope'", 'jobs: ', 'clean'] },
    { config: { schedules: { all: { cron: '* * * * *', retryDelay: 'soon' } } }, names: ['schedules.all.retryDelay', 'soon'] },
  ];
  for (const { config, names } of cases) {
    it(`exits 2 naming ${names[0]}: ${JSON.stringify(config)}`, () => {
      const dir = tempDir('bad-schedule');
      writeConfig(dir, config);
      const run = etlSync(['scheduler'], { cwd: dir, env: { ETL_DATA_DIR: join(dir, 'data') }, killAfterMs: 20_000 });
      expect(run.signal, `etl scheduler did not exit by itself; stderr:\n${run.stderr}`).toBeNull();
      expect(run.code, run.stderr).toBe(2);
      for (const name of names) expect(run.stderr).toContain(name);
      expect(run.stderr).toContain(join(dir, 'etl.config.json'));
    });
  }
});

describe('two embedded schedulers on one PostgreSQL metrics database', () => {
  it('record one run per firing: each scheduled instant has exactly one record, run by one of them', async () => {
    const db = await createTestDatabase('etl_two_schedulers');
    onTestFinished(() => db.drop());
    const dir = tempDir('two-schedulers');
    writeConfig(dir, demoConfig);
    // One host each: its own embedded demo website (created beforehand: a first run takes seconds), the same metrics database.
    const hosts = ['a', 'b'].map((name) => ({ cwd: dir, env: { DATABASE_URL: db.url, ETL_DATA_DIR: join(dir, `data-${name}`) } }));
    for (const warmed of await Promise.all(hosts.map((host) => etl(['read', 'objects'], host)))) expect(warmed.code, warmed.stderr).toBe(0);
    const schedulers = hosts.map((host) => startEtl(['scheduler'], { ...host, killAfterMs: 90_000 }));
    await waitFor('both schedulers to start', () => {
      for (const s of schedulers) if (s.exited()) throw new Error(`etl scheduler exited; stderr:\n${s.stderr()}`);
      return schedulers.every((s) => pinoLines(s.stderr()).some((l) => l.msg === 'scheduled all')) ? true : undefined;
    });
    // Until two firings have run (a loaded machine makes a run outlast the next firing, which is then skipped).
    const succeeded = async (): Promise<number> =>
      (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM etl.job_run WHERE job = 'all' AND trigger = 'schedule' AND status = 'succeeded'`).catch(() => ({ rows: [{ n: 0 }] }))).rows[0]!.n;
    await sleep(7_000);
    await waitFor('two scheduled runs to succeed', async () => ((await succeeded()) >= 2 ? true : undefined), 40_000);
    for (const s of schedulers) s.kill('SIGTERM');
    for (const stopped of await Promise.all(schedulers.map((s) => s.done))) {
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(pinoLines(stopped.stderr).map((l) => l.msg)).toContain('scheduler stopped');
    }

    const { rows } = await db.pool.query<{ scheduled_for: Date; status: string; pid: number | null; firing_key: string | null; error: string | null }>(
      `SELECT scheduled_for, status, pid, firing_key, error FROM etl.job_run WHERE job = 'all' AND trigger = 'schedule' ORDER BY scheduled_for, id`,
    );
    const shown = JSON.stringify(rows);
    const byInstant = new Map<number, typeof rows>();
    for (const row of rows) byInstant.set(row.scheduled_for.getTime(), [...(byInstant.get(row.scheduled_for.getTime()) ?? []), row]);
    // About three firings in 7 s; both schedulers fire each of them.
    expect(byInstant.size, shown).toBeGreaterThanOrEqual(3);
    for (const [instant, records] of byInstant) {
      const what = `runs scheduled for ${new Date(instant).toISOString()}: ${JSON.stringify(records)}`;
      expect(instant % 2_000).toBe(0);
      // One record per firing (its key): a second scheduler records nothing. It ran, unless a run of the
      // job was still going (a slow one on a loaded machine): then it says so, and it is the only record.
      expect(records, what).toHaveLength(1);
      const [record] = records;
      if (record!.status === 'skipped') expect(record!.error, what).toMatch(/^skipped: the job is already running \(run \d+/);
      else expect(record!.status, what).toBe('succeeded');
    }
    expect(rows.filter((r) => r.status === 'succeeded').length, shown).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => schedulers.some((s) => s.pid === r.pid)), shown).toBe(true);
    expect(new Set(rows.map((r) => r.firing_key)).size).toBe(rows.length);
  }, 100_000);
});
