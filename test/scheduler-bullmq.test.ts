// The distributed mode through the real binaries: `etl scheduler` and `etl worker` processes on Redis (BullMQ) and PostgreSQL.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, type ExpectStatic, type TestContext } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/pg.js';
import { cleanEnv } from './support/processes.js';
import { waitFor } from './support/wait.js';
import { deleteKeys, startPrivateRedis } from './support/redis.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'dist/cli/main.js');
const distUrl = (path: string): string => JSON.stringify(pathToFileURL(join(root, 'dist', path)).href);
const REDIS_URL = 'redis://127.0.0.1:6379';
/** --grace given to the workers; SIGTERM must end them (exit 0) within it. */
const GRACE_MS = 3000;
/** What a process may take beyond the grace to exit (Node's own teardown on a loaded machine). */
const EXIT_SLACK_MS = 2000;

/** The values the job 'slow' writes (through the real hourly writer) once its wait is over. */
const SLOW_VALUES = Array.from({ length: 6 }, (_, hour) => [
  { name: 'e2e.x', date: '2026-01-01', hour, value: hour * 10 + 1 },
  { name: 'e2e.y', date: '2026-01-01', hour, value: hour * hour + 0.5 },
]).flat();

let scratch: string;
let userJobs: string;
let admin: Redis;

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Date.now() when the process had exited. */
  readonly exitedAt: number;
}

interface Running {
  readonly pid: number;
  readonly name: string;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: () => boolean;
  readonly kill: (signal: NodeJS.Signals) => void;
  readonly done: Promise<Outcome>;
}

/** One pino JSON line of a process's stderr. */
interface LogLine {
  readonly msg?: string;
  readonly level?: number;
  readonly [field: string]: unknown;
}

/** A row of etl.job_run; instants in epoch ms. */
interface RunRow {
  readonly id: number;
  readonly job: string;
  readonly trigger: string;
  readonly status: string;
  readonly attempt: number;
  readonly scheduledFor: number | null;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly pid: number | null;
  readonly error: string | null;
}

const FINISHED = new Set(['succeeded', 'failed', 'cancelled', 'skipped']);

/** The JSON lines of a process's stderr (pino); other lines are left out. */
function logLines(run: Running): LogLine[] {
  const lines: LogLine[] = [];
  for (const text of run.stderr().split('\n')) {
    if (!text.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(text) as LogLine);
    } catch {
      // A line still being written.
    }
  }
  return lines;
}

const logged = (run: Running, msg: string): LogLine | undefined => logLines(run).find((line) => line.msg === msg);


/** One-off cron (6 fields, UTC) for the whole second `at` (epoch ms). */
function oneOffCron(at: number): string {
  const d = new Date(at);
  return `${d.getUTCSeconds()} ${d.getUTCMinutes()} ${d.getUTCHours()} ${d.getUTCDate()} ${d.getUTCMonth() + 1} *`;
}

