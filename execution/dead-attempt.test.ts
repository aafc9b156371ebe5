// A redelivered firing meets the run its dead attempt left running (job_run on the real PostgreSQL): it waits
// for that run's heartbeat to go stale (another host) or closes it at once (this host, PID gone), then runs;
// a first delivery is still recorded skipped at once, and a run whose heartbeat stays fresh is left alone.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { graphBuilder, sink, source } from '../graph/index.js';
import { defineJob } from '../jobs/job.js';
import { JobRegistry } from '../jobs/registry.js';
import { currentProcess, type ProcessIdentity } from '../embedded/index.js';
import { STALE_HEARTBEAT_MS } from '../runs/run-store.js';
import { SqlRunStore } from '../runs/sql-run-store.js';
import { metricsTables } from '../writers/index.js';
import { MemoryJobStateStore } from '../test/support/memory-job-state.js';
import { createTestMetricsDb, type TestMetricsDb } from '../test/writers-backends.js';
import type { RedeliveryWait } from './firing-deps.js';
import type { Firing } from './firing.js';
import { createFiringHandler, type FiringLog } from './run-firing.js';

const JOB = 'hourly';
const AT = Date.parse('2026-11-10T09:00:00Z');
const OTHER_HOST: ProcessIdentity = { host: 'worker-b.invalid', pid: 4242, start: 'boot:1' };

const quick = defineJob({
  name: JOB,
  description: 'one row',
  services: [],
  build: () => {
    const b = graphBuilder(JOB);
    b.source('read', source(async function* () {
      yield 1;
    })).to('out', sink(() => undefined));
    return b.build();
  },
});

let metrics: TestMetricsDb | undefined;
afterEach(async () => {
  await metrics?.drop();
  metrics = undefined;
});

async function setup(wait: RedeliveryWait) {
  metrics = await createTestMetricsDb('postgres');
  const db = metrics.db;
  const store = new SqlRunStore(db);
  const messages: string[] = [];
  const log: FiringLog = { info: (_f, m) => void messages.push(m), warn: (_f, m) => void messages.push(m), error: (_f, m) => void messages.push(m) };
  const handler = createFiringHandler({ registry: new JobRegistry([quick]), services: {}, store, jobs: new MemoryJobStateStore(), schedules: new Map(), timeZone: 'UTC', log, redeliveryWait: wait });
  /** A run of the job left running by `owner`, its last heartbeat `ageMs` ago. */
  const running = async (owner: ProcessIdentity, ageMs: number, more: { trigger?: 'schedule' | 'backfill'; partitionKey?: string } = {}): Promise<number> => {
    const id = (await store.create({ job: JOB, trigger: more.trigger ?? 'schedule', scheduledFor: AT, owner, ...(more.partitionKey ? { partitionKey: more.partitionKey } : {}) }))!;
    expect(await store.start(id, owner)).toEqual({ started: true });
    await db.query(`UPDATE ${metricsTables(db.settings.schema).jobRun} SET heartbeat_at = now() - $2 * interval '1 millisecond' WHERE id = $1`, [id, ageMs]);
    return id;
  };
  const fire = async (firing: Partial<Firing>, signal = new AbortController().signal) => {
    const began = Date.now();
    const outcome = await handler({ job: JOB, trigger: 'schedule', scheduledFor: AT, attempt: 1, ...firing }, signal);
    return { outcome, ms: Date.now() - began };
  };
  return { store, running, fire, messages };
}

