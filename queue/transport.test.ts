// The queue through its one door (openQueueTransport): the scheme switch, and the BullMQ transport end to end on the real Redis.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Firing } from '../execution/firing.js';
import { UsageError } from '../graph/errors.js';
import { deleteKeys } from '../test/support/redis.js';
import { waitFor } from '../test/support/wait.js';
import { openQueueTransport } from './open-transport.js';
import type { QueueWorker } from './transport.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
const prefixes: string[] = [];
const workers: QueueWorker[] = [];

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.close(0)));
  for (const prefix of prefixes.splice(0)) await deleteKeys(admin, prefix);
});

afterAll(async () => {
  await admin.quit();
});

function testPrefix(): string {
  const prefix = `etltransport${randomBytes(4).toString('hex')}`;
  prefixes.push(prefix);
  return prefix;
}

describe('openQueueTransport', () => {
  it('opens BullMQ for redis:// and rediss:// URLs, with the default queue name', async () => {
    expect((await openQueueTransport({ url: REDIS_URL })).queue).toBe('etl');
    expect((await openQueueTransport({ url: 'REDISS://cache.example:6380', queue: 'reports' })).queue).toBe('reports');
  });

  it('refuses any other URL with a UsageError naming the option and the known schemes, the password masked', async () => {
    const refused = openQueueTransport({ url: 'amqp://etl:s3cret@broker:5672' });
    await expect(refused).rejects.toBeInstanceOf(UsageError);
    await expect(refused).rejects.toThrow(/scheduler\.redisUrl or REDIS_URL\): unknown scheme "amqp:"; known: redis:\/\/, rediss:\/\//);
    await expect(refused).rejects.not.toThrow(/s3cret/);
    await expect(openQueueTransport({ url: '127.0.0.1:6379' })).rejects.toThrow(/no scheme; known: redis:\/\/, rediss:\/\//);
  });

  it('checks the queue name when opened', async () => {
    await expect(openQueueTransport({ url: REDIS_URL, queue: 'a:b' })).rejects.toThrow(/queue name "a:b"/);
  });
});

describe('the BullMQ transport', () => {
  it('queues runs in one round trip, counts them, takes one back, and hands the rest to a worker as firings', async () => {
    const transport = await openQueueTransport({ url: REDIS_URL, queue: 'transport', prefix: testPrefix() });
    const ids = await transport.enqueueMany([
      { job: 'report', runId: 1, trigger: 'backfill', scheduledFor: 86_400_000 },
      { job: 'report', runId: 2, trigger: 'backfill', scheduledFor: 172_800_000 },
    ]);
    expect(ids).toEqual(['run-1', 'run-2']);
    expect(await transport.enqueue({ job: 'report', runId: 3, trigger: 'manual' })).toBe('run-3');
    expect(await transport.counts()).toEqual({ waiting: 3, active: 0, delayed: 0, prioritized: 0, completed: 0, failed: 0 });
    expect(await transport.removeQueued(3)).toBe(true);
    expect(await transport.removeQueued(3)).toBe(false);

    const received: Firing[] = [];
    const worker = transport.startWorker({
      concurrency: 1,
      handler: async (firing) => {
        received.push(firing);
        return { kind: 'succeeded', runId: firing.runId ?? 0 };
      },
    });
    workers.push(worker);
    await worker.waitUntilReady();
    await waitFor('both firings', () => (received.length === 2 ? true : undefined), 5000);
    expect(received).toEqual([
      { job: 'report', trigger: 'backfill', scheduledFor: 86_400_000, attempt: 1, runId: 1 },
      { job: 'report', trigger: 'backfill', scheduledFor: 172_800_000, attempt: 1, runId: 2 },
    ]);
    await waitFor('both completed', async () => ((await transport.counts()).completed === 2 ? true : undefined), 5000);
  });

  it('keeps the job schedules in step (idempotent)', async () => {
    const transport = await openQueueTransport({ url: REDIS_URL, prefix: testPrefix() });
    const daily = { job: 'daily', cron: '0 3 * * *', timeZone: 'Europe/Berlin', retries: 1, retryDelayMs: 1000 };
    expect(await transport.syncSchedules([daily])).toEqual({ upserted: ['daily'], removed: [], unchanged: [] });
    expect(await transport.syncSchedules([daily])).toEqual({ upserted: [], removed: [], unchanged: ['daily'] });
    expect(await transport.counts()).toMatchObject({ delayed: 1 });
    expect(await transport.syncSchedules([])).toEqual({ upserted: [], removed: ['daily'], unchanged: [] });
  });
});