/** One test's world: its database, queue, key prefix, configuration and processes, all removed when it ends. */
interface Cluster {
  readonly db: TestDatabase;
  /** Starts `etl <args>` in the background (killed when the test ends). */
  start(args: readonly string[], env?: Readonly<Record<string, string>>): Running;
  /** Runs `etl <args>` to its end. */
  etl(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<Outcome>;
  /** job_run rows (of one job), by id; none before the worker created the table. */
  runs(job?: string): Promise<RunRow[]>;
  /** The runs and the tails of every process's stderr, for failure messages. */
  explain(): Promise<string>;
}

interface ClusterOptions {
  readonly schedules?: Record<string, unknown>;
  /** Default: this machine's Redis; null: no scheduler section at all. */
  readonly redisUrl?: string | null;
  /** Without DATABASE_URL (the embedded metrics database). */
  readonly noDatabaseUrl?: boolean;
}

async function cluster(context: TestContext, options: ClusterOptions = {}): Promise<Cluster> {
  const id = randomBytes(4).toString('hex');
  const prefix = `etle2e${id}`;
  const queue = `q-${id}`;
  const db = await createTestDatabase('etl_bullmq');
  const dir = mkdtempSync(join(scratch, 'cluster-'));
  const processes: Running[] = [];
  context.onTestFinished(async () => {
    for (const run of processes) if (!run.exited()) run.kill('SIGKILL');
    await Promise.all(processes.map((run) => run.done.catch(() => undefined)));
    await deleteKeys(admin, prefix);
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const config = join(dir, 'etl.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      timeZone: 'UTC',
      ...(options.redisUrl === null ? {} : { scheduler: { redisUrl: options.redisUrl ?? REDIS_URL, queue } }),
      ...(options.schedules === undefined ? {} : { schedules: options.schedules }),
    }),
  );
  const baseEnv: Record<string, string> = {
    ETL_CONFIG: config,
    ETL_JOBS: userJobs,
    ETL_QUEUE_PREFIX: prefix,
    ETL_DATA_DIR: join(dir, 'data'),
    ...(options.noDatabaseUrl ? {} : { DATABASE_URL: db.url }),
  };
  let count = 0;

  const start = (args: readonly string[], env: Readonly<Record<string, string>> = {}): Running => {
    const name = `etl ${args.join(' ')} #${++count}`;
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env: cleanEnv({ ...baseEnv, ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let exited = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const done = new Promise<Outcome>((resolvePromise, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => {
        exited = true;
        clearTimeout(killer);
        resolvePromise({ code, signal, stdout, stderr, exitedAt: Date.now() });
      });
    });
    if (child.pid === undefined) throw new Error(`could not start ${name}`);
    const run: Running = { pid: child.pid, name, stdout: () => stdout, stderr: () => stderr, exited: () => exited, kill: (signal) => void child.kill(signal), done };
    processes.push(run);
    return run;
  };

  const runs = async (job?: string): Promise<RunRow[]> => {
    try {
      const { rows } = await db.pool.query<Record<string, string | number | null>>(
        `SELECT id, job, trigger, status, attempt, pid, error,
                (extract(epoch FROM scheduled_for) * 1000)::bigint AS scheduled_for,
                (extract(epoch FROM started_at) * 1000)::bigint AS started_at,
                (extract(epoch FROM finished_at) * 1000)::bigint AS finished_at
           FROM etl.job_run WHERE ($1::text IS NULL OR job = $1) ORDER BY id`,
        [job ?? null],
      );
      const num = (v: string | number | null): number | null => (v === null ? null : Number(v));
      return rows.map((r) => ({
        id: Number(r.id),
        job: String(r.job),
        trigger: String(r.trigger),
        status: String(r.status),
        attempt: Number(r.attempt),
        scheduledFor: num(r.scheduled_for!),
        startedAt: num(r.started_at!),
        finishedAt: num(r.finished_at!),
        pid: num(r.pid!),
        error: r.error === null ? null : String(r.error),
      }));
    } catch (error) {
      if (['42P01', '3F000'].includes((error as { code?: string }).code ?? '')) return [];
      throw error;
    }
  };

  return {
    db,
    start,
    etl: (args, env) => start(args, env).done,
    runs,
    async explain() {
      const rows = (await runs()).map((r) => `  run ${r.id} ${r.job} ${r.trigger} #${r.attempt} ${r.status} for ${r.scheduledFor === null ? '-' : new Date(r.scheduledFor).toISOString()} pid ${r.pid} ${r.error ?? ''}`);
      const tails = processes.map((p) => `--- ${p.name} (pid ${p.pid}${p.exited() ? ', exited' : ''}):\n${p.stderr().slice(-3000)}`);
      return [`runs:`, ...rows, ...tails].join('\n');
    },
  };
}

/** Sends `signal` to every process at once; their outcomes, with the time each took to exit after it. */
async function stopAll(runs: readonly Running[], signal: NodeJS.Signals = 'SIGTERM'): Promise<Array<Outcome & { readonly name: string; readonly afterSignalMs: number }>> {
  const sentAt = Date.now();
  for (const run of runs) run.kill(signal);
  return Promise.all(runs.map(async (run) => ({ ...(await run.done), name: run.name, afterSignalMs: (await run.done).exitedAt - sentAt })));
}

/** Each stopped process exited 0 within the grace (`exp`: the test's own expect in concurrent tests). */
function expectCleanExits(outcomes: ReadonlyArray<Outcome & { readonly name: string; readonly afterSignalMs: number }>, exp: ExpectStatic = expect): void {
  for (const outcome of outcomes) {
    exp.soft(outcome.code, `${outcome.name} (signal ${outcome.signal}):\n${outcome.stderr.slice(-3000)}`).toBe(0);
    exp.soft(outcome.afterSignalMs, `${outcome.name}: exit after SIGTERM`).toBeLessThan(GRACE_MS + EXIT_SLACK_MS);
  }
}

/** Waits for the 'bullmq worker started' line of each worker (it is taking jobs). */
async function untilWorkersReady(c: Cluster, workers: readonly Running[]): Promise<void> {
  await waitFor(
    'the workers to be ready',
    () => {
      const dead = workers.find((w) => w.exited());
      if (dead !== undefined) throw new Error(`${dead.name} exited:\n${dead.stderr()}`);
      return workers.every((w) => logged(w, 'bullmq worker started') !== undefined) ? true : undefined;
    },
    30_000,
    () => c.explain(),
  );
}

/** The scheduled instants of `runs`, sorted; checks they are whole, distinct and consecutive slots `stepMs` apart. */
function expectEverySlotOnce(runs: readonly RunRow[], stepMs: number): number[] {
  const instants = runs.map((r) => r.scheduledFor!).sort((a, b) => a - b);
  expect(new Set(instants).size, `duplicate firings: ${instants.map((t) => new Date(t).toISOString()).join(', ')}`).toBe(instants.length);
  for (const [i, at] of instants.entries()) {
    expect(at % stepMs).toBe(0);
    if (i > 0) expect(at - instants[i - 1]!, `gap before ${new Date(at).toISOString()}`).toBe(stepMs);
  }
  return instants;
}

beforeAll(() => {
  admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
  scratch = mkdtempSync(join(tmpdir(), 'etl-scheduler-bullmq-'));
  userJobs = join(scratch, 'e2e-jobs.mjs');
  writeFileSync(
    userJobs,
    `import { graphBuilder, source, map, UnrecoverableError } from ${distUrl('graph/index.js')};
import { defineJob } from ${distUrl('jobs/job.js')};
import { hourlyWriter } from ${distUrl('writers/value-writer.js')};

/** Resolves after ms, or as soon as the run is aborted. */
function wait(ms, signal) {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

const slowValues = ${JSON.stringify(SLOW_VALUES)};

export const quick = defineJob({
  name: 'quick', description: 'writes one value at once', services: ['metricsDb'],
  build: () => {
    const b = graphBuilder('quick');
    b.source('read', source(() => [{ dims: { date: '2026-01-01', hour: 0 }, metrics: { 'e2e.quick': 1 } }])).to('write', hourlyWriter());
    return b.build();
  },
});

export const slow = defineJob({
  name: 'slow', description: 'waits E2E_SLOW_MS (default 6 s), then writes known values', services: ['metricsDb'],
  build: () => {
    const ms = Number(process.env.E2E_SLOW_MS ?? 6000);
    const b = graphBuilder('slow');
    b.source('read', source(async function* (ctx) {
      await wait(ms, ctx.signal);
      if (ctx.signal.aborted) return;
      for (const v of slowValues) yield { dims: { date: v.date, hour: v.hour }, metrics: { [v.name]: v.value } };
    })).to('write', hourlyWriter());
    return b.build();
  },
});

export const long = defineJob({
  name: 'long', description: 'waits a minute unless cancelled', services: ['metricsDb'],
  build: () => {
    const b = graphBuilder('long');
    b.source('read', source(async function* (ctx) { await wait(60_000, ctx.signal); })).to('write', hourlyWriter());
    return b.build();
  },
});

export const failing = defineJob({
  name: 'failing', description: 'a node fails on its row', services: ['metricsDb'],
  build: () => {
    const b = graphBuilder('failing');
    b.source('read', source(() => [1]))
      .to('parse', map((n) => { throw new RangeError('e2e: bad value ' + n); }))
      .to('write', hourlyWriter());
    return b.build();
  },
});

export const fatal = defineJob({
  name: 'fatal', description: 'an UnrecoverableError', services: ['metricsDb'],
  build: () => {
    const b = graphBuilder('fatal');
    b.source('read', source(() => [1]))
      .to('check', map(() => { throw new UnrecoverableError('e2e: the schema changed under us'); }))
      .to('write', hourlyWriter());
    return b.build();
  },
});
`,
  );
});

afterAll(async () => {
  await admin.quit();
  rmSync(scratch, { recursive: true, force: true });
});

describe('scheduler and workers', () => {
  it('one scheduler and two workers run each firing of a 2-second schedule once, and stop cleanly on SIGTERM', async (context) => {
    const c = await cluster(context, { schedules: { quick: { cron: '*/2 * * * * *' } } });
    const scheduler = c.start(['scheduler']);
    const workers = [c.start(['worker', '--grace', '3s']), c.start(['worker', '--grace', '3s'])];
    await waitFor(
      '5 scheduled runs of quick to succeed',
      async () => ((await c.runs('quick')).filter((r) => r.status === 'succeeded').length >= 5 ? true : undefined),
      40_000,
      () => c.explain(),
    );
    expectCleanExits(await stopAll([scheduler, ...workers]));

    const runs = await c.runs();
    expect(runs.map((r) => [r.job, r.trigger, r.attempt])).toEqual(runs.map(() => ['quick', 'schedule', 1]));
    expect(runs.map((r) => r.status)).toEqual(runs.map(() => 'succeeded'));
    expect(runs.length).toBeGreaterThanOrEqual(5);
    expectEverySlotOnce(runs, 2000);
    const pids = new Set(runs.map((r) => r.pid));
    expect([...pids].every((pid) => workers.some((w) => w.pid === pid)), `pids ${[...pids].join(', ')}`).toBe(true);
    context.annotate(`runs by worker: ${workers.map((w) => `${w.pid}: ${runs.filter((r) => r.pid === w.pid).length}`).join(', ')}`);
    expect(logged(scheduler, 'job schedulers synced')).toMatchObject({ upserted: ['quick'] });
  });

  it('two schedulers started at once: still one run per firing', async (context) => {
    const c = await cluster(context, { schedules: { quick: { cron: '*/2 * * * * *' } } });
    const schedulers = [c.start(['scheduler']), c.start(['scheduler'])];
    const worker = c.start(['worker', '--grace', '3s']);
    await waitFor(
      '4 scheduled runs of quick to succeed',
      async () => ((await c.runs('quick')).filter((r) => r.status === 'succeeded').length >= 4 ? true : undefined),
      40_000,
      () => c.explain(),
    );
    expectCleanExits(await stopAll([...schedulers, worker]));
    const runs = await c.runs();
    expect(runs.map((r) => `${r.job} ${r.trigger} ${r.status} pid ${r.pid}`)).toEqual(runs.map(() => `quick schedule succeeded pid ${worker.pid}`));
    expectEverySlotOnce(runs, 2000);
  });
});

/**
 * Two workers with a 2 s lock; the job 'slow' (6 s, then writes SLOW_VALUES) fired once, by its schedule or by
 * `etl trigger`; its worker is killed with SIGKILL once the run is recorded running. The other worker must run
 * it again: one succeeded run (by the survivor), the dead attempt closed failed, the values those of a clean run.
 */
async function killMidRun(context: TestContext, how: 'schedule' | 'manual'): Promise<void> {
  // Concurrent tests assert through their own expect.
  const { expect } = context;
  // The scheduled firing: one whole second far enough ahead for three processes to start (25 s: the whole suite
  // runs beside it on two cores, where 10 s was too short twice).
  const at = Math.ceil((Date.now() + 25_000) / 1000) * 1000;
  const c = await cluster(context, how === 'schedule' ? { schedules: { slow: { cron: oneOffCron(at) } } } : {});
  // The same job, run cleanly (no wait) into another schema of the same database.
  const clean = c.etl(['run', 'slow'], { ETL_SCHEMA: 'e2e_clean', E2E_SLOW_MS: '0' });
  const workers = [c.start(['worker', '--lock', '2s', '--grace', '3s']), c.start(['worker', '--lock', '2s', '--grace', '3s'])];
  const scheduler = how === 'schedule' ? c.start(['scheduler']) : undefined;
  await untilWorkersReady(c, workers);
  let runId: number | undefined;
  if (scheduler !== undefined) {
    await waitFor('the job scheduler to be registered', () => logged(scheduler, 'job schedulers synced'), 20_000, () => c.explain());
    if (Date.now() > at - 200) throw new Error(`the set-up took too long: the one-off firing at ${new Date(at).toISOString()} may be missed`);
  } else {
    const triggered = await c.etl(['trigger', 'slow']);
    expect(triggered.code, triggered.stderr).toBe(0);
    runId = Number(/queued run (\d+) of slow/.exec(triggered.stdout)?.[1]);
  }

  // A scheduled firing comes at `at`, up to 25 s from now: the 20 s allowed count from then.
  const allowed = 20_000 + Math.max(0, at - Date.now());
  const first = await waitFor('the run to be recorded running', async () => (await c.runs('slow')).find((r) => r.status === 'running'), allowed, () => c.explain());
  if (how === 'schedule') expect(first.scheduledFor).toBe(at);
  else expect(first.id).toBe(runId);
  const victim = workers.find((w) => w.pid === first.pid);
  expect(victim, `run ${first.id} is recorded with pid ${first.pid}, not one of the workers`).toBeDefined();
  const survivor = workers.find((w) => w !== victim)!;
  victim!.kill('SIGKILL');
  expect((await victim!.done).signal).toBe('SIGKILL');

  await waitFor(
    'the survivor to run the job again, to success',
    async () => {
      if ((await c.runs('slow')).some((r) => r.status === 'succeeded')) return true;
      // Nothing more will come once the survivor says it is done with the recovered job without a success.
      const ended = logLines(survivor).find((l) => l.msg === 'job finished' && l.job === 'slow' && l.outcome !== 'succeeded');
      if (ended !== undefined) throw new Error(`the survivor ended the recovered job without running it (${JSON.stringify(ended)})\n${await c.explain()}`);
      return undefined;
    },
    30_000,
    () => c.explain(),
  );
  await waitFor('every run to be finished', async () => ((await c.runs('slow')).every((r) => FINISHED.has(r.status)) ? true : undefined), 10_000, () => c.explain());
  const runs = await c.runs('slow');
  const explained = await c.explain();
  expect(runs.map((r) => r.trigger), explained).toEqual(runs.map(() => how));
  if (how === 'schedule') expect(runs.map((r) => r.scheduledFor)).toEqual(runs.map(() => at));
  const succeeded = runs.filter((r) => r.status === 'succeeded');
  expect(succeeded, explained).toHaveLength(1);
  expect(succeeded[0]!.pid, explained).toBe(survivor.pid);
  const dead = runs.filter((r) => r.pid === victim!.pid);
  expect(dead, explained).toHaveLength(1);
  expect(dead[0]).toMatchObject({ id: first.id, status: 'failed' });
  expect(dead[0]!.error).toMatch(/process exited before the run finished|worker lost/);
  expect(runs, explained).toHaveLength(2);

  const cleanRun = await clean;
  expect(cleanRun.code, cleanRun.stderr).toBe(0);
  const values = async (schema: string): Promise<unknown[]> =>
    (
      await c.db.pool.query(
        `SELECT m.name, v.date::text AS date, v.hour, v.value FROM ${schema}.hourly_value v JOIN ${schema}.metric m ON m.id = v.metric_id ORDER BY m.name, v.date, v.hour`,
      )
    ).rows;
  const expected = [...SLOW_VALUES].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.hour - b.hour));
  expect(await values('e2e_clean')).toEqual(expected);
  expect(await values('etl')).toEqual(await values('e2e_clean'));
  expectCleanExits(await stopAll(scheduler === undefined ? [survivor] : [scheduler, survivor]), expect);
}

