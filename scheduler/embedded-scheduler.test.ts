// The embedded scheduler on an injected clock: firing instants (DST days included), late ticks, concurrency, one run of a job at a time, pause, retries, timeouts, stop and manual runs.
import { describe, expect, it } from 'vitest';
import { graphBuilder, MissingServiceError, sink, source, UnrecoverableError, type NodeContext } from '../graph/index.js';
import { defineJob, type Job } from '../jobs/job.js';
import { JobRegistry } from '../jobs/registry.js';
import { EmbeddedScheduler } from './embedded-scheduler.js';
import type { FiringHandler } from '../execution/firing.js';
import type { MemoryJobStateStore } from '../test/support/memory-job-state.js';
import type { MemoryRunStore } from '../test/support/memory-run-store.js';
import { memoryRunStorage } from '../test/support/memory-run-storage.js';
import { createFiringHandler, type FiringLog } from '../execution/run-firing.js';
import type { RunRecord } from '../runs/run-store.js';
import type { JobSchedule } from './schedule.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** A job whose single source runs `body` (which may wait, throw, or watch ctx.signal). */
function job(name: string, body: (ctx: NodeContext) => Promise<void> | void = () => undefined, services: readonly string[] = []): Job {
  return defineJob({
    name,
    description: `test job ${name}`,
    services,
    build: () => {
      const b = graphBuilder(name);
      b.source('read', source(async function* (ctx: NodeContext) {
        await body(ctx);
        yield 1;
      })).to('out', sink(() => undefined));
      return b.build();
    },
  });
}

/** Resolves when `ctx.signal` aborts (a job that runs until it is cancelled). */
const untilAborted = (ctx: NodeContext): Promise<void> =>
  new Promise((resolve) => (ctx.signal.aborted ? resolve() : ctx.signal.addEventListener('abort', () => resolve(), { once: true })));

/** A gate a job waits on until the test opens it. */
function gate(): { wait: () => Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { wait: () => opened, open };
}

function schedule(jobName: string, cron: string, more: Partial<JobSchedule> = {}): JobSchedule {
  return { job: jobName, cron, timeZone: 'UTC', retries: 0, retryDelayMs: 20, ...more };
}

interface Harness {
  readonly scheduler: EmbeddedScheduler;
  readonly store: MemoryRunStore;
  readonly jobs: MemoryJobStateStore;
  readonly logs: LogLine[];
  /** Moves the clock to `iso` and ticks there. */
  tickAt(iso: string): Promise<void>;
  /** Ticks at `t`, then waits until no run is active. */
  tickAndSettle(t: number): Promise<void>;
  /** Waits until no run is active (and no firing waits for a slot). */
  settle(timeoutMs?: number): Promise<void>;
  records(): Promise<RunRecord[]>;
  /** Handlers running now, and the most ever at once. */
  readonly handlers: { now: number; max: number };
}

function harness(options: {
  readonly jobs: readonly Job[];
  readonly schedules: readonly JobSchedule[];
  readonly startAt: string;
  readonly concurrency?: number;
}): Harness {
  let clock = at(options.startAt);
  const logs: LogLine[] = [];
  const log: FiringLog = {
    info: (fields, message) => void logs.push({ level: 'info', fields, message }),
    warn: (fields, message) => void logs.push({ level: 'warn', fields, message }),
    error: (fields, message) => void logs.push({ level: 'error', fields, message }),
  };
  const storage = memoryRunStorage();
  const store = storage.runs;
  const inner = createFiringHandler({
    registry: new JobRegistry(options.jobs),
    services: {},
    store,
    jobs: storage.jobs,
    schedules: new Map(options.schedules.map((s) => [s.job, s])),
    timeZone: 'UTC',
    log,
    firingKeys: true,
  });
  const handlers = { now: 0, max: 0 };
  const handler: FiringHandler = async (firing, signal) => {
    handlers.now += 1;
    handlers.max = Math.max(handlers.max, handlers.now);
    try {
      return await inner(firing, signal);
    } finally {
      handlers.now -= 1;
    }
  };
  const scheduler = new EmbeddedScheduler({
    schedules: options.schedules,
    handler,
    storage,
    log,
    now: () => clock,
    autoTick: false,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  });
  scheduler.start();
  const settle = async (timeoutMs = 5_000): Promise<void> => {
    const until = Date.now() + timeoutMs;
    while (scheduler.activeRuns() > 0) {
      if (Date.now() > until) throw new Error(`runs still active after ${timeoutMs} ms`);
      await sleep(1);
    }
  };
  return {
    scheduler,
    store,
    jobs: storage.jobs,
    logs,
    handlers,
    async tickAt(when) {
      clock = at(when);
      await scheduler.tick(clock);
    },
    async tickAndSettle(t) {
      clock = t;
      await scheduler.tick(t);
      await settle();
    },
    settle,
    records: async () => (await store.list({ limit: 1_000 })).reverse(),
  };
}

