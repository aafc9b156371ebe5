// The queue page and /api/queue: BullMQ job counts in BullMQ mode (real Redis), a plain note without a queue.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { createRuntime } from '../runtime/runtime.js';
import { openQueueTransport } from '../queue/open-transport.js';
import { buildUi } from './server.js';

const cwd = mkdtempSync(join(tmpdir(), 'etl-ui-queue-'));
const prefix = `etlq${randomBytes(4).toString('hex')}`;
afterAll(async () => {
  rmSync(cwd, { recursive: true, force: true });
  const redis = new Redis('redis://127.0.0.1:6379');
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

const ui = (env: Record<string, string>) => {
  const runtime = createRuntime(loadConfig({ env, cwd }));
  return buildUi({ runtime, schedules: [], runHere: async () => 0 }).app;
};

describe('queue page', () => {
  it('shows the BullMQ job counts by state', async () => {
    const app = ui({ REDIS_URL: 'redis://127.0.0.1:6379', ETL_QUEUE_PREFIX: prefix });
    const transport = await openQueueTransport({ url: 'redis://127.0.0.1:6379', prefix });
    await transport.enqueue({ job: 'all', runId: 7, trigger: 'manual' });
    await transport.enqueue({ job: 'all', runId: 8, trigger: 'manual' });
    const api = await app.request('/api/queue');
    expect(api.status).toBe(200);
    expect(await api.json()).toMatchObject({ queue: 'etl', counts: { waiting: 2, active: 0, delayed: 0, failed: 0 } });
    const page = await (await app.request('/queue')).text();
    expect(page).toContain('<h1>Queue etl</h1>');
    expect(page).toMatch(/<th>waiting<\/th>[\s\S]*<td>2<\/td>/);
  });

  it('says there is no queue for the embedded scheduler', async () => {
    const app = ui({});
    expect((await app.request('/api/queue')).status).toBe(404);
    expect(await (await app.request('/queue')).text()).toContain('No queue: the embedded scheduler runs the jobs in its own process');
  });
});
