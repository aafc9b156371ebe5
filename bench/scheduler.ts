// Scheduler benchmark (issue 9): delay from a firing's scheduled instant to its job's graph starting, through
// the embedded scheduler and through BullMQ, each next to a baseline measured in the same run; and recorded
// manual runs through the queue against bare BullMQ jobs. Prints one JSON line per scenario.
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import cron from 'node-cron';
import { graphBuilder, provided, sink, source, type ServiceProviders } from '../graph/index.js';
import { defineJob, type Job } from '../jobs/job.js';
import { JobRegistry } from '../jobs/registry.js';
import { runJob } from '../jobs/run-job.js';
import type { LogFn, QueueOptions } from '../queue/bullmq-queue.js';
import { enqueueManual, syncJobSchedulers } from '../queue/bullmq-scheduler.js';
import { startWorker, type WorkerHandle } from '../queue/bullmq-worker.js';
import { EmbeddedScheduler } from '../scheduler/embedded-scheduler.js';
import type { Firing, FiringHandler } from '../execution/firing.js';
import { createFiringHandler, type FiringLog } from '../execution/run-firing.js';
import type { JobSchedule } from '../scheduler/schedule.js';
import type { RunStorage } from '../runs/run-storage.js';
import type { RunStore } from '../runs/run-store.js';
import { sqlRunStorage } from '../runs/sql-run-storage.js';
import { deleteKeys as deleteRedisKeys } from '../test/support/redis.js';
import { createBenchDatabase } from './bench-database.js';
import { ensureMigrated, METRICS_DB_SERVICE, openMetricsDb, type MetricsDb } from '../writers/index.js';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
/** Jobs scheduled every second (different jobs: no firing is skipped for its job still running). */
const JOBS = 10;
/** Measured firing instants per scenario (JOBS firings each); the instants before them are warm-up. */
const INSTANTS = 20;
/** Ticks of the bare node-cron baseline of the embedded scheduler. */
const CRON_BASELINE_INSTANTS = 5;
const MANUAL_RUNS = 100;
const EVERY_SECOND = '* * * * * *';
const STORE = 'SqlRunStore on PostgreSQL (a fresh database per scenario, dropped after)';

const hex = (): string => randomBytes(4).toString('hex');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const round1 = (x: number): number => Math.round(x * 10) / 10;
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

// ---- statistics ----

interface Spread {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

/** Nearest-rank percentiles. */
function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('bench:scheduler: no sample measured');
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1]! };
}

// ---- logs: quiet, but warnings and errors are kept and shown ----

interface Problems {
  readonly log: FiringLog;
  readonly onLog: LogFn;
  readonly lines: string[];
}

function problems(scenario: string): Problems {
  const lines: string[] = [];
  const keep = (level: string, message: string, fields?: Record<string, unknown>): void => {
    lines.push(`${scenario} ${level}: ${message}${fields === undefined ? '' : ` ${JSON.stringify(fields)}`}`);
  };
  return {
    lines,
    log: { info: () => undefined, warn: (fields, message) => keep('warn', message, fields), error: (fields, message) => keep('error', message, fields) },
    onLog: (level, message, fields) => {
      if (level !== 'info') keep(level, message, fields);
    },
  };
}

function report(found: Problems): void {
  for (const line of found.lines.slice(0, 10)) process.stderr.write(`bench:scheduler ${line}\n`);
  if (found.lines.length > 10) process.stderr.write(`bench:scheduler ... ${found.lines.length - 10} more\n`);
}

// ---- the jobs ----

const JOB_NAMES = Array.from({ length: JOBS }, (_, i) => `bench-tick-${String(i).padStart(2, '0')}`);
const NOOP_JOB = 'bench-noop';

/** One row from a source to a sink; declares the metrics DB like the real jobs (given as it is: no cost). */
function tinyJob(name: string): Job {
  return defineJob({
    name,
    description: 'bench: one row from a source to a sink',
    services: [METRICS_DB_SERVICE],
    build: () => {
      const b = graphBuilder(name);
      b.source('read', source(() => [{ value: 1 }])).to('sink', sink(() => undefined));
      return b.build();
    },
  });
}