// Both mostly wait (for a lock to expire, for the job's 6 s): run side by side.
describe.concurrent('a worker killed with SIGKILL mid-run', { timeout: 120_000 }, () => {
  it('a scheduled firing is run again by the other worker: one success, the dead attempt failed, values as a clean run', (context) => killMidRun(context, 'schedule'));
  it('a run queued by etl trigger is run again by the other worker: one success, the dead attempt failed, values as a clean run', (context) => killMidRun(context, 'manual'));
});

describe('retries and timeouts', () => {
  it('a failing job is retried per retries and retryDelay (schedule, retry, retry: 1 s then 2 s apart); an UnrecoverableError is not retried', async (context) => {
    const schedule = { cron: '*/5 * * * * *', retries: 2, retryDelay: '1s' };
    const c = await cluster(context, { schedules: { failing: schedule, fatal: schedule } });
    const scheduler = c.start(['scheduler']);
    const worker = c.start(['worker', '--concurrency', '4', '--grace', '3s']);
    const firstOf = (runs: readonly RunRow[]): RunRow[] => {
      const first = Math.min(...runs.map((r) => r.scheduledFor!));
      return runs.filter((r) => r.scheduledFor === first);
    };
    const attempts = await waitFor(
      'three finished attempts of the first firing of failing',
      async () => {
        const group = firstOf(await c.runs('failing'));
        return group.length >= 3 && group.every((r) => FINISHED.has(r.status)) ? group : undefined;
      },
      30_000,
      () => c.explain(),
    );
    expect(attempts.map((r) => [r.attempt, r.trigger, r.status])).toEqual([
      [1, 'schedule', 'failed'],
      [2, 'retry', 'failed'],
      [3, 'retry', 'failed'],
    ]);
    for (const r of attempts) expect(r.error).toContain('e2e: bad value 1');
    expect(attempts[1]!.startedAt! - attempts[0]!.finishedAt!).toBeGreaterThanOrEqual(1000);
    expect(attempts[2]!.startedAt! - attempts[1]!.finishedAt!).toBeGreaterThanOrEqual(2000);

    // A retry of fatal's first firing would have started 1 s (and 3 s) after its attempt ended: wait past that.
    const fatalFirst = await waitFor('the first firing of fatal to end', async () => {
      const group = firstOf(await c.runs('fatal'));
      return group.length > 0 && group.every((r) => FINISHED.has(r.status)) ? group[0] : undefined;
    }, 10_000);
    await waitFor('4 s after the end of fatal', () => (Date.now() > fatalFirst.finishedAt! + 4000 ? true : undefined), 10_000);
    const fatal = (await c.runs('fatal')).filter((r) => r.scheduledFor === fatalFirst.scheduledFor);
    expect(fatal.map((r) => [r.attempt, r.trigger, r.status])).toEqual([[1, 'schedule', 'failed']]);
    expect(fatal[0]!.error).toContain('e2e: the schema changed under us');
    expect(logLines(worker).find((l) => l.msg === 'job failed, not retried' && l.job === 'fatal')).toMatchObject({ why: 'not retryable' });
    expectCleanExits(await stopAll([scheduler, worker]));
  });

  it('a run longer than its schedule timeout is recorded failed, "timed out after 1s"', async (context) => {
    const c = await cluster(context, { schedules: { slow: { cron: '*/3 * * * * *', timeout: '1s' } } });
    const scheduler = c.start(['scheduler']);
    const worker = c.start(['worker', '--grace', '3s']);
    const run = await waitFor('a finished run of slow', async () => (await c.runs('slow')).find((r) => FINISHED.has(r.status)), 30_000, () => c.explain());
    expect(run).toMatchObject({ status: 'failed', trigger: 'schedule', attempt: 1 });
    expect(run.error).toContain('timed out after 1s');
    // The engine's start (recorded) comes a few ms after the timeout's timer starts.
    expect(run.finishedAt! - run.startedAt!).toBeGreaterThanOrEqual(900);
    expect(run.finishedAt! - run.startedAt!).toBeLessThan(4000);
    expectCleanExits(await stopAll([scheduler, worker]));
  });
});

