// Self-metrics: recorded runs in a run store (memory, PostgreSQL, PGlite) -> the exposition text. Served over
// HTTP and scraped by a real Prometheus: test/self-metrics.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRunStore } from '../test/support/memory-run-store.js';
import { createSelfMetrics } from './self-metrics.js';
import { job, recordedStore, run, sample } from '../test/support/self-metrics.js';
import { RUN_STORES } from '../test/support/run-stores.js';


const stores = RUN_STORES;

describe.each(stores)('self-metrics from the run store: %s', (_name, open) => {
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await drop?.();
    drop = undefined;
  });

  it('exposes runs, durations, rows and last success from the recorded runs', async () => {
    const opened = await open();
    drop = opened.drop;
    const store = await recordedStore(opened.runs);
    const metrics = createSelfMetrics({ store: async () => store });
    const text = await metrics.render();
    expect(sample(text, 'etl_runs_total{job="ok",status="succeeded"}')).toBe(2);
    expect(sample(text, 'etl_runs_total{job="bad",status="failed"}')).toBe(1);
    expect(sample(text, 'etl_run_duration_seconds_count{job="ok"}')).toBe(2);
    expect(sample(text, 'etl_run_duration_seconds_bucket{le="+Inf",job="bad"}')).toBe(1);
    expect(sample(text, 'etl_rows_total{job="ok",node="read",kind="out"}')).toBe(10);
    expect(sample(text, 'etl_rows_total{job="ok",node="check",kind="in"}')).toBe(10);
    expect(sample(text, 'etl_rows_total{job="ok",node="out",kind="in"}')).toBe(10);
    expect(sample(text, 'etl_rows_total{job="ok",node="check",kind="err"}')).toBe(0);
    expect(sample(text, 'etl_rows_total{job="bad",node="check",kind="in"}')).toBe(4);
    expect(sample(text, 'etl_rows_total{job="bad",node="check",kind="out"}')).toBe(3);
    expect(sample(text, 'etl_rows_total{job="bad",node="check",kind="err"}')).toBe(1);
    const lastOk = (await store.list({ job: 'ok', status: 'succeeded', limit: 1 }))[0]!;
    expect(sample(text, 'etl_last_success_timestamp_seconds{job="ok"}')).toBe(lastOk.finishedAt! / 1000);
    expect(text).not.toContain('etl_last_success_timestamp_seconds{job="bad"}');
    expect(text).not.toContain('etl_queue_jobs');
    expect(metrics.contentType).toMatch(/^text\/plain/);
  });
});

describe('self-metrics', () => {

  it('counts each finished run once: counters only grow, new runs add to them', async () => {
    const store = await recordedStore();
    const metrics = createSelfMetrics({ store: async () => store });
    await metrics.render();
    expect(sample(await metrics.render(), 'etl_runs_total{job="ok",status="succeeded"}')).toBe(2);
    const queued = (await store.create({ job: 'ok', trigger: 'manual' }))!;
    let text = await metrics.render();
    expect(sample(text, 'etl_runs_in_progress{job="ok",status="queued"}')).toBe(1);
    await store.finish(queued, 'skipped', 'paused');
    await run(store, job('ok', 5));
    text = await metrics.render();
    expect(sample(text, 'etl_runs_total{job="ok",status="succeeded"}')).toBe(3);
    expect(sample(text, 'etl_runs_total{job="ok",status="skipped"}')).toBe(1);
    expect(sample(text, 'etl_rows_total{job="ok",node="read",kind="out"}')).toBe(15);
    expect(text).not.toContain('etl_runs_in_progress{job="ok",status="queued"}');
  });

  it('reads a bounded window of recent runs', async () => {
    const store = await recordedStore();
    const text = await createSelfMetrics({ store: async () => store, window: 2 }).render();
    // The 2 most recent runs: one ok, the bad one.
    expect(sample(text, 'etl_runs_total{job="ok",status="succeeded"}')).toBe(1);
    expect(sample(text, 'etl_runs_total{job="bad",status="failed"}')).toBe(1);
    expect(() => createSelfMetrics({ store: async () => store, window: 0 })).toThrow(/window/);
  });

  it('exposes the queue counts by state, and etl_queue_up 0 when the queue cannot be read', async () => {
    const store = new MemoryRunStore();
    let down = false;
    const errors: unknown[] = [];
    const metrics = createSelfMetrics({
      store: async () => store,
      queueName: 'q1',
      queueCounts: async () => {
        if (down) throw new Error('redis down');
        return { waiting: 3, active: 1, failed: 2 };
      },
      onQueueError: (error) => errors.push(error),
    });
    let text = await metrics.render();
    expect(sample(text, 'etl_queue_jobs{queue="q1",state="waiting"}')).toBe(3);
    expect(sample(text, 'etl_queue_jobs{queue="q1",state="active"}')).toBe(1);
    expect(sample(text, 'etl_queue_jobs{queue="q1",state="delayed"}')).toBe(0);
    expect(sample(text, 'etl_queue_jobs{queue="q1",state="failed"}')).toBe(2);
    expect(sample(text, 'etl_queue_up{queue="q1"}')).toBe(1);
    down = true;
    text = await metrics.render();
    expect(sample(text, 'etl_queue_up{queue="q1"}')).toBe(0);
    expect(text).not.toContain('etl_queue_jobs{');
    expect(errors).toHaveLength(1);
  });
});