/** No row at all. */
const noopJob = defineJob({
  name: NOOP_JOB,
  description: 'bench: a source with no row, a sink',
  services: [],
  build: () => {
    const b = graphBuilder(NOOP_JOB);
    b.source('read', source(() => [])).to('sink', sink(() => undefined));
    return b.build();
  },
});

const everySecond = (job: string): JobSchedule => ({ job, cron: EVERY_SECOND, timeZone: 'UTC', retries: 0, retryDelayMs: 0 });

// ---- PostgreSQL: a fresh database per scenario ----

interface BenchDb {
  readonly db: MetricsDb;
  readonly storage: RunStorage;
  readonly services: ServiceProviders;
  drop(): Promise<void>;
}

async function freshDb(tag: string): Promise<BenchDb> {
  const bench = await createBenchDatabase(`etl_bench_scheduler_${tag}`);
  // As the runtime opens it (its default pool of 4 connections), shared by the run store and the jobs.
  const db = await openMetricsDb({ databaseUrl: bench.url, dataDir: '/nonexistent' });
  await ensureMigrated(db);
  // A long-running scheduler has its connections open: open them all before measuring.
  await Promise.all(Array.from({ length: 4 }, () => db.query('SELECT 1')));
  return {
    db,
    storage: sqlRunStorage(db),
    services: { [METRICS_DB_SERVICE]: provided(db) },
    async drop() {
      await db.close().catch(() => undefined);
      await bench.drop();
    },
  };
}

// ---- Redis: random queue names and prefixes, every key removed after ----

async function deleteKeys(prefix: string): Promise<number> {
  const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
  try {
    return await deleteRedisKeys(admin, prefix);
  } finally {
    await admin.quit();
  }
}

async function redisHz(): Promise<number | null> {
  const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
  try {
    const reply = (await admin.config('GET', 'hz')) as string[];
    return reply[1] === undefined ? null : Number(reply[1]);
  } catch {
    return null;
  } finally {
    await admin.quit();
  }
}

function queueOptions(onLog: LogFn): QueueOptions & { readonly queue: string; readonly prefix: string } {
  const id = hex();
  return { redisUrl: REDIS_URL, queue: `etl-bench-${id}`, prefix: `etlbench${id}`, onLog };
}

// ---- firings: which instants were warm-up, when enough were measured ----

/**
 * Follows finished firings of per-second schedules. Warm-up: every instant up to the latest first firing of
 * any job (first connections, first runs of each code path). Measured: the INSTANTS instants after it.
 */
class FiringTally {
  private readonly first = new Map<string, number>();
  private readonly last = new Map<string, number>();
  private readonly waiters: Array<() => void> = [];
  /** When the handler was called, minus the firing's instant (the scheduler's or the queue's own part). */
  private readonly entered: Array<{ readonly scheduledFor: number; readonly delay: number }> = [];

  constructor(private readonly jobs: readonly string[]) {}

  wrap(handler: FiringHandler): FiringHandler {
    return async (firing: Firing, signal: AbortSignal) => {
      if (firing.attempt === 1) this.entered.push({ scheduledFor: firing.scheduledFor, delay: Date.now() - firing.scheduledFor });
      const outcome = await handler(firing, signal);
      this.note(firing);
      return outcome;
    };
  }

  private note(firing: Firing): void {
    if (!this.first.has(firing.job)) this.first.set(firing.job, firing.scheduledFor);
    this.last.set(firing.job, Math.max(this.last.get(firing.job) ?? 0, firing.scheduledFor));
    if (this.enough()) for (const wake of this.waiters.splice(0)) wake();
  }

  /** Handler-call delays of the measured instants. */
  handlerDelays(): Spread {
    const cutoff = this.cutoff();
    return spread(this.entered.filter((e) => e.scheduledFor > cutoff && e.scheduledFor <= cutoff + INSTANTS * 1000).map((e) => e.delay));
  }

  /** The last warm-up instant. */
  cutoff(): number {
    return Math.max(...this.first.values());
  }