/** Polls until `probe` holds (real time). */
async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`);
    await sleep(2);
  }
}

describe('firing on time', () => {
  it("fires '*/15 * * * *' at its cron instants, not before, once each", async () => {
    const h = harness({ jobs: [job('quarter')], schedules: [schedule('quarter', '*/15 * * * *')], startAt: '2026-12-01T10:00:00Z' });
    expect(iso(h.scheduler.nextFirings().get('quarter')!)).toBe('2026-12-01T10:15:00.000Z');
    for (const t of ['10:14:59', '10:15:00', '10:15:01', '10:29:59', '10:30:00', '10:44:00', '10:45:00', '10:45:59']) {
      await h.tickAndSettle(at(`2026-12-01T${t}Z`));
    }
    const records = await h.records();
    expect(records.map((r) => [iso(r.scheduledFor), r.trigger, r.status, r.attempt])).toEqual([
      ['2026-12-01T10:15:00.000Z', 'schedule', 'succeeded', 1],
      ['2026-12-01T10:30:00.000Z', 'schedule', 'succeeded', 1],
      ['2026-12-01T10:45:00.000Z', 'schedule', 'succeeded', 1],
    ]);
    expect(iso(h.scheduler.nextFirings().get('quarter')!)).toBe('2026-12-01T11:00:00.000Z');
    expect(h.logs.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it("fires '0 * * * *' in Europe/Paris twice in the repeated hour of 2026-10-25 (00:00Z and 01:00Z)", async () => {
    const paris = schedule('hourly', '0 * * * *', { timeZone: 'Europe/Paris' });
    const h = harness({ jobs: [job('hourly')], schedules: [paris], startAt: '2026-10-24T23:30:00Z' });
    // Every five minutes from 23:30Z to 01:55Z: local 01:30 CEST, the two 02:00s, up to 02:55 CET.
    for (let t = at('2026-10-24T23:35:00Z'); t < at('2026-10-25T02:00:00Z'); t += 5 * 60_000) await h.tickAndSettle(t);
    const records = await h.records();
    expect(records.map((r) => [iso(r.scheduledFor), r.status])).toEqual([
      ['2026-10-25T00:00:00.000Z', 'succeeded'],
      ['2026-10-25T01:00:00.000Z', 'succeeded'],
    ]);
    expect(h.logs.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it("fires '30 2 * * *' in Europe/Paris once on 2026-03-29 (02:30 does not exist), at 01:30Z", async () => {
    const paris = schedule('night', '30 2 * * *', { timeZone: 'Europe/Paris' });
    const h = harness({ jobs: [job('night')], schedules: [paris], startAt: '2026-03-28T23:00:00Z' });
    // Every fifteen minutes over the whole local day of 2026-03-29 (23 hours: 2026-03-28T23:00Z to 2026-03-29T22:00Z).
    for (let t = at('2026-03-28T23:15:00Z'); t < at('2026-03-29T22:00:00Z'); t += 15 * 60_000) await h.tickAndSettle(t);
    const records = await h.records();
    expect(records.map((r) => [iso(r.scheduledFor), r.status])).toEqual([['2026-03-29T01:30:00.000Z', 'succeeded']]);
    expect(iso(h.scheduler.nextFirings().get('night')!)).toBe('2026-03-30T00:30:00.000Z');
  });
});

describe('late ticks', () => {
  it('a late tick fires only the latest due firing and logs how many were missed', async () => {
    const h = harness({ jobs: [job('quarter')], schedules: [schedule('quarter', '*/15 * * * *')], startAt: '2026-12-01T10:00:00Z' });
    // Due 10:15, 10:30 and 10:45; the tick comes at 10:50.
    await h.tickAndSettle(at('2026-12-01T10:50:00Z'));
    const records = await h.records();
    expect(records.map((r) => [iso(r.scheduledFor), r.status])).toEqual([['2026-12-01T10:45:00.000Z', 'succeeded']]);
    const late = h.logs.filter((l) => l.level === 'warn');
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ fields: { job: 'quarter', missed: 2 } });
    expect(late[0]!.message).toContain('2 firings of quarter not run');
    expect(iso(h.scheduler.nextFirings().get('quarter')!)).toBe('2026-12-01T11:00:00.000Z');
  });
});

describe('concurrency and one run of a job at a time', () => {
  it('runs at most `concurrency` firings at once; a waiting one starts when a slot frees', async () => {
    const gates = { a: gate(), b: gate(), c: gate() };
    const started: string[] = [];
    const slow = (name: 'a' | 'b' | 'c'): Job =>
      job(name, async () => {
        started.push(name);
        await gates[name].wait();
      });
    const h = harness({
      jobs: [slow('a'), slow('b'), slow('c')],
      schedules: ['a', 'b', 'c'].map((name) => schedule(name, '0 * * * *')),
      startAt: '2026-12-01T10:30:00Z',
      concurrency: 2,
    });
    await h.tickAt('2026-12-01T11:00:00Z');
    await until('a and b to start', () => started.length === 2);
    expect(started).toEqual(['a', 'b']);
    expect(h.scheduler.activeRuns()).toBe(2);
    await sleep(50);
    expect(started).toEqual(['a', 'b']); // c waits for a slot
    expect(h.handlers.max).toBe(2);

    gates.a.open();
    await until('c to start', () => started.length === 3);
    expect(h.handlers.max).toBe(2);
    gates.b.open();
    gates.c.open();
    await h.settle();
    expect(h.handlers.max).toBe(2);
    const records = await h.records();
    expect(records.map((r) => [r.job, r.status, iso(r.scheduledFor)])).toEqual([
      ['a', 'succeeded', '2026-12-01T11:00:00.000Z'],
      ['b', 'succeeded', '2026-12-01T11:00:00.000Z'],
      ['c', 'succeeded', '2026-12-01T11:00:00.000Z'],
    ]);
  });

  it("a firing of a job whose run is still going is recorded skipped, naming the running run", async () => {
    const release = gate();
    const h = harness({
      jobs: [job('long', () => release.wait())],
      schedules: [schedule('long', '*/15 * * * *')],
      startAt: '2026-12-01T10:00:00Z',
    });
    await h.tickAt('2026-12-01T10:15:00Z');
    await until('the first run to be running', async () => (await h.records())[0]?.status === 'running');
    const first = (await h.records())[0]!;

    await h.tickAt('2026-12-01T10:30:00Z');
    await until('the second firing to be recorded', async () => (await h.records())[1]?.status === 'skipped');
    const second = (await h.records())[1]!;
    expect(second).toMatchObject({ job: 'long', trigger: 'schedule', scheduledFor: at('2026-12-01T10:30:00Z') });
    expect(second.error).toContain(`skipped: the job is already running (run ${first.id}, pid ${process.pid}`);

    release.open();
    await h.settle();
    expect((await h.records()).map((r) => r.status)).toEqual(['succeeded', 'skipped']);
    expect(h.scheduler.finished().map((f) => f.outcome.kind)).toEqual(['skipped', 'succeeded']);
  });

  it('a firing of a paused job is recorded skipped; after resume it runs', async () => {
    const h = harness({ jobs: [job('quiet')], schedules: [schedule('quiet', '*/15 * * * *')], startAt: '2026-12-01T10:00:00Z' });
    await h.jobs.setPaused('quiet', true);
    await h.tickAndSettle(at('2026-12-01T10:15:00Z'));
    await h.jobs.setPaused('quiet', false);
    await h.tickAndSettle(at('2026-12-01T10:30:00Z'));
    const records = await h.records();
    expect(records.map((r) => [iso(r.scheduledFor), r.status])).toEqual([
      ['2026-12-01T10:15:00.000Z', 'skipped'],
      ['2026-12-01T10:30:00.000Z', 'succeeded'],
    ]);
    expect(records[0]!.error).toContain('paused');
  });
});

describe('retries', () => {
  it('retries a failing job `retries` times after retryDelay, doubled: attempts 1, 2, 3 (schedule, retry, retry)', async () => {
    let calls = 0;
    const times: number[] = [];
    const failing = job('flaky', () => {
      calls += 1;
      times.push(Date.now());
      throw new Error(`boom ${calls}`);
    });
    const h = harness({ jobs: [failing], schedules: [schedule('flaky', '0 * * * *', { retries: 2, retryDelayMs: 20 })], startAt: '2026-12-01T10:30:00Z' });
    await h.tickAt('2026-12-01T11:00:00Z');
    await until('three finished attempts', () => h.scheduler.finished().length === 3);
    await sleep(150); // no fourth attempt
    expect(calls).toBe(3);
    const records = await h.records();
    expect(records.map((r) => [r.attempt, r.trigger, r.status, iso(r.scheduledFor)])).toEqual([
      [1, 'schedule', 'failed', '2026-12-01T11:00:00.000Z'],
      [2, 'retry', 'failed', '2026-12-01T11:00:00.000Z'],
      [3, 'retry', 'failed', '2026-12-01T11:00:00.000Z'],
    ]);
    expect(records.map((r) => r.error)).toEqual(["job 'flaky': node 'read' failed: boom 1", "job 'flaky': node 'read' failed: boom 2", "job 'flaky': node 'read' failed: boom 3"]);
    // 20 ms before the first retry, 40 ms before the second.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(18);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(38);
    expect(h.logs.filter((l) => l.message.startsWith('retrying flaky')).map((l) => l.fields)).toEqual([
      { job: 'flaky', attempt: 2, delayMs: 20 },
      { job: 'flaky', attempt: 3, delayMs: 40 },
    ]);
  });

  it('does not retry a job whose node throws UnrecoverableError', async () => {
    let calls = 0;
    const fatal = job('fatal', () => {
      calls += 1;
      throw new UnrecoverableError('the input is unusable');
    });
    const h = harness({ jobs: [fatal], schedules: [schedule('fatal', '0 * * * *', { retries: 2, retryDelayMs: 20 })], startAt: '2026-12-01T10:30:00Z' });
    await h.tickAndSettle(at('2026-12-01T11:00:00Z'));
    await sleep(150);
    expect(calls).toBe(1);
    const records = await h.records();
    expect(records.map((r) => [r.attempt, r.trigger, r.status])).toEqual([[1, 'schedule', 'failed']]);
    expect(records[0]!.error).toContain('the input is unusable');
    expect(h.scheduler.finished().map((f) => f.outcome)).toEqual([expect.objectContaining({ kind: 'failed', retry: false })]);
    expect(h.logs.some((l) => l.message.startsWith('retrying'))).toBe(false);
  });

  it('does not retry a job that needs a missing service (MissingServiceError)', async () => {
    const needy = job('needy', () => undefined, ['website']);
    const h = harness({ jobs: [needy], schedules: [schedule('needy', '0 * * * *', { retries: 2, retryDelayMs: 20 })], startAt: '2026-12-01T10:30:00Z' });
    await h.tickAndSettle(at('2026-12-01T11:00:00Z'));
    await sleep(150);
    const records = await h.records();
    expect(records.map((r) => [r.attempt, r.trigger, r.status])).toEqual([[1, 'schedule', 'failed']]);
    expect(records[0]!.error).toContain(new MissingServiceError('needy', ['website']).message);
    expect(h.scheduler.finished().map((f) => f.outcome)).toEqual([expect.objectContaining({ kind: 'failed', retry: false })]);
  });
});

describe('timeouts and stopping', () => {
  it("fails a run that outlives its schedule's timeout: recorded failed 'timed out after 50ms'", async () => {
    const h = harness({
      jobs: [job('stuck', untilAborted)],
      schedules: [schedule('stuck', '0 * * * *', { timeoutMs: 50 })],
      startAt: '2026-12-01T10:30:00Z',
    });
    const began = Date.now();
    await h.tickAndSettle(at('2026-12-01T11:00:00Z'));
    expect(Date.now() - began).toBeLessThan(2_000);
    const records = await h.records();
    expect(records.map((r) => [r.status, r.trigger])).toEqual([['failed', 'schedule']]);
    expect(records[0]!.error).toContain('timed out after 50ms');
  });

  it('stop(grace): a run that ends within the grace is not cancelled', async () => {
    const h = harness({ jobs: [job('brief', () => sleep(60))], schedules: [schedule('brief', '0 * * * *')], startAt: '2026-12-01T10:30:00Z' });
    await h.tickAt('2026-12-01T11:00:00Z');
    await until('the run to be running', async () => (await h.records())[0]?.status === 'running');
    expect(await h.scheduler.stop(2_000)).toEqual({ cancelled: 0 });
    expect(h.scheduler.activeRuns()).toBe(0);
    expect((await h.records()).map((r) => r.status)).toEqual(['succeeded']);
    // A stopped scheduler fires nothing more.
    await h.tickAt('2026-12-01T12:00:00Z');
    await sleep(20);
    expect(await h.records()).toHaveLength(1);
  });

  it('stop(grace): a run that goes on past the grace is cancelled after it and recorded cancelled', async () => {
    const h = harness({ jobs: [job('endless', untilAborted)], schedules: [schedule('endless', '0 * * * *')], startAt: '2026-12-01T10:30:00Z' });
    await h.tickAt('2026-12-01T11:00:00Z');
    await until('the run to be running', async () => (await h.records())[0]?.status === 'running');
    const began = Date.now();
    expect(await h.scheduler.stop(100)).toEqual({ cancelled: 1 });
    const took = Date.now() - began;
    expect(took).toBeGreaterThanOrEqual(95);
    expect(took).toBeLessThan(2_000);
    expect(h.scheduler.activeRuns()).toBe(0);
    expect((await h.records()).map((r) => r.status)).toEqual(['cancelled']);
  });
});

describe('manual runs', () => {
  it('a queued manual record without owner is picked up on the next tick and recorded succeeded under the same id', async () => {
    let ran = 0;
    const h = harness({ jobs: [job('adhoc', () => void (ran += 1))], schedules: [], startAt: '2026-12-01T10:30:00Z' });
    const id = (await h.store.create({ job: 'adhoc', trigger: 'manual' }))!;
    expect((await h.store.get(id))!.pid).toBeNull();
    await h.tickAndSettle(at('2026-12-01T10:30:01Z'));
    expect(ran).toBe(1);
    const records = await h.records();
    expect(records.map((r) => [r.id, r.job, r.trigger, r.status, r.pid])).toEqual([[id, 'adhoc', 'manual', 'succeeded', process.pid]]);
    // Taken once: a later tick does not run it again.
    await h.tickAndSettle(at('2026-12-01T10:30:02Z'));
    expect(ran).toBe(1);
    expect(await h.records()).toHaveLength(1);
  });
});