describe('control: trigger, cancel, pause', () => {
  it('etl trigger --wait exits 0 once a worker ran it (trigger manual); etl cancel takes back a queued run and stops a running one within a heartbeat', async (context) => {
    const c = await cluster(context);
    const queuedId = (outcome: Outcome, job: string): number => {
      expect(outcome.code, outcome.stderr).toBe(0);
      const match = new RegExp(`queued run (\\d+) of ${job}`).exec(outcome.stdout);
      expect(match, outcome.stdout).not.toBeNull();
      return Number(match![1]);
    };

    // No worker yet: the run waits in the queue, and cancel takes it back.
    const early = queuedId(await c.etl(['trigger', 'quick']), 'quick');
    const cancelQueued = await c.etl(['cancel', String(early)]);
    expect(cancelQueued.code, cancelQueued.stderr).toBe(0);
    expect(cancelQueued.stdout).toContain(`run ${early} cancelled (it was queued)`);

    const worker = c.start(['worker', '--grace', '3s']);
    const waited = await c.etl(['trigger', 'quick', '--wait']);
    const id = queuedId(waited, 'quick');
    expect(waited.stderr).toContain(`run ${id} succeeded`);
    const quick = await c.runs('quick');
    expect(quick.find((r) => r.id === id)).toMatchObject({ trigger: 'manual', status: 'succeeded', attempt: 1, pid: worker.pid });
    expect(quick.find((r) => r.id === early)).toMatchObject({ status: 'cancelled', startedAt: null });

    const longId = queuedId(await c.etl(['trigger', 'long']), 'long');
    await waitFor('run of long to be running', async () => ((await c.runs('long')).find((r) => r.id === longId)?.status === 'running' ? true : undefined), 20_000, () => c.explain());
    const cancel = await c.etl(['cancel', String(longId)]);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toContain('cancel requested');
    const ended = await waitFor('the cancelled run to end', async () => (await c.runs('long')).find((r) => r.id === longId && FINISHED.has(r.status)), 15_000, () => c.explain());
    expect(ended.status).toBe('cancelled');
    // The worker sees the request at the run's next heartbeat (every 5 s).
    expect(ended.finishedAt! - cancel.exitedAt).toBeLessThan(6000);
    // quick's early run was never run, even with a worker up for a while.
    expect((await c.runs('quick')).find((r) => r.id === early)).toMatchObject({ status: 'cancelled', startedAt: null });
    expectCleanExits(await stopAll([worker]));
  });

  it('etl pause: the next firings are recorded skipped (paused); etl resume: the next one runs', async (context) => {
    const c = await cluster(context, { schedules: { quick: { cron: '*/2 * * * * *' } } });
    const pause = await c.etl(['pause', 'quick']);
    expect(pause.code, pause.stderr).toBe(0);
    const scheduler = c.start(['scheduler']);
    const worker = c.start(['worker', '--grace', '3s']);
    const skipped = await waitFor(
      'two firings recorded skipped',
      async () => {
        const runs = (await c.runs('quick')).filter((r) => r.status === 'skipped');
        return runs.length >= 2 ? runs : undefined;
      },
      30_000,
      () => c.explain(),
    );
    for (const r of skipped) expect(r.error).toContain('paused');
    const resumeAt = Date.now();
    const resume = await c.etl(['resume', 'quick']);
    expect(resume.code, resume.stderr).toBe(0);
    const resumedAt = resume.exitedAt;
    await waitFor(
      'a firing after the resume to succeed',
      async () => ((await c.runs('quick')).some((r) => r.scheduledFor! > resumedAt && r.status === 'succeeded') ? true : undefined),
      20_000,
      () => c.explain(),
    );
    expectCleanExits(await stopAll([scheduler, worker]));
    const runs = await c.runs('quick');
    // Firings while paused (before the resume began): skipped; after it ended: run.
    for (const r of runs.filter((r) => r.scheduledFor! < resumeAt)) expect(r, await c.explain()).toMatchObject({ status: 'skipped', trigger: 'schedule' });
    for (const r of runs.filter((r) => r.scheduledFor! > resumedAt)) expect(r).toMatchObject({ status: 'succeeded' });
    expectEverySlotOnce(runs, 2000);
  });
});