  private enough(): boolean {
    if (this.first.size < this.jobs.length) return false;
    const until = this.cutoff() + INSTANTS * 1000;
    return this.jobs.every((job) => (this.last.get(job) ?? 0) >= until);
  }

  /** Resolves once every job has finished its firing of the last measured instant. */
  async measured(timeoutMs: number): Promise<void> {
    if (this.enough()) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.waiters.push(resolve)),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`bench:scheduler: not enough firings after ${timeoutMs} ms`)), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
  }
}

interface Delays extends Spread {
  /** Record statuses of the measured firings. */
  readonly statuses: Record<string, number>;
  /** Firings of the measured instants with no record (JOBS x INSTANTS expected). */
  readonly missing: number;
  readonly warmupFirings: number;
}

/** Graph start (the record's started_at: the engine's JobRun.startedAt) minus scheduled_for, from the store. */
async function recordedDelays(store: RunStore, cutoff: number): Promise<Delays> {
  const records = (await store.list({ trigger: 'schedule', limit: 10_000 })).filter((r) => r.scheduledFor !== null);
  const until = cutoff + INSTANTS * 1000;
  const measured = records.filter((r) => r.scheduledFor! > cutoff && r.scheduledFor! <= until);
  const statuses: Record<string, number> = {};
  for (const r of measured) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const delays = measured.filter((r) => r.status === 'succeeded' && r.startedAt !== null).map((r) => r.startedAt! - r.scheduledFor!);
  return { ...spread(delays), statuses, missing: JOBS * INSTANTS - measured.length, warmupFirings: records.filter((r) => r.scheduledFor! <= cutoff).length };
}

// ---- 1. embedded scheduler, and bare node-cron ----

/** Baseline: one bare node-cron per-second task running the same jobs with runJob (no run store, no guard). */
async function bareCron(): Promise<Spread> {
  const jobs = JOB_NAMES.map(tinyJob);
  const services: ServiceProviders = { [METRICS_DB_SERVICE]: provided(undefined) };
  const delays: number[] = [];
  let ticks = 0;
  let wake: (() => void) | undefined;
  const done = new Promise<void>((resolve) => (wake = resolve));
  const task = cron.schedule(EVERY_SECOND, async () => {
    const slot = Math.floor(Date.now() / 1000) * 1000;
    const tick = ++ticks;
    if (tick > CRON_BASELINE_INSTANTS + 1) return;
    const runs = await Promise.all(jobs.map((job) => runJob(job, { services })));
    // The first tick is warm-up, as in the scenarios.
    if (tick > 1) for (const run of runs) delays.push(run.startedAt - slot);
    if (tick === CRON_BASELINE_INSTANTS + 1) wake?.();
  }, { name: 'bench-bare-cron' });
  await done;
  task.stop();
  await task.destroy();
  return spread(delays);
}

async function embedded(): Promise<Delays & { seconds: number; handler: Spread }> {
  const found = problems('embedded');
  const bench = await freshDb('embedded');
  try {
    const schedules = JOB_NAMES.map(everySecond);
    const tally = new FiringTally(JOB_NAMES);
    const handler = createFiringHandler({
      registry: new JobRegistry(JOB_NAMES.map(tinyJob)),
      services: bench.services,
      store: bench.storage.runs,
      jobs: bench.storage.jobs,
      schedules: new Map(schedules.map((s) => [s.job, s])),
      timeZone: 'UTC',
      log: found.log,
      firingKeys: true,
    });
    // As `etl scheduler` wires it (store given: it also beats and polls for manual runs), node-cron ticking.
    const scheduler = new EmbeddedScheduler({ schedules, handler: tally.wrap(handler), concurrency: JOBS, storage: bench.storage, log: found.log });
    const started = performance.now();
    scheduler.start();
    try {
      await tally.measured((INSTANTS + 10) * 1000);
    } finally {
      await scheduler.stop(5000);
    }
    const seconds = (performance.now() - started) / 1000;
    // A beat or manual-run poll started by the last tick may still be on its way.
    await sleep(200);
    return { ...(await recordedDelays(bench.storage.runs, tally.cutoff())), seconds, handler: tally.handlerDelays() };
  } finally {
    await bench.drop();
    report(found);
  }
}

