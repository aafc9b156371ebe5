import { afterEach, describe, expect, it } from 'vitest';
import { graphBuilder, map, runGraph, sink, source, UnrecoverableError, type JobRun } from '../graph/index.js';
import { BACKENDS, createTestMetricsDb, type TestMetricsDb } from '../test/writers-backends.js';
import { MemoryRunStore } from './memory-run-store.js';
import type { RunStore } from './run-store.js';
import { allListeners, recordRun } from './run-recorder.js';
import { SqlRunStore } from './sql-run-store.js';

function job(name: string, failAt?: number) {
  const b = graphBuilder(name);
  b.source('read', source(() => Array.from({ length: 2500 }, (_, i) => i)))
    .to('check', map((n: number) => {
      if (n === failAt) throw new UnrecoverableError(`bad row ${n}`);
      return n;
    }))
    .to('out', sink(() => undefined));
  return b.build();
}

async function recordedRun(store: RunStore, name: string, failAt?: number): Promise<{ run: JobRun; id: number | undefined }> {
  const recorder = recordRun(store, 'manual');
  const run = await runGraph(job(name, failAt), { onEvent: recorder.onEvent, progressIntervalMs: 1, batchSize: 10 });
  return { run, id: await recorder.settled() };
}

const stores: Array<[string, () => Promise<{ store: RunStore; drop(): Promise<void> }>]> = [
  ['memory', async () => ({ store: new MemoryRunStore(), drop: async () => undefined })],
  ...BACKENDS.map((backend): [string, () => Promise<{ store: RunStore; drop(): Promise<void> }>] => [
    `job_run on ${backend}`,
    async () => {
      const metrics: TestMetricsDb = await createTestMetricsDb(backend);
      return { store: new SqlRunStore(metrics.db), drop: () => metrics.drop() };
    },
  ]),
];

describe.each(stores)('run store: %s', (_name, open) => {
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await drop?.();
    drop = undefined;
  });

  it('records a run from start to finish with its per-node counts, and lists runs newest first', async () => {
    const opened = await open();
    drop = opened.drop;
    const { store } = opened;
    const ok = await recordedRun(store, 'counts');
    const failed = await recordedRun(store, 'counts', 1200);
    const other = await recordedRun(store, 'other');
    expect(ok.id).toBeTypeOf('number');
    const record = await store.get(ok.id!);
    expect(record).toMatchObject({ id: ok.id, job: 'counts', trigger: 'manual', status: 'succeeded', error: null });
    expect(record!.startedAt).toBe(ok.run.startedAt);
    expect(record!.finishedAt).toBe(ok.run.finishedAt);
    expect(record!.nodes.map((n) => [n.name, n.in, n.out, n.err, n.status])).toEqual([
      ['read', 2500, 2500, 0, 'succeeded'],
      ['check', 2500, 2500, 0, 'succeeded'],
      ['out', 2500, 2500, 0, 'succeeded'],
    ]);
    const bad = await store.get(failed.id!);
    expect(bad).toMatchObject({ status: 'failed', error: "job 'counts': node 'check' failed: UnrecoverableError: bad row 1200" });
    expect((await store.list({ job: 'counts' })).map((r) => r.id)).toEqual([failed.id, ok.id]);
    expect((await store.list({ status: 'failed' })).map((r) => r.id)).toEqual([failed.id]);
    expect((await store.list({ limit: 2 })).map((r) => r.id)).toEqual([other.id, failed.id]);
  });
});

describe('run recorder', () => {
  it('does not fail the run when the store fails, and reports the first error once', async () => {
    const errors: unknown[] = [];
    const broken: RunStore = {
      create: () => Promise.reject(new Error('store down')),
      update: () => Promise.reject(new Error('never called')),
      get: async () => undefined,
      list: async () => [],
    };
    const recorder = recordRun(broken, 'manual', (e) => errors.push(e));
    const seen: string[] = [];
    const run = await runGraph(job('resilient'), { onEvent: allListeners(recorder.onEvent, (e) => seen.push(e.type)), progressIntervalMs: 1 });
    expect(run.status).toBe('succeeded');
    expect(await recorder.settled()).toBeUndefined();
    expect(errors.map((e) => (e as Error).message)).toEqual(['store down']);
    expect(seen.at(-1)).toBe('run-finished');
  });
});