// The scheduler holds no Redis connection between its syncs (every 30 s): it neither notices the restart nor
// re-registers its job schedulers (lost with Redis' data) before its next sync, longer than this test waits.
// What it logged and how many scheduled runs came after the restart are kept as an annotation.
describe('Redis restart', () => {
  it('the worker logs the outage and its end; the scheduler re-syncs; a triggered run and the scheduled firings run again after Redis is back', async (context) => {
    const redis = await startPrivateRedis();
    context.onTestFinished(() => redis.stop());
    const c = await cluster(context, { redisUrl: redis.url, schedules: { quick: { cron: '*/2 * * * * *' } } });
    const scheduler = c.start(['scheduler']);
    const worker = c.start(['worker', '--grace', '3s']);
    await waitFor('a scheduled run to succeed', async () => ((await c.runs('quick')).some((r) => r.status === 'succeeded') ? true : undefined), 30_000, () => c.explain());

    await redis.kill();
    const killedAt = Date.now();
    await waitFor('the worker to log the outage', () => logged(worker, 'redis connection lost, reconnecting'), 10_000, () => c.explain());
    await sleep(Math.max(0, killedAt + 2000 - Date.now()));
    await redis.restart();
    const restartedAt = Date.now();
    await waitFor('the worker to log the reconnect', () => logged(worker, 'redis connection restored'), 20_000, () => c.explain());

    const triggered = await c.etl(['trigger', 'quick', '--wait']);
    expect(triggered.code, `${triggered.stdout}\n${triggered.stderr}`).toBe(0);
    const id = Number(/queued run (\d+)/.exec(triggered.stdout)?.[1]);
    expect((await c.runs('quick')).find((r) => r.id === id)).toMatchObject({ trigger: 'manual', status: 'succeeded', pid: worker.pid });

    // The scheduler re-syncs every 5 s: the job schedulers the empty Redis lost come back, and firings resume.
    await waitFor(
      'a scheduled firing after the restart to succeed',
      async () => ((await c.runs('quick')).some((r) => r.trigger === 'schedule' && r.scheduledFor! > restartedAt && r.status === 'succeeded') ? true : undefined),
      30_000,
      () => c.explain(),
    );
    // It put back the scheduler the empty Redis had lost (logged as a sync that upserted it, or as a recovery).
    const resynced = logLines(scheduler).filter((l) => Number(l.time) > killedAt && /^(job schedulers synced|redis reachable again)/.test(String(l.msg)));
    expect(resynced.length, await c.explain()).toBeGreaterThan(0);
    expectCleanExits(await stopAll([scheduler, worker]));
    expect(scheduler.stderr()).not.toContain('redis not reachable, giving up');
  });
});

describe('usage errors', () => {
  it('etl worker and etl scheduler with Redis but without DATABASE_URL exit 2 naming DATABASE_URL; etl worker without a redisUrl exits 2', async (context) => {
    const embedded = await cluster(context, { noDatabaseUrl: true });
    const noRedis = await cluster(context, { redisUrl: null });
    const [worker, scheduler, withoutRedis] = await Promise.all([embedded.etl(['worker']), embedded.etl(['scheduler']), noRedis.etl(['worker'])]);
    expect(worker.code, worker.stderr).toBe(2);
    expect(worker.stderr).toContain('DATABASE_URL');
    expect(worker.stderr).toContain('etl worker');
    expect(scheduler.code, scheduler.stderr).toBe(2);
    expect(scheduler.stderr).toContain('DATABASE_URL');
    expect(withoutRedis.code, withoutRedis.stderr).toBe(2);
    expect(withoutRedis.stderr).toContain('redisUrl');
  });
});