// ---- 2. BullMQ job schedulers + startWorker + the real firing handler ----

async function bullmqScheduled(): Promise<Delays & { seconds: number; handler: Spread }> {
  const found = problems('bullmq');
  const bench = await freshDb('bullmq');
  const options = queueOptions(found.onLog);
  let worker: WorkerHandle | undefined;
  try {
    const schedules = JOB_NAMES.map(everySecond);
    const tally = new FiringTally(JOB_NAMES);
    // As `etl worker` wires it (no firing keys).
    const handler = createFiringHandler({
      registry: new JobRegistry(JOB_NAMES.map(tinyJob)),
      services: bench.services,
      store: bench.storage.runs,
      jobs: bench.storage.jobs,
      schedules: new Map(schedules.map((s) => [s.job, s])),
      timeZone: 'UTC',
      log: found.log,
    });
    worker = startWorker({ ...options, concurrency: JOBS, handler: tally.wrap(handler) });
    await worker.waitUntilReady();
    const started = performance.now();
    await syncJobSchedulers(options, schedules);
    try {
      await tally.measured((INSTANTS + 10) * 1000);
    } finally {
      await syncJobSchedulers(options, []);
      await worker.close(5000);
    }
    const seconds = (performance.now() - started) / 1000;
    return { ...(await recordedDelays(bench.storage.runs, tally.cutoff())), seconds, handler: tally.handlerDelays() };
  } finally {
    await worker?.close(0);
    await deleteKeys(options.prefix);
    await bench.drop();
    report(found);
  }
}

// ---- 3. raw BullMQ: a bare Worker taking delayed jobs added for chosen instants ----

/** `instants` whole seconds (the first one warm-up), `perInstant` jobs each: processor start minus the instant. */
async function rawDelayed(instants: number, perInstant: number): Promise<number[]> {
  const options = queueOptions(() => undefined);
  const queueConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true });
  const queue = new Queue<{ at: number; instant: number }>(options.queue, { connection: queueConnection, prefix: options.prefix });
  const delays: number[] = [];
  const total = (instants + 1) * perInstant;
  let processed = 0;
  let wake: (() => void) | undefined;
  const done = new Promise<void>((resolve) => (wake = resolve));
  const worker = new Worker<{ at: number; instant: number }>(
    options.queue,
    async (job) => {
      const delay = Date.now() - job.data.at;
      if (job.data.instant > 0) delays.push(delay);
      if (++processed === total) wake?.();
    },
    { connection: workerConnection, prefix: options.prefix, concurrency: JOBS },
  );
  try {
    await Promise.all([worker.waitUntilReady(), queue.waitUntilReady()]);
    const first = Math.ceil(Date.now() / 1000) * 1000 + 1000;
    const adds = [];
    for (let instant = 0; instant <= instants; instant++) {
      const at = first + instant * 1000;
      for (let k = 0; k < perInstant; k++) {
        const now = Date.now();
        // timestamp + delay is the instant BullMQ promotes the job at.
        adds.push({ name: 'raw', data: { at, instant }, opts: { timestamp: now, delay: at - now, removeOnComplete: 1000 } });
      }
    }
    await queue.addBulk(adds);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([done, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('bench:scheduler: raw BullMQ jobs not all processed')), (instants + 10) * 1000)))]).finally(() => clearTimeout(timer));
    return delays;
  } finally {
    await worker.close();
    await queue.close();
    queueConnection.disconnect();
    workerConnection.disconnect();
    await deleteKeys(options.prefix);
  }
}

// ---- 4. recorded manual runs through the queue, and bare BullMQ jobs ----

interface Throughput {
  readonly n: number;
  readonly seconds: number;
  /** First enqueue to the last enqueued. */
  readonly enqueueSeconds: number;
  readonly perSecond: number;
  readonly statuses?: Record<string, number>;
}

/**
 * `etl trigger` on the queue, MANUAL_RUNS times in a row (store.create + enqueueManual), a worker running them:
 * first enqueue to the last run finished. One job, so the worker runs one at a time (a second run of a running
 * job would be recorded skipped); the baseline does the same.
 */
