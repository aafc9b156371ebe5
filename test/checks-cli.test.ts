// The checks through the real CLI on real PostgreSQL source and metrics databases: `etl read events --write`
// and `etl backfill` judge the buckets of their window after the run (check_result rows, the run's log line);
// the built-in `checks` job is listed by `etl jobs` with its cron (or schedules.checks), and `etl run checks`
// judges freshness at the current time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/pg.js';
import { processRunner } from './support/processes.js';

const bin = resolve(import.meta.dirname, '../dist/cli/main.js');
const DAY = 86_400_000;
const day = (back: number): string => new Date(Date.now() - back * DAY).toISOString().slice(0, 10);
/** Two past days (UTC): one signup an hour, three at 13:00 of the first (the range check's max is 2). */
const D1 = day(5);
const D2 = day(4);
const CHECKS = [
  { name: 'signups-range', metric: 'events.signup.count', type: 'range', max: 2 },
  { name: 'signups-fresh', metric: 'events.signup.count', type: 'freshness', maxAge: '1h' },
  { name: 'signups-fresh-month', metric: 'events.signup.count', type: 'freshness', maxAge: '30d' },
];

let dir: string;
let source: TestDatabase;
let metrics: TestDatabase;
const processes = processRunner({ cwd: () => dir, killAfterMs: 90_000 });

function writeConfig(file: string, extra: object = {}): string {
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify({
    timeZone: 'UTC',
    sources: { website: { url: source.url } },
    readers: { events: { source: 'website', table: 'events', columns: { time: 'created_at', event: 'event', user: 'user_id' } } },
    checks: CHECKS,
    ...extra,
  }));
  return path;
}

function etl(args: string[], config = join(dir, 'etl.config.json')) {
  return processes.runSync(process.execPath, [bin, '--config', config, ...args], { env: { DATABASE_URL: metrics.url, ETL_DATA_DIR: join(dir, 'data') } });
}

async function results(check: string): Promise<Array<{ date: string; hour: number; status: string; value: number }>> {
  const { rows } = await metrics.pool.query<{ date: string; hour: number; status: string; value: number }>(
    `SELECT to_char(r.date, 'YYYY-MM-DD') AS date, r.hour, r.status, r.value FROM etl.check_result r WHERE r.check_name = $1 ORDER BY r.date, r.hour`, [check]);
  return rows;
}

async function runLog(job: string): Promise<string[]> {
  const { rows } = await metrics.pool.query<{ log_tail: string[] }>(`SELECT log_tail FROM etl.job_run WHERE job = $1 ORDER BY id DESC LIMIT 1`, [job]);
  return rows[0]!.log_tail;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'etl-checks-cli-'));
  [source, metrics] = await Promise.all([createTestDatabase('etl_ck_src'), createTestDatabase('etl_ck_metrics')]);
  await source.pool.query(`
    CREATE TABLE events (id serial PRIMARY KEY, created_at timestamptz NOT NULL, event text NOT NULL, user_id int);
    INSERT INTO events (created_at, event, user_id)
      SELECT g + interval '10 minutes', 'signup', 1 FROM generate_series($1::timestamptz, $2::timestamptz, interval '1 hour') g;
    INSERT INTO events (created_at, event, user_id) VALUES ($3, 'signup', 2), ($3, 'signup', 3);
  `.replaceAll('$1', `'${D1}T00:00:00Z'`).replaceAll('$2', `'${D2}T23:00:00Z'`).replaceAll('$3', `'${D1}T13:20:00Z'`));
  writeConfig('etl.config.json');
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([source?.drop(), metrics?.drop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('checks after a run', () => {
  it('etl read --write judges the 24 hours of its window: one failing bucket, and says so in the run log', async () => {
    const read = etl(['read', 'events', '--from', D1, '--to', D2, '--write']);
    expect(read.code, read.stderr).toBe(0);
    const range = await results('signups-range');
    expect(range).toHaveLength(24);
    expect(range.every((r) => r.date === D1)).toBe(true);
    expect(range.filter((r) => r.status === 'fail').map((r) => [r.hour, r.value])).toEqual([[13, 3]]);
    expect(range.filter((r) => r.status === 'pass')).toHaveLength(23);
    // Freshness is the checks job's: no run judges it.
    expect(await results('signups-fresh')).toEqual([]);
    expect((await runLog('events')).filter((l) => l.endsWith('checks: 24 buckets judged, 1 failing, 0 warning'))).toHaveLength(1);
  });

  it('etl backfill judges each day it runs', async () => {
    const backfill = etl(['backfill', 'events', '--from', D2, '--to', D2]);
    expect(backfill.code, backfill.stderr).toBe(0);
    const range = await results('signups-range');
    expect(range.filter((r) => r.date === D2).map((r) => [r.hour, r.status, r.value])).toEqual(Array.from({ length: 24 }, (_, h) => [h, 'pass', 1]));
    expect(range.filter((r) => r.status === 'fail')).toHaveLength(1);
    expect((await runLog('events')).filter((l) => l.endsWith('checks: 24 buckets judged, 0 failing, 0 warning'))).toHaveLength(1);
  });
});

describe('the checks job', () => {
  it('is listed by etl jobs with its cron, or the one of schedules.checks', () => {
    const jobs = etl(['jobs', '--json']);
    expect(jobs.code, jobs.stderr).toBe(0);
    const checks = (JSON.parse(jobs.stdout) as Array<{ name: string; schedule: { cron: string } | null }>).find((j) => j.name === 'checks');
    expect(checks?.schedule?.cron).toBe('*/15 * * * *');
    const custom = etl(['jobs', '--json'], writeConfig('custom.config.json', { schedules: { checks: { cron: '5 * * * *' } } }));
    expect((JSON.parse(custom.stdout) as Array<{ name: string; schedule: { cron: string } | null }>).find((j) => j.name === 'checks')?.schedule?.cron).toBe('5 * * * *');
    const none = etl(['jobs', '--json'], writeConfig('none.config.json', { checks: [] }));
    expect((JSON.parse(none.stdout) as Array<{ name: string }>).map((j) => j.name)).not.toContain('checks');
  });

  it('etl run checks judges freshness in the bucket of the current hour', async () => {
    const before = new Date().toISOString();
    const run = etl(['run', 'checks']);
    const after = new Date().toISOString();
    expect(run.code, run.stderr).toBe(0);
    const hours = new Set([before, after].map((t) => `${t.slice(0, 10)}/${Number(t.slice(11, 13))}`));
    const [stale] = await results('signups-fresh');
    const [month] = await results('signups-fresh-month');
    expect(hours).toContain(`${stale!.date}/${stale!.hour}`);
    expect(stale!.status).toBe('fail');
    // The latest value (D2 23:00) ended 3 days and some hours ago.
    const ageHours = (Date.parse(before) - Date.parse(`${D2}T23:00:00Z`) - 3_600_000) / 3_600_000;
    expect(stale!.value / 3600).toBeGreaterThanOrEqual(ageHours);
    expect(stale!.value / 3600).toBeLessThan(ageHours + 0.1);
    expect(month).toMatchObject({ date: stale!.date, hour: stale!.hour, status: 'pass' });
    expect((await metrics.pool.query(`SELECT 1 FROM etl.job_run WHERE job = 'checks' AND status = 'succeeded'`)).rowCount).toBe(1);
  });
});
