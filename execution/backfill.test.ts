import { afterEach, describe, expect, it } from 'vitest';
import { graphBuilder, sink, source } from '../graph/index.js';
import { defineJob, type Job, type JobParams } from '../jobs/job.js';
import type { ReadWindow } from '../metrics/window.js';
import { createTestMetricsDb, type TestMetricsDb } from '../test/writers-backends.js';
import { runBackfill } from './backfill.js';
import { PartitionStore } from '../runs/partition-store.js';
import { dayPartitions } from '../runs/partitions.js';
import { SqlRunStore } from '../runs/sql-run-store.js';

const TZ = 'Europe/Paris';
const NOW = Date.parse('2026-11-05T12:00:00Z');

/** A job that records which windows it read, fails on `failOn` days, and can be held. */
function windowJob(seen: Array<{ from: number; to: number; days: string }>, failOn: Set<string>, hold?: Promise<void>): Job<JobParams> {
  return defineJob<JobParams>({
    name: 'daily',
    description: 'reads a window',
    services: [],
    build: (params) => {
      const window = params.window as ReadWindow;
      const b = graphBuilder('daily');
      b.source('read', source(async function* () {
        seen.push({ from: window.hours.from, to: window.hours.to, days: `${window.days.from}..${window.days.to}` });
        if (hold) await hold;
        if (failOn.has(window.days.from)) throw new Error(`source down on ${window.days.from}`);
        yield 1;
      })).to('out', sink(() => undefined));
      return b.build();
    },
  });
}

describe('backfill', () => {
  let test: TestMetricsDb | undefined;
  afterEach(async () => {
    await test?.drop();
    test = undefined;
  });

  it('runs one recorded run per local day (23 and 25 hours on DST days), records each partition, re-runs only the failed ones', async () => {
    test = await createTestMetricsDb('postgres');
    const runs = new SqlRunStore(test.db);
    const parts = new PartitionStore(test.db);
    const seen: Array<{ from: number; to: number; days: string }> = [];
    const failOn = new Set(['2026-10-26']);
    const partitions = dayPartitions('2026-10-24', '2026-10-27', TZ);
    expect(partitions.map((p) => (p.end - p.start) / 3_600_000)).toEqual([24, 25, 24, 24]);
    const first = await runBackfill({ job: windowJob(seen, failOn), partitions, timeZone: TZ, runs, parts, services: {}, concurrency: 2, now: () => NOW });
    expect(first.map((r) => [r.partition.key, r.status])).toEqual([['2026-10-24', 'success'], ['2026-10-25', 'success'], ['2026-10-26', 'failed'], ['2026-10-27', 'success']]);
    expect(seen.map((s) => s.days).sort()).toEqual(['2026-10-24..2026-10-24', '2026-10-25..2026-10-25', '2026-10-26..2026-10-26', '2026-10-27..2026-10-27']);
    const fallBack = seen.find((s) => s.days.startsWith('2026-10-25'))!;
    expect((fallBack.to - fallBack.from) / 3_600_000).toBe(25);
    expect(first.find((r) => r.status === 'failed')!.error).toContain('source down on 2026-10-26');
    const states = await parts.states('daily', partitions);
    expect(states.map((s) => [s.key, s.status, s.attempts])).toEqual([['2026-10-24', 'success', 1], ['2026-10-25', 'success', 1], ['2026-10-26', 'failed', 1], ['2026-10-27', 'success', 1]]);
    const records = await runs.list({ job: 'daily' });
    expect(records.every((r) => r.trigger === 'backfill')).toBe(true);
    expect(records.map((r) => r.partitionKey).sort()).toEqual(['day:2026-10-24', 'day:2026-10-25', 'day:2026-10-26', 'day:2026-10-27']);

    failOn.clear();
    seen.length = 0;
    const again = await runBackfill({ job: windowJob(seen, failOn), partitions, timeZone: TZ, runs, parts, services: {}, only: ['failed'], now: () => NOW });
    expect(again.map((r) => [r.partition.key, r.status])).toEqual([['2026-10-26', 'success']]);
    expect(seen.map((s) => s.days)).toEqual(['2026-10-26..2026-10-26']);
    expect((await parts.states('daily', partitions)).map((s) => s.status)).toEqual(['success', 'success', 'success', 'success']);
    expect((await parts.states('daily', dayPartitions('2026-10-28', '2026-10-28', TZ)))[0]!.status).toBe('missing');
  });

  it('records partitions of a job without history as skipped, and puts back partitions whose run was cancelled', async () => {
    test = await createTestMetricsDb('pglite');
    const runs = new SqlRunStore(test.db);
    const parts = new PartitionStore(test.db);
    const partitions = dayPartitions('2026-11-01', '2026-11-02', TZ);
    const skipped = await runBackfill({ job: windowJob([], new Set()), partitions, timeZone: TZ, runs, parts, services: {}, skippedReason: 'no history', now: () => NOW });
    expect(skipped.map((r) => r.status)).toEqual(['skipped', 'skipped']);
    expect((await parts.states('daily', partitions)).map((s) => [s.status, s.reason])).toEqual([['skipped', 'no history'], ['skipped', 'no history']]);

    const abort = new AbortController();
    let release!: () => void;
    const hold = new Promise<void>((resolve) => (release = resolve));
    const later = dayPartitions('2026-11-03', '2026-11-04', TZ);
    const pending = runBackfill({ job: windowJob([], new Set(), hold), partitions: later, timeZone: TZ, runs, parts, services: {}, concurrency: 2, signal: abort.signal, now: () => NOW });
    await new Promise((resolve) => setTimeout(resolve, 300));
    abort.abort();
    release();
    const cancelled = await pending;
    expect(cancelled.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
    expect((await parts.states('daily', later)).map((s) => s.status)).toEqual(['missing', 'missing']);
  });
});