describe('a redelivered firing and the run its dead attempt left running', () => {
  it('another host, heartbeat fresh: a first delivery is skipped at once; a redelivery waits until the heartbeat is stale, closes that run and succeeds', async () => {
    const t = await setup({ timeoutMs: 15_000, pollMs: 100 });
    // Stale in 3 s by the store's own measure (STALE_HEARTBEAT_MS, the database's clock).
    const dead = await t.running(OTHER_HOST, STALE_HEARTBEAT_MS - 3000);
    const staleAt = Date.now() + 3000;

    const first = await t.fire({});
    expect(first.outcome).toMatchObject({ kind: 'skipped', why: expect.stringContaining(`already running (run ${dead}, pid 4242 on worker-b.invalid)`) });
    expect(Date.now()).toBeLessThan(staleAt);

    const again = await t.fire({ redelivered: true });
    expect(again.outcome, t.messages.join('\n')).toMatchObject({ kind: 'succeeded' });
    expect(Date.now()).toBeGreaterThanOrEqual(staleAt - 500);
    expect(await t.store.get(dead)).toMatchObject({ status: 'failed', error: expect.stringContaining('worker lost: no heartbeat from pid 4242 on worker-b.invalid') });
    const runs = await t.store.list({ job: JOB });
    expect(runs.map((r) => [r.id, r.status])).toEqual([
      [again.outcome.runId, 'succeeded'],
      [first.outcome.runId, 'skipped'],
      [dead, 'failed'],
    ]);
    expect(t.messages.some((m) => m.startsWith(`run ${dead} of ${JOB} is running (pid 4242 on worker-b.invalid): this redelivery waits`))).toBe(true);
  });

  it('this host, its process gone: closed at once and run, without waiting for the heartbeat', async () => {
    const t = await setup({ timeoutMs: 60_000, pollMs: 10_000 });
    const gone = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const dead = await t.running({ host: currentProcess().host, pid: gone, start: 'boot:1' }, 0);
    const again = await t.fire({ redelivered: true });
    expect(again.outcome).toMatchObject({ kind: 'succeeded' });
    expect(again.ms).toBeLessThan(8000);
    expect(await t.store.get(dead)).toMatchObject({ status: 'failed', error: `process exited before the run finished (pid ${gone} on ${currentProcess().host})` });
  });

  it('a heartbeat that stays fresh (its process is alive): the redelivery gives up after the wait and is skipped; that run goes on', async () => {
    const t = await setup({ timeoutMs: 700, pollMs: 100 });
    const alive = await t.running(OTHER_HOST, 0);
    const again = await t.fire({ redelivered: true });
    expect(again.outcome).toMatchObject({ kind: 'skipped', why: expect.stringContaining(`already running (run ${alive}`) });
    expect(again.ms).toBeGreaterThanOrEqual(700);
    expect(await t.store.get(alive)).toMatchObject({ status: 'running' });
  });

  it('cancelled while it waits (its worker closing): recorded cancelled at once', async () => {
    const t = await setup({ timeoutMs: 30_000, pollMs: 100 });
    const alive = await t.running(OTHER_HOST, 0);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('worker closing')), 300);
    const again = await t.fire({ redelivered: true }, controller.signal);
    expect(again.outcome).toMatchObject({ kind: 'cancelled' });
    expect(again.ms).toBeLessThan(10_000);
    expect(await t.store.get(again.outcome.runId!)).toMatchObject({ status: 'cancelled', error: `cancelled while waiting for run ${alive} of ${JOB} to end` });
    expect(await t.store.get(alive)).toMatchObject({ status: 'running' });
  });

  it('a redelivered partition run whose record its dead attempt left running: the new record keeps the partition', async () => {
    const t = await setup({ timeoutMs: 15_000, pollMs: 100 });
    const dead = await t.running(OTHER_HOST, STALE_HEARTBEAT_MS - 1500, { trigger: 'backfill', partitionKey: 'day:2026-11-10' });
    const again = await t.fire({ trigger: 'backfill', runId: dead, redelivered: true });
    expect(again.outcome, t.messages.join('\n')).toMatchObject({ kind: 'succeeded' });
    expect(again.outcome.runId).not.toBe(dead);
    expect(await t.store.get(again.outcome.runId!)).toMatchObject({ status: 'succeeded', trigger: 'backfill', partitionKey: 'day:2026-11-10' });
    expect(await t.store.get(dead)).toMatchObject({ status: 'failed' });
  });
});