async function recordedManualRuns(): Promise<Throughput> {
  const found = problems('manual');
  const bench = await freshDb('manual');
  const options = queueOptions(found.onLog);
  let worker: WorkerHandle | undefined;
  try {
    const handler = createFiringHandler({ registry: new JobRegistry([noopJob]), services: bench.services, store: bench.storage.runs, jobs: bench.storage.jobs, schedules: new Map(), timeZone: 'UTC', log: found.log });
    let finished = 0;
    let lastFinished = 0;
    let wake: (() => void) | undefined;
    const done = new Promise<void>((resolve) => (wake = resolve));
    worker = startWorker({
      ...options,
      concurrency: 1,
      handler: async (firing, signal) => {
        const outcome = await handler(firing, signal);
        lastFinished = performance.now();
        if (++finished === MANUAL_RUNS) wake?.();
        return outcome;
      },
    });
    await worker.waitUntilReady();
    const started = performance.now();
    for (let i = 0; i < MANUAL_RUNS; i++) {
      const runId = (await bench.storage.runs.create({ job: NOOP_JOB, trigger: 'manual' }))!;
      await enqueueManual(options, { job: NOOP_JOB, runId, trigger: 'manual' });
    }
    const enqueueSeconds = (performance.now() - started) / 1000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([done, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('bench:scheduler: manual runs not all finished')), 60_000)))]).finally(() => clearTimeout(timer));
    const seconds = (lastFinished - started) / 1000;
    await worker.close(5000);
    const statuses: Record<string, number> = {};
    for (const r of await bench.storage.runs.list({ limit: 10_000 })) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    return { n: MANUAL_RUNS, seconds, enqueueSeconds, perSecond: MANUAL_RUNS / seconds, statuses };
  } finally {
    await worker?.close(0);
    await deleteKeys(options.prefix);
    await bench.drop();
    report(found);
  }
}

/** MANUAL_RUNS bare jobs added one after the other on one Queue, a no-op processor (concurrency 1). */
async function bareJobs(): Promise<Throughput> {
  const options = queueOptions(() => undefined);
  const queueConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true });
  const queue = new Queue(options.queue, { connection: queueConnection, prefix: options.prefix });
  let processed = 0;
  let lastFinished = 0;
  let wake: (() => void) | undefined;
  const done = new Promise<void>((resolve) => (wake = resolve));
  const worker = new Worker(
    options.queue,
    async () => {
      lastFinished = performance.now();
      if (++processed === MANUAL_RUNS) wake?.();
    },
    { connection: workerConnection, prefix: options.prefix, concurrency: 1 },
  );
  try {
    await Promise.all([worker.waitUntilReady(), queue.waitUntilReady()]);
    const started = performance.now();
    for (let i = 0; i < MANUAL_RUNS; i++) await queue.add('noop', { i }, { removeOnComplete: 1000 });
    const enqueueSeconds = (performance.now() - started) / 1000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([done, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('bench:scheduler: bare jobs not all processed')), 60_000)))]).finally(() => clearTimeout(timer));
    const seconds = (lastFinished - started) / 1000;
    return { n: MANUAL_RUNS, seconds, enqueueSeconds, perSecond: MANUAL_RUNS / seconds };
  } finally {
    await worker.close();
    await queue.close();
    queueConnection.disconnect();
    workerConnection.disconnect();
    await deleteKeys(options.prefix);
  }
}

// ---- the scenarios, in one run ----

