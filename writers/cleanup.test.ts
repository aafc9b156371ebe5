// Cleanup, listing and run records on both backends: retention in the configured zone, daily values kept.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobRun } from '../graph/run-status.js';
import { BACKENDS, createTestMetricsDb, writeRows, type TestMetricsDb } from '../test/writers-backends.js';
import { cleanMetrics } from './cleanup.js';
import { describeMetricsDb } from './db-info.js';
import type { MetricsDb } from './metrics-db.js';
import { listMetrics } from './list-metrics.js';
import { dailyWriter, hourlyWriter } from './value-writer.js';

const NOW = Date.parse('2026-06-30T22:30:00Z'); // 2026-07-01 00:30 in Europe/Paris

/** A job_run row as the run store writes it (the store lives in scheduler/, above writers/). */
async function saveJobRun(db: MetricsDb, job: string, startedAt: number, finishedAt: number | null, status: JobRun['status'] = 'succeeded'): Promise<void> {
  await db.query(`INSERT INTO etl.job_run (job, trigger, status, queued_at, started_at, finished_at) VALUES ($1, 'manual', $2, $3, $3, $4)`, [
    job,
    status,
    new Date(startedAt).toISOString(),
    finishedAt === null ? null : new Date(finishedAt).toISOString(),
  ]);
}

describe.each(BACKENDS)('cleanup and listing on %s', (backend) => {
  let test: TestMetricsDb;
  beforeEach(async () => {
    test = await createTestMetricsDb(backend, { timeZone: 'Europe/Paris', hourlyRetentionDays: 90, runRetentionDays: 30 });
    const dates = ['2026-03-01', '2026-04-01', '2026-04-02', '2026-06-30', '2026-07-01'];
    const rows = dates.flatMap((date) => [
      { dims: { date, hour: 10 }, metrics: { 'shop.orders': 1, 'web.visits': 100 } },
      { dims: { date, hour: 11 }, metrics: { 'shop.orders': 2 } },
      { dims: { date }, metrics: { 'shop.orders': 3 } },
    ]);
    const written = await writeRows(test.db, rows, { hourly: hourlyWriter(), daily: dailyWriter() });
    expect(written.status).toBe('succeeded');
  });
  afterEach(async () => {
    await test.drop();
  });

  it('deletes hourly values older than the retention in local dates, and old finished runs; keeps daily values', async () => {
    await saveJobRun(test.db, 'all', NOW - 31 * 86_400_000 - 1000, NOW - 31 * 86_400_000);
    await saveJobRun(test.db, 'all', NOW - 29 * 86_400_000 - 1000, NOW - 29 * 86_400_000, 'failed');
    await saveJobRun(test.db, 'all', NOW - 1000, null, 'running');
    // Left running 40 days ago by a process long gone: removed too.
    await saveJobRun(test.db, 'old', NOW - 40 * 86_400_000, null, 'running');
    const result = await cleanMetrics(test.db, { now: NOW });
    // Local today is 2026-07-01: 90 days back is 2026-04-02, the first date kept.
    expect(result).toEqual({
      hourlyBefore: '2026-04-02',
      runsBefore: new Date(NOW - 30 * 86_400_000).toISOString(),
      deleted: { hourlyValues: 6, jobRuns: 2 },
    });
    const dates = await test.db.query<{ date: string }>(`SELECT DISTINCT date::text AS date FROM etl.hourly_value ORDER BY 1`);
    expect(dates.rows.map((r) => r.date)).toEqual(['2026-04-02', '2026-06-30', '2026-07-01']);
    const info = await describeMetricsDb(test.db);
    expect(info.rows).toEqual({ metric: 2, hourly_value: 9, daily_value: 5, job_run: 2 });
    expect(await cleanMetrics(test.db, { now: NOW })).toMatchObject({ deleted: { hourlyValues: 0, jobRuns: 0 } });
    expect(await cleanMetrics(test.db, { now: NOW, hourlyRetentionDays: 0 })).toMatchObject({ hourlyBefore: '2026-07-01', deleted: { hourlyValues: 6 } });
  });

  it('lists metrics with their latest hourly and daily values, by prefix and date range', async () => {
    expect(await listMetrics(test.db)).toEqual([
      { name: 'shop.orders', unit: null, kind: null, description: null, hourly: { date: '2026-07-01', hour: 11, value: 2 }, daily: { date: '2026-07-01', value: 3 } },
      { name: 'web.visits', unit: null, kind: null, description: null, hourly: { date: '2026-07-01', hour: 10, value: 100 }, daily: null },
    ]);
    expect((await listMetrics(test.db, { prefix: 'web.' })).map((m) => m.name)).toEqual(['web.visits']);
    expect((await listMetrics(test.db, { prefix: 'web_' })).map((m) => m.name)).toEqual([]);
    const april = await listMetrics(test.db, { from: '2026-04-01', to: '2026-04-30' });
    expect(april.map((m) => [m.name, m.hourly?.date, m.daily?.date ?? null])).toEqual([
      ['shop.orders', '2026-04-02', '2026-04-02'],
      ['web.visits', '2026-04-02', null],
    ]);
    expect(await listMetrics(test.db, { from: '2027-01-01' })).toEqual([]);
  });
});
