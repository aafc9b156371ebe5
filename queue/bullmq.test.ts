// BullMQ transport on the real Redis of this machine: job schedulers, retries, shutdown, stalled-job recovery, reconnects.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Firing, FiringHandler, FiringOutcome } from '../execution/firing.js';
import { manualJobId, scheduledInstant, withQueue, type FiringJobData, type QueueOptions } from './bullmq-queue.js';
import { enqueueManual, nextFirings, removeQueued, syncJobSchedulers } from './bullmq-scheduler.js';
import { startWorker, type WorkerHandle, type StartWorkerOptions } from './bullmq-worker.js';
import { createRedisConnection, closeRedisConnection, reconnectDelayMs } from './redis-connection.js';
import type { QueueSchedule } from './transport.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

interface Received extends Firing {
  readonly receivedAt: number;
}

let admin: Redis;
let options: QueueOptions;
let logs: LogLine[];
const workers: WorkerHandle[] = [];
const children: ChildProcess[] = [];

beforeAll(() => {
  admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
});

afterAll(async () => {
  await admin.quit();
});

beforeEach(() => {
  const id = randomBytes(4).toString('hex');
  logs = [];
  options = {
    redisUrl: REDIS_URL,
    queue: `etl-test-${id}`,
    prefix: `etltest${id}`,
    onLog: (level, message, fields) => {
      logs.push({ level, message, ...(fields === undefined ? {} : { fields }) });
    },
  };
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(workers.splice(0).map((worker) => worker.close(0)));
  // Everything of the test's prefix (what obliterate removes, and the job-scheduler keys with it).
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await admin.scan(cursor, 'MATCH', `${options.prefix}:*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  if (keys.length > 0) await admin.del(...keys);
});

function worker(overrides: Partial<StartWorkerOptions> & { handler: FiringHandler }): WorkerHandle {
  const handle = startWorker({ ...options, concurrency: 4, ...overrides });
  workers.push(handle);
  return handle;
}

function recorder(outcome: (firing: Firing) => FiringOutcome | Promise<FiringOutcome> = () => ({ kind: 'succeeded', runId: 1 })): { received: Received[]; handler: FiringHandler } {
  const received: Received[] = [];
  return {
    received,
    handler: async (firing) => {
      received.push({ ...firing, receivedAt: Date.now() });
      return outcome(firing);
    },
  };
}

async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function everySecond(job: string, more: Partial<QueueSchedule> = {}): QueueSchedule {
  return { job, cron: '* * * * * *', timeZone: 'UTC', retries: 0, retryDelayMs: 0, ...more };
}

async function jobState(jobId: string): Promise<{ state: string; attemptsMade?: number; stalledCounter?: number; returnvalue?: unknown; failedReason?: string }> {
  return withQueue(options, async (queue) => {
    const job = await queue.getJob(jobId);
    if (job === undefined) return { state: 'missing' };
    return { state: await job.getState(), attemptsMade: job.attemptsMade, stalledCounter: job.stalledCounter, returnvalue: job.returnvalue, failedReason: job.failedReason };
  });
}

function countBy<T>(items: readonly T[], key: (item: T) => number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

describe('job schedulers', () => {
  it('a per-second scheduler fires with scheduledFor on whole, increasing seconds', async () => {
    const { received, handler } = recorder();
    await worker({ handler }).waitUntilReady();
    const before = Date.now();
    expect(await syncJobSchedulers(options, [everySecond('tick')])).toEqual({ upserted: ['tick'], removed: [], unchanged: [] });
    const next = (await nextFirings(options))['tick'];
    expect(next).toBeGreaterThan(before);
    expect(next).toBeLessThanOrEqual(before + 1000 + 50);
    await waitUntil('3 firings', () => received.length >= 3, 5000);
    const firings = received.slice(0, 3);
    expect(firings[0]!.scheduledFor).toBe(next);
    for (const [i, firing] of firings.entries()) {
      expect(firing).toMatchObject({ job: 'tick', trigger: 'schedule', attempt: 1 });
      expect(firing.runId).toBeUndefined();
      expect(firing.scheduledFor % 1000).toBe(0);
      expect(firing.receivedAt - firing.scheduledFor).toBeGreaterThanOrEqual(0);
      expect(firing.receivedAt - firing.scheduledFor).toBeLessThan(1000);
      if (i > 0) expect(firing.scheduledFor - firings[i - 1]!.scheduledFor).toBe(1000);
    }
    expect(logs.some((line) => line.message === 'job started' && line.fields?.['jobId'] === `repeat:tick:${next}`)).toBe(true);
  });

  it('two concurrent syncs give one scheduler and one firing per second, also when re-synced while firing', async () => {
    const { received, handler } = recorder();
    const [first, second] = await Promise.all([syncJobSchedulers(options, [everySecond('tick')]), syncJobSchedulers(options, [everySecond('tick')])]);
    expect([...first.upserted, ...first.unchanged]).toEqual(['tick']);
    expect([...second.upserted, ...second.unchanged]).toEqual(['tick']);
    expect(Object.keys(await nextFirings(options))).toEqual(['tick']);
    // Two worker processes' worth of workers, so that a duplicate job would find a taker.
    await Promise.all([worker({ handler }).waitUntilReady(), worker({ handler }).waitUntilReady()]);
    const start = Date.now();
    await sleep(1500);
    // A changed schedule (retries) is upserted by both, while the scheduler is firing.
    const resyncs = await Promise.all([syncJobSchedulers(options, [everySecond('tick', { retries: 1 })]), syncJobSchedulers(options, [everySecond('tick', { retries: 1 })])]);
    expect(resyncs.flatMap((result) => result.upserted)).toContain('tick');
    await sleep(3200 - (Date.now() - start));
    expect(Object.keys(await nextFirings(options))).toEqual(['tick']);
    const perSlot = countBy(received, (firing) => firing.scheduledFor);
    expect([...perSlot.values()].every((count) => count === 1)).toBe(true);
    expect(received.length).toBeGreaterThanOrEqual(2);
    expect(received.length).toBeLessThanOrEqual(4);
  });

  it('removing a schedule removes its scheduler and its pending job; an unchanged sync changes nothing', async () => {
    await syncJobSchedulers(options, [everySecond('a'), { job: 'b', cron: '0 3 * * *', timeZone: 'Europe/Berlin', retries: 2, retryDelayMs: 1000 }]);
    const next = await nextFirings(options);
    expect(Object.keys(next).sort()).toEqual(['a', 'b']);
    const pendingB = `repeat:b:${next['b']}`;
    expect((await jobState(pendingB)).state).toBe('delayed');
    expect(await syncJobSchedulers(options, [everySecond('a')])).toEqual({ upserted: [], removed: ['b'], unchanged: ['a'] });
    expect(Object.keys(await nextFirings(options))).toEqual(['a']);
    expect((await jobState(pendingB)).state).toBe('missing');
    expect(await syncJobSchedulers(options, [])).toEqual({ upserted: [], removed: ['a'], unchanged: [] });
    expect(await nextFirings(options)).toEqual({});
  });

  it('refuses a bad schedule before writing anything', async () => {
    await expect(syncJobSchedulers(options, [everySecond('a'), { ...everySecond('b'), cron: 'not a cron' }])).rejects.toThrow(/job "b": cron "not a cron"/);
    await expect(syncJobSchedulers(options, [everySecond('a'), everySecond('a')])).rejects.toThrow(/job "a": scheduled twice/);
    expect(await nextFirings(options)).toEqual({});
  });
});

describe('scheduledInstant', () => {
  it('reads the slot from the job id, then opts.prevMillis, then data, then the creation time', () => {
    const data: FiringJobData = { job: 'a', trigger: 'schedule' };
    expect(scheduledInstant({ id: 'repeat:a:1700000001000', repeatJobKey: 'a', opts: { prevMillis: 5 }, timestamp: 1 }, data)).toBe(1700000001000);
    expect(scheduledInstant({ id: 'repeat:x:y:1700000001000', repeatJobKey: 'x:y', opts: {}, timestamp: 1 }, data)).toBe(1700000001000);
    expect(scheduledInstant({ id: 'odd', repeatJobKey: 'a', opts: { prevMillis: 1700000002000 }, timestamp: 1 }, data)).toBe(1700000002000);
    expect(scheduledInstant({ id: 'run-4', repeatJobKey: undefined, opts: {}, timestamp: 9 }, { ...data, trigger: 'manual', scheduledFor: 7 })).toBe(7);
    expect(scheduledInstant({ id: 'run-4', repeatJobKey: undefined, opts: {}, timestamp: 9 }, data)).toBe(9);
  });
});

describe('retries', () => {
  it('failed with retry:true twice, then succeeded: attempts 1, 2, 3 (schedule, retry, retry) after the backoff', async () => {
    let slot: number | undefined;
    const ends: number[] = [];
    const { received, handler } = recorder((firing) => {
      slot ??= firing.scheduledFor;
      if (firing.scheduledFor !== slot) return { kind: 'succeeded', runId: 0 };
      const count = received.filter((f) => f.scheduledFor === slot).length;
      ends.push(Date.now());
      return count < 3 ? { kind: 'failed', runId: count, error: `try ${count} failed`, retry: true } : { kind: 'succeeded', runId: count };
    });
    await worker({ handler }).waitUntilReady();
    await syncJobSchedulers(options, [everySecond('flaky', { retries: 2, retryDelayMs: 300 })]);
    await waitUntil('3 attempts of one slot', () => received.filter((f) => f.scheduledFor === slot).length >= 3, 6000);
    const attempts = received.filter((f) => f.scheduledFor === slot);
    expect(attempts.map((f) => f.attempt)).toEqual([1, 2, 3]);
    expect(attempts.map((f) => f.trigger)).toEqual(['schedule', 'retry', 'retry']);
    // A retry is a new attempt, not a redelivery.
    expect(attempts.map((f) => f.redelivered)).toEqual([undefined, undefined, undefined]);
    // Exponential backoff: 300 ms, then 600 ms.
    expect(attempts[1]!.receivedAt - ends[0]!).toBeGreaterThanOrEqual(300);
    expect(attempts[2]!.receivedAt - ends[1]!).toBeGreaterThanOrEqual(600);
    await waitUntil('completed', async () => (await jobState(`repeat:flaky:${slot}`)).state === 'completed', 2000);
    expect((await jobState(`repeat:flaky:${slot}`)).returnvalue).toEqual({ kind: 'succeeded', runId: 3 });
    expect(logs.filter((line) => line.message === 'job failed, will be retried')).toHaveLength(2);
  });

  it('failed with retry:false is not retried, whatever the attempts left', async () => {
    const { received, handler } = recorder(() => ({ kind: 'failed', runId: 5, error: 'bad configuration', retry: false }));
    await worker({ handler }).waitUntilReady();
    const jobId = await enqueueManual(options, { job: 'broken', runId: 5, trigger: 'manual', retries: 3, retryDelayMs: 50 });
    await waitUntil('failed', async () => (await jobState(jobId)).state === 'failed', 3000);
    await sleep(400);
    expect(received).toHaveLength(1);
    expect(await jobState(jobId)).toMatchObject({ state: 'failed', attemptsMade: 1, failedReason: 'bad configuration' });
    expect(logs.find((line) => line.message === 'job failed, not retried')?.fields).toMatchObject({ job: 'broken', why: 'not retryable' });
  });
});

describe('manual runs', () => {
  it('a queued run reaches the handler once, with its run id and trigger; queuing it again is a no-op', async () => {
    const scheduledFor = Date.now() - 5000;
    expect(await enqueueManual(options, { job: 'report', runId: 42, trigger: 'backfill', scheduledFor })).toBe('run-42');
    expect(await enqueueManual(options, { job: 'report', runId: 42, trigger: 'backfill', scheduledFor })).toBe('run-42');
    const { received, handler } = recorder((firing) => ({ kind: 'skipped', runId: firing.runId ?? 0, why: 'already running' }));
    await worker({ handler }).waitUntilReady();
    await waitUntil('completed', async () => (await jobState('run-42')).state === 'completed', 3000);
    expect(received).toEqual([expect.objectContaining({ job: 'report', trigger: 'backfill', runId: 42, attempt: 1, scheduledFor })]);
    expect((await jobState('run-42')).returnvalue).toEqual({ kind: 'skipped', runId: 42, why: 'already running' });
  });

  it('removeQueued takes back a run no worker has taken, and nothing else', async () => {
    await enqueueManual(options, { job: 'report', runId: 7, trigger: 'manual' });
    expect((await jobState(manualJobId(7))).state).toBe('waiting');
    expect(await removeQueued(options, 7)).toBe(true);
    expect((await jobState(manualJobId(7))).state).toBe('missing');
    expect(await removeQueued(options, 7)).toBe(false);
    const { handler } = recorder();
    await worker({ handler }).waitUntilReady();
    await enqueueManual(options, { job: 'report', runId: 8, trigger: 'manual' });
    await waitUntil('completed', async () => (await jobState(manualJobId(8))).state === 'completed', 3000);
    expect(await removeQueued(options, 8)).toBe(false);
    expect((await jobState(manualJobId(8))).state).toBe('completed');
  });
});

describe('close(grace)', () => {
  function honouring(events: { startedAt?: number; abortedAt?: number; reason?: unknown }): FiringHandler {
    return async (firing, signal) => {
      events.startedAt = Date.now();
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      events.abortedAt = Date.now();
      events.reason = signal.reason;
      return { kind: 'cancelled', runId: firing.runId ?? 0 };
    };
  }

  it('a handler that honours the signal sees the abort only after the grace, and its cancel is recorded', async () => {
    const events: { startedAt?: number; abortedAt?: number; reason?: unknown } = {};
    const handle = worker({ handler: honouring(events) });
    await handle.waitUntilReady();
    await enqueueManual(options, { job: 'long', runId: 1, trigger: 'manual' });
    await waitUntil('start', () => events.startedAt !== undefined, 3000);
    expect(await removeQueued(options, 1)).toBe(false);
    const closeAt = Date.now();
    await handle.close(1000);
    const closedAt = Date.now();
    expect(events.abortedAt! - closeAt).toBeGreaterThanOrEqual(1000);
    expect(closedAt - events.abortedAt!).toBeLessThan(1500);
    expect(events.reason).toMatchObject({ name: 'WorkerClosingError' });
    expect((await jobState('run-1')).state).toBe('completed');
    expect((await jobState('run-1')).returnvalue).toEqual({ kind: 'cancelled', runId: 1 });
  });

  it('a job that ends within the grace is not aborted, and no job is taken after close began', async () => {
    let aborted = false;
    let calls = 0;
    const handle = worker({
      concurrency: 2,
      handler: async (firing, signal) => {
        calls += 1;
        await sleep(300);
        aborted = signal.aborted;
        return { kind: 'succeeded', runId: firing.runId ?? 0 };
      },
    });
    await handle.waitUntilReady();
    await enqueueManual(options, { job: 'short', runId: 1, trigger: 'manual' });
    await waitUntil('start', () => calls === 1, 3000);
    const closing = handle.close(5000);
    await enqueueManual(options, { job: 'short', runId: 2, trigger: 'manual' });
    const closeAt = Date.now();
    await closing;
    expect(Date.now() - closeAt).toBeLessThan(1500);
    expect(aborted).toBe(false);
    expect(calls).toBe(1);
    expect((await jobState('run-1')).state).toBe('completed');
    expect((await jobState('run-2')).state).toBe('waiting');
  });

  it('cancelRun aborts the signal of the running job of that run', async () => {
    const events: { startedAt?: number; abortedAt?: number; reason?: unknown } = {};
    const handle = worker({ handler: honouring(events) });
    await handle.waitUntilReady();
    await enqueueManual(options, { job: 'long', runId: 11, trigger: 'manual' });
    await waitUntil('start', () => events.startedAt !== undefined, 3000);
    expect(handle.activeFirings()).toEqual([expect.objectContaining({ jobId: 'run-11', firing: expect.objectContaining({ runId: 11 }) })]);
    expect(handle.cancelRun(12)).toBe(false);
    expect(handle.cancelRun(11, 'asked in the UI')).toBe(true);
    await waitUntil('completed', async () => (await jobState('run-11')).state === 'completed', 3000);
    expect(events.reason).toMatchObject({ name: 'FiringCancelledError', message: 'asked in the UI' });
    expect((await jobState('run-11')).returnvalue).toEqual({ kind: 'cancelled', runId: 11 });
    expect(handle.activeFirings()).toEqual([]);
  });

  it('a handler that ignores the abort is left behind after the abort wait: close does not hang', async () => {
    let started = false;
    const handle = worker({ abortWaitMs: 300, handler: () => ((started = true), new Promise<FiringOutcome>(() => {})) });
    await handle.waitUntilReady();
    await enqueueManual(options, { job: 'stuck', runId: 1, trigger: 'manual' });
    await waitUntil('start', () => started, 3000);
    const closeAt = Date.now();
    await handle.close(200);
    expect(Date.now() - closeAt).toBeGreaterThanOrEqual(500);
    expect(Date.now() - closeAt).toBeLessThan(2500);
    expect(logs.some((line) => line.message === 'jobs did not stop after abort: left to stalled-job recovery')).toBe(true);
    expect((await jobState('run-1')).state).toBe('active');
  });
});

describe('stalled jobs', () => {
  // A bare BullMQ worker in its own process (plain ESM, run from the project root so 'bullmq' resolves).
  const CHILD = `
    import { Worker } from 'bullmq';
    import { Redis } from 'ioredis';
    const [url, queue, prefix] = process.argv.slice(1);
    const connection = new Redis(url, { maxRetriesPerRequest: null });
    const worker = new Worker(queue, async (job) => {
      process.stdout.write('started ' + job.id + '\\n');
      await new Promise(() => {});
    }, { connection, prefix, lockDuration: 2000, stalledInterval: 1000 });
    await worker.waitUntilReady();
    process.stdout.write('ready\\n');
  `;

  it('a job whose worker is killed (SIGKILL) mid-run is recovered by another worker and completed once', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, REDIS_URL, options.queue!, options.prefix!], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    await waitUntil(`child worker ready (stderr: ${err})`, () => out.includes('ready'), 10_000);
    const jobId = await enqueueManual(options, { job: 'crashy', runId: 9, trigger: 'manual' });
    await waitUntil('child took the job', () => out.includes(`started ${jobId}`), 5000);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect((await jobState(jobId)).state).toBe('active');

    const { received, handler } = recorder((firing) => ({ kind: 'succeeded', runId: firing.runId ?? 0 }));
    const killedAt = Date.now();
    await worker({ handler, lockDurationMs: 2000, stalledIntervalMs: 1000 }).waitUntilReady();
    await waitUntil('recovered job completed', async () => (await jobState(jobId)).state === 'completed', 10_000);
    const recoveredAfter = Date.now() - killedAt;
    await sleep(1200);
    expect(received).toHaveLength(1);
    // Stalled recovery is not a failed attempt: attemptsMade stays 0, so the firing is attempt 1 again.
    expect(received[0]).toMatchObject({ job: 'crashy', runId: 9, trigger: 'manual', attempt: 1, redelivered: true });
    expect(await jobState(jobId)).toMatchObject({ state: 'completed', stalledCounter: 1, attemptsMade: 1 });
    expect(logs.some((line) => line.message.startsWith('job stalled') && line.fields?.['jobId'] === jobId)).toBe(true);
    expect(recoveredAfter).toBeLessThan(8000);
  });
});

describe('redis connections', () => {
  it('never logs the password of the Redis URL', async () => {
    const lines: LogLine[] = [];
    const client = createRedisConnection({ redisUrl: 'redis://:s3cret@127.0.0.1:1/0', role: 'queue', onLog: (level, message, fields) => lines.push({ level, message, fields: fields ?? {} }) });
    await waitUntil('a retry log', () => lines.length > 0, 3000);
    await closeRedisConnection(client);
    expect(lines[0]).toMatchObject({ level: 'warn', message: 'redis not reachable, retrying', fields: { redis: 'redis://:***@127.0.0.1:1/0' } });
    expect(JSON.stringify(lines)).not.toContain('s3cret');
    expect(() => createRedisConnection({ redisUrl: 'http://:s3cret@x', role: 'queue' })).toThrow(/http:\/\/:\*\*\*@x/);
  });

  it('a worker started while Redis is unreachable closes without hanging', async () => {
    const { handler } = recorder();
    const handle = startWorker({ ...options, redisUrl: 'redis://:s3cret@127.0.0.1:1', concurrency: 1, handler });
    await waitUntil('a retry log', () => logs.some((line) => line.message === 'redis not reachable, retrying'), 3000);
    const closeAt = Date.now();
    await handle.close(100);
    expect(Date.now() - closeAt).toBeLessThan(2000);
    expect(logs.filter((line) => line.message === 'redis not reachable, retrying')).toHaveLength(1);
    expect(JSON.stringify(logs)).not.toContain('s3cret');
  });

  it('backs off exponentially up to 10 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(reconnectDelayMs)).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('a worker whose connections are killed logs the outage once, reconnects, and goes on taking jobs', async () => {
    const { received, handler } = recorder();
    await worker({ handler }).waitUntilReady();
    const list = (await admin.client('LIST')) as string;
    const ours = list
      .split('\n')
      .filter((line) => line.includes(` name=${options.prefix}:`))
      .map((line) => /(?:^|\s)id=(\d+)/.exec(line)![1]!);
    expect(ours.length).toBe(2);
    for (const id of ours) await admin.client('KILL', 'ID', id);
    await waitUntil('restored', () => logs.some((line) => line.message === 'redis connection restored'), 5000);
    await enqueueManual(options, { job: 'after', runId: 3, trigger: 'manual' });
    await waitUntil('job after the outage', () => received.length === 1, 5000);
    expect(logs.filter((line) => line.message === 'redis connection lost, reconnecting')).toHaveLength(1);
    expect(logs.filter((line) => line.message === 'redis connection restored')).toHaveLength(1);
    expect(logs.filter((line) => line.level === 'error')).toEqual([]);
  });
});