const line = (fields: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(fields)}\n`);
const note = (text: string): void => void process.stderr.write(`bench:scheduler ${text}\n`);
const ms = (s: Spread): string => `p50 ${s.p50} ms, p95 ${s.p95} ms, max ${s.max} ms (n=${s.n})`;

async function main(): Promise<void> {
  const hz = await redisHz();

  const cronBaseline = await bareCron();
  note(`bare node-cron + runJob: ${ms(cronBaseline)}`);
  const emb = await embedded();
  note(`embedded: ${ms(emb)} in ${emb.seconds.toFixed(1)} s; firing handler called: ${ms(emb.handler)}`);

  // The raw baseline before and after the BullMQ scenario (the machine drifts): half of its jobs each.
  const half = INSTANTS / 2;
  const rawBefore = await rawDelayed(half, JOBS);
  note(`raw bullmq (before): ${ms(spread(rawBefore))}`);
  const bull = await bullmqScheduled();
  note(`bullmq: ${ms(bull)} in ${bull.seconds.toFixed(1)} s; firing handler called: ${ms(bull.handler)}`);
  const rawAfter = await rawDelayed(half, JOBS);
  note(`raw bullmq (after): ${ms(spread(rawAfter))}`);
  const raw = spread([...rawBefore, ...rawAfter]);

  const bareBefore = await bareJobs();
  const manual = await recordedManualRuns();
  const bareAfter = await bareJobs();
  note(`manual runs: ${manual.n} in ${manual.seconds.toFixed(3)} s (enqueued in ${manual.enqueueSeconds.toFixed(3)} s); bare jobs: ${bareBefore.seconds.toFixed(3)} s, ${bareAfter.seconds.toFixed(3)} s`);
  const barePerSecond = (bareBefore.perSecond + bareAfter.perSecond) / 2;

  line({
    scenario: 'embedded',
    n: emb.n,
    p50_ms: round1(emb.p50),
    p95_ms: round1(emb.p95),
    baseline_p95_ms: round1(cronBaseline.p95),
    ratio: round3(emb.p95 / Math.max(cronBaseline.p95, 1)),
    target: 'p95_ms <= 50',
    max_ms: emb.max,
    handler_called_p50_ms: emb.handler.p50,
    handler_called_p95_ms: emb.handler.p95,
    baseline: 'bare node-cron per-second task + runJob of the same jobs, no run store',
    baseline_n: cronBaseline.n,
    baseline_p50_ms: round1(cronBaseline.p50),
    statuses: emb.statuses,
    missing: emb.missing,
    warmup_firings_dropped: emb.warmupFirings,
    store: STORE,
    jobs: JOBS,
    concurrency: JOBS,
  });
  const ratioP95 = round3(bull.p95 / Math.max(raw.p95, 1));
  line({
    scenario: 'bullmq',
    n: bull.n,
    p50_ms: round1(bull.p50),
    p95_ms: round1(bull.p95),
    baseline_p95_ms: round1(raw.p95),
    ratio: ratioP95,
    target: 'ratio <= 1.5',
    max_ms: bull.max,
    handler_called_p50_ms: bull.handler.p50,
    handler_called_p95_ms: bull.handler.p95,
    baseline: 'bullmq-raw',
    statuses: bull.statuses,
    missing: bull.missing,
    warmup_firings_dropped: bull.warmupFirings,
    store: STORE,
    jobs: JOBS,
    concurrency: JOBS,
    redis_hz: hz,
  });
  line({
    scenario: 'bullmq-raw',
    n: raw.n,
    p50_ms: round1(raw.p50),
    p95_ms: round1(raw.p95),
    baseline_p95_ms: null,
    ratio: null,
    ratio_p95: ratioP95,
    target: 'ratio_p95 = bullmq_p95 / raw_p95 <= 1.5',
    max_ms: raw.max,
    halves_p95_ms: [spread(rawBefore).p95, spread(rawAfter).p95],
    concurrency: JOBS,
    redis_hz: hz,
  });
  line({
    scenario: 'recorded-run-overhead',
    n: manual.n,
    p50_ms: null,
    p95_ms: null,
    baseline_p95_ms: null,
    runs_per_s: round1(manual.perSecond),
    baseline_jobs_per_s: round1(barePerSecond),
    ratio: round3(manual.perSecond / barePerSecond),
    target: null,
    seconds: round3(manual.seconds),
    enqueue_seconds: round3(manual.enqueueSeconds),
    baseline_seconds: [round3(bareBefore.seconds), round3(bareAfter.seconds)],
    baseline_enqueue_seconds: [round3(bareBefore.enqueueSeconds), round3(bareAfter.enqueueSeconds)],
    statuses: manual.statuses,
    concurrency: 1,
    store: STORE,
  });
}

await main();
