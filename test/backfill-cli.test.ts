// `etl backfill` and `etl partitions` as a user runs them, on real PostgreSQL source and metrics databases
// (Europe/Paris, a week holding the fall-back day): one failing day, --only failed, identical reruns, Ctrl-C
// mid-backfill, hour partitions (hourly values only), the calendar, and a backfill queued for BullMQ workers.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/pg.js';
import { processRunner } from './support/processes.js';
import { deleteKeys } from './support/redis.js';

const bin = resolve(import.meta.dirname, '../dist/cli/main.js');
const WEEK = { from: '2026-10-22', to: '2026-10-28' };

let dir: string;
let source: TestDatabase;
let metrics: TestDatabase;
let configFile: string;
const processes = processRunner({ cwd: () => dir, killAfterMs: 90_000 });

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: metrics.url, ETL_DATA_DIR: join(dir, 'data'), ...extra };
}

function etl(args: string[], extra: Record<string, string> = {}) {
  return processes.runSync(process.execPath, [bin, '--config', configFile, ...args], { env: env(extra) });
}

/** Every hourly and daily value, one text (value included), in a fixed order. */
async function dump(): Promise<string> {
  const { rows } = await metrics.pool.query<{ t: string | null }>(
    `SELECT string_agg(x, ';' ORDER BY x) AS t FROM (
       SELECT m.name || '@' || v.date || 'T' || v.hour || '=' || v.value AS x FROM etl.hourly_value v JOIN etl.metric m ON m.id = v.metric_id
       UNION ALL SELECT m.name || '@' || v.date || '=' || v.value FROM etl.daily_value v JOIN etl.metric m ON m.id = v.metric_id) s`,
  );
  return rows[0]!.t ?? '';
}

async function partitionRows(): Promise<Array<[string, string, string]>> {
  const { rows } = await metrics.pool.query<{ grain: string; key: string; status: string }>(`SELECT grain, key, status FROM etl.partition WHERE job = 'events' ORDER BY grain, key`);
  return rows.map((r) => [r.grain, r.key, r.status]);
}

async function reset(): Promise<void> {
  await metrics.pool.query('DROP SCHEMA IF EXISTS etl CASCADE');
  await source.pool.query('DELETE FROM broken; DELETE FROM slow');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'etl-backfill-'));
  [source, metrics] = await Promise.all([createTestDatabase('etl_bf_src'), createTestDatabase('etl_bf_metrics')]);
  // Three signups and a login a day (local times 01:30, 09:15, 09:40, 23:30 Paris); `broken` makes reading a
  // day fail, `slow` makes each read of a row take a while (for Ctrl-C in the middle).
  await source.pool.query(`
    CREATE TABLE broken (day date PRIMARY KEY);
    CREATE TABLE slow (ms int NOT NULL);
    CREATE TABLE events_raw (id serial PRIMARY KEY, created_at timestamptz NOT NULL, event text NOT NULL, user_id int);
    INSERT INTO events_raw (created_at, event, user_id)
      SELECT (d + t.at) AT TIME ZONE 'Europe/Paris', t.event, t.u + extract(day FROM d)::int * 10
      FROM generate_series(timestamp '2026-10-20', timestamp '2026-10-30', interval '1 day') d,
           (VALUES (interval '1 hour 30 minutes', 'signup', 1), (interval '9 hours 15 minutes', 'signup', 2),
                   (interval '9 hours 40 minutes', 'login', 1), (interval '23 hours 30 minutes', 'signup', 3)) t(at, event, u);
    CREATE FUNCTION guard(t timestamptz) RETURNS boolean LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM broken WHERE day = (t AT TIME ZONE 'Europe/Paris')::date) THEN
        RAISE EXCEPTION 'events table unreadable for %', (t AT TIME ZONE 'Europe/Paris')::date;
      END IF;
      PERFORM pg_sleep(coalesce((SELECT max(ms) FROM slow), 0) / 1000.0);
      RETURN true;
    END $$;
    CREATE VIEW events AS SELECT * FROM events_raw WHERE guard(created_at);
  `);
  configFile = join(dir, 'etl.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      timeZone: 'Europe/Paris',
      sources: { website: { url: source.url } },
      readers: { events: { source: 'website', table: 'events', columns: { time: 'created_at', event: 'event', user: 'user_id' } } },
    }),
  );
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([source?.drop(), metrics?.drop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('etl backfill', () => {
  beforeEach(reset);

  it('backfills a week with one failing day: the others succeed, exit 1 names the day; --only failed re-runs just it; again changes nothing', async () => {
    await source.pool.query(`INSERT INTO broken VALUES ('2026-10-24')`);
    const first = etl(['backfill', 'events', '--from', WEEK.from, '--to', WEEK.to]);
    expect(first.code).toBe(1);
    expect(first.stdout).toContain(`backfill events ${WEEK.from}..${WEEK.to}: 6 success, 1 failed, 0 skipped (of 7)`);
    expect(first.stderr).toMatch(/failed 2026-10-24 \(run \d+\): .*events table unreadable for 2026-10-24/);
    expect(first.stderr).toMatch(/backfill events: 7\/7 done, 1 failed/);
    const states = await partitionRows();
    expect(states.filter(([, , s]) => s === 'success').map(([, k]) => k)).toEqual(['2026-10-22', '2026-10-23', '2026-10-25', '2026-10-26', '2026-10-27', '2026-10-28']);
    expect(states.filter(([, , s]) => s === 'failed').map(([, k]) => k)).toEqual(['2026-10-24']);
    const daily = await metrics.pool.query<{ date: string; value: number }>(
      `SELECT v.date::text AS date, v.value FROM etl.daily_value v JOIN etl.metric m ON m.id = v.metric_id WHERE m.name = 'events.signup.count' ORDER BY 1`,
    );
    expect(daily.rows.map((r) => [r.date, r.value])).toEqual(['2026-10-22', '2026-10-23', '2026-10-25', '2026-10-26', '2026-10-27', '2026-10-28'].map((d) => [d, 3]));
    // The fall-back day has 25 hours of values.
    const hours = await metrics.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM etl.hourly_value v JOIN etl.metric m ON m.id = v.metric_id WHERE m.name = 'events.signup.count' AND v.date = '2026-10-25'`);
    expect(hours.rows[0]!.n).toBe(24); // 25 hours, the repeated 02:00 stored once per local hour number

    await source.pool.query('DELETE FROM broken');
    const runsBefore = (await metrics.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM etl.job_run')).rows[0]!.n;
    const retry = etl(['backfill', 'events', '--from', WEEK.from, '--to', WEEK.to, '--only', 'failed']);
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain('1 success, 0 failed, 0 skipped (of 1)');
    const runs = await metrics.pool.query<{ partition_key: string }>('SELECT partition_key FROM etl.job_run WHERE id > $1', [runsBefore]);
    expect(runs.rows.map((r) => r.partition_key)).toEqual(['day:2026-10-24']);
    expect((await partitionRows()).every(([, , s]) => s === 'success')).toBe(true);

    const before = await dump();
    expect(before.split(';').filter((v) => v.startsWith('events.signup.count@') && !v.includes('T'))).toHaveLength(7);
    expect(etl(['backfill', 'events', '--from', WEEK.from, '--to', WEEK.to]).code).toBe(0);
    expect(await dump()).toBe(before);

    const calendar = etl(['partitions', 'events', '--from', '2026-10-24', '--to', '2026-10-26']);
    expect(calendar.code).toBe(0);
    expect(calendar.stdout).toMatch(/^2026-10-25 {2}S{25} {2}success {2}run \d+/m);
    expect(calendar.stdout).toContain('events: 3 success, 0 failed, 0 missing, 0 skipped');
  });

  it('a manual read marks the days it covered whole in the calendar (issue 18.15): etl read --write over days, a failing day, and today so far', async () => {
    const read = etl(['read', 'events', '--write', '--from', '2026-10-22', '--to', '2026-10-24T12:00']);
    expect(read.code).toBe(0);
    // 22 and 23 were read whole; the 24th only to noon: left missing.
    expect(await partitionRows()).toEqual([
      ['day', '2026-10-22', 'success'],
      ['day', '2026-10-23', 'success'],
    ]);
    await source.pool.query(`INSERT INTO broken VALUES ('2026-10-26')`);
    expect(etl(['read', 'events', '--write', '--from', '2026-10-26', '--to', '2026-10-27']).code).toBe(1);
    expect((await partitionRows()).find(([, k]) => k === '2026-10-26')?.[2]).toBe('failed');
    // The current window (no --from): today, "so far".
    expect(etl(['read', 'events', '--write']).code).toBe(0);
    const today = await metrics.pool.query<{ key: string; status: string; reason: string | null }>(`SELECT key, status, reason FROM etl.partition WHERE job = 'events' AND start_at <= now() AND end_at > now()`);
    expect(today.rows).toHaveLength(1);
    expect(today.rows[0]!.status).toBe('success');
    expect(today.rows[0]!.reason).toMatch(/values up to/);
  });

  it('a re-read window replaces what the source no longer has: counts become 0, users removed, other days and other readers untouched (issue 18.11)', async () => {
    expect(etl(['backfill', 'events', '--from', '2026-10-22', '--to', '2026-10-24']).code).toBe(0);
    const value = async (name: string, date: string, hour?: number): Promise<number | undefined> => {
      const table = hour === undefined ? 'daily_value' : 'hourly_value';
      const { rows } = await metrics.pool.query<{ value: number }>(
        `SELECT v.value FROM etl.${table} v JOIN etl.metric m ON m.id = v.metric_id WHERE m.name = $1 AND v.date = $2${hour === undefined ? '' : ' AND v.hour = $3'}`,
        hour === undefined ? [name, date] : [name, date, hour],
      );
      return rows[0]?.value;
    };
    expect(await value('events.login.count', '2026-10-23')).toBe(1);
    expect(await value('events.login.count', '2026-10-23', 9)).toBe(1);
    expect(await value('events.login.users', '2026-10-23')).toBe(1);
    expect(await value('events.signup.count', '2026-10-23')).toBe(3);
    const sources = await metrics.pool.query<{ source: string | null }>(`SELECT DISTINCT source FROM etl.metric WHERE name LIKE 'events.%'`);
    expect(sources.rows).toEqual([{ source: 'events' }]);
    // An erasure in the source: the 23rd's login goes, and one of its sign-ups.
    const erased = await source.pool.query(
      `DELETE FROM events_raw WHERE (created_at AT TIME ZONE 'Europe/Paris')::date = '2026-10-23' AND (event = 'login' OR created_at AT TIME ZONE 'Europe/Paris' = '2026-10-23 09:15') RETURNING created_at, event, user_id`,
    );
    expect(erased.rowCount).toBe(2);
    // Another reader's metric and one of unknown origin (written before migration 5) on that day: never cleared.
    await metrics.pool.query(`
      INSERT INTO etl.metric (name, source) VALUES ('spider.active', 'spiders'), ('legacy.count', NULL);
      INSERT INTO etl.hourly_value (metric_id, date, hour, value) SELECT id, '2026-10-23', 9, 5 FROM etl.metric WHERE name IN ('spider.active', 'legacy.count');
      INSERT INTO etl.daily_value (metric_id, date, value) SELECT id, '2026-10-23', 7 FROM etl.metric WHERE name IN ('spider.active', 'legacy.count')`);
    try {
      const other = await dump();
      const again = etl(['backfill', 'events', '--from', '2026-10-23', '--to', '2026-10-23']);
      expect(again.code, again.stderr).toBe(0);
      expect(await value('events.login.count', '2026-10-23')).toBe(0);
      expect(await value('events.login.count', '2026-10-23', 9)).toBe(0);
      expect(await value('events.login.users', '2026-10-23')).toBeUndefined();
      expect(await value('events.login.users', '2026-10-23', 9)).toBeUndefined();
      expect(await value('events.signup.count', '2026-10-23')).toBe(2);
      expect(await value('events.signup.count', '2026-10-23', 9)).toBe(0);
      expect(await value('events.signup.users', '2026-10-23', 9)).toBe(0); // the reader gives 0 users in a quiet hour of an event it saw
      expect(await value('events.signup.users', '2026-10-23')).toBe(2);
      // The other days are as they were.
      const untouched = (text: string): string[] => text.split(';').filter((v) => !v.includes('@2026-10-23'));
      expect(untouched(await dump())).toEqual(untouched(other));
      // The whole day gone from the source: every events value of the day is 0 or gone, nothing else moves.
      await source.pool.query(`DELETE FROM events_raw WHERE (created_at AT TIME ZONE 'Europe/Paris')::date = '2026-10-23'`);
      expect(etl(['read', 'events', '--write', '--from', '2026-10-23', '--to', '2026-10-24']).code).toBe(0);
      const day = (await dump()).split(';').filter((v) => v.includes('@2026-10-23'));
      expect(day.length).toBeGreaterThan(0);
      expect(day.filter((v) => !(v.includes('.count@') && v.endsWith('=0')))).toEqual(['legacy.count@2026-10-23=7', 'legacy.count@2026-10-23T9=5', 'spider.active@2026-10-23=7', 'spider.active@2026-10-23T9=5']);
      expect(untouched(await dump())).toEqual(untouched(other));
    } finally {
      await source.pool.query(`DELETE FROM events_raw WHERE (created_at AT TIME ZONE 'Europe/Paris')::date = '2026-10-23'`);
      await source.pool.query(
        `INSERT INTO events_raw (created_at, event, user_id)
           SELECT (timestamp '2026-10-23' + t.at) AT TIME ZONE 'Europe/Paris', t.event, t.u + 230
           FROM (VALUES (interval '1 hour 30 minutes', 'signup', 1), (interval '9 hours 15 minutes', 'signup', 2),
                        (interval '9 hours 40 minutes', 'login', 1), (interval '23 hours 30 minutes', 'signup', 3)) t(at, event, u)`,
      );
    }
  });

  it('a second manual run of a running job waits for it, then runs (exit 0); --no-wait and a wait that times out skip with exit 75 (issue 18.4)', async () => {
    await source.pool.query('INSERT INTO slow VALUES (1000)'); // the first run lasts ~10 s: the three commands below start while it runs, even on a loaded machine
    const args = ['read', 'events', '--write', '--from', '2026-10-22', '--to', '2026-10-24'];
    const first = processes.start(process.execPath, [bin, '--config', configFile, ...args], { env: env() });
    const running = async (): Promise<number> => (await metrics.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM etl.job_run WHERE status = 'running'`).catch(() => ({ rows: [{ n: 0 }] }))).rows[0]!.n;
    for (let i = 0; i < 300 && (await running()) === 0; i++) await sleep(50);
    expect(await running()).toBe(1);
    const skipped = etl([...args, '--no-wait']);
    expect(skipped.code, skipped.stderr).toBe(75);
    expect(skipped.stderr).toMatch(/did not run: skipped: the job is already running \(run \d+/);
    const gaveUp = etl([...args, '--wait-timeout', '1s']);
    expect(gaveUp.code, gaveUp.stderr).toBe(75);
    expect(gaveUp.stderr).toMatch(/job 'events' is already running: waiting for run \d+/);
    expect(etl([...args, '--wait-timeout', '1s', '--no-wait']).code).toBe(2);
    const waited = etl(args);
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stderr).toMatch(/job 'events' is already running: waiting for run \d+/);
    expect((await first.done).code).toBe(0);
    const statuses = await metrics.pool.query<{ status: string }>(`SELECT status FROM etl.job_run ORDER BY id`);
    expect(statuses.rows.map((r) => r.status)).toEqual(['succeeded', 'skipped', 'skipped', 'succeeded']);
  });

  it('Ctrl-C mid-backfill leaves finished days finished and the rest as they were; the same backfill then gives what an uninterrupted one gives', async () => {
    expect(etl(['backfill', 'events', '--from', WEEK.from, '--to', WEEK.to]).code).toBe(0);
    const uninterrupted = await dump();
    await reset();
    await source.pool.query('INSERT INTO slow VALUES (150)');
    const running = processes.start(process.execPath, [bin, '--config', configFile, 'backfill', 'events', '--from', WEEK.from, '--to', WEEK.to, '--concurrency', '1'], { env: env() });
    for (let i = 0; i < 400; i++) {
      const done = await metrics.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM etl.partition WHERE status = 'success'`).catch(() => ({ rows: [{ n: 0 }] }));
      if (done.rows[0]!.n >= 2) break;
      await sleep(100);
    }
    running.kill('SIGINT');
    const stopped = await running.done;
    expect(stopped.code).toBe(130);
    const states = await partitionRows();
    const success = states.filter(([, , s]) => s === 'success').length;
    expect(success).toBeGreaterThanOrEqual(2);
    expect(success).toBeLessThan(7);
    // Nothing left queued or running: unfinished days are back to missing (no row).
    expect(states.every(([, , s]) => s === 'success')).toBe(true);
    const cancelled = await metrics.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM etl.job_run WHERE status = 'cancelled'`);
    expect(cancelled.rows[0]!.n).toBe(1);
    await source.pool.query('DELETE FROM slow');
    const missing = etl(['backfill', 'events', '--from', WEEK.from, '--to', WEEK.to, '--only', 'missing']);
    expect(missing.code).toBe(0);
    expect(missing.stdout).toContain(`${7 - success} success, 0 failed, 0 skipped (of ${7 - success})`);
    expect(await dump()).toBe(uninterrupted);
  });

  it('an hour partition of the repeated fall-back hour reads both real hours: 3 + 4 events are stored as 7 (issue 18.10)', async () => {
    // 02:10 local happens twice on 2026-10-25 in Paris: 00:10Z (+02:00) and 01:10Z (+01:00).
    await source.pool.query(`INSERT INTO events_raw (created_at, event, user_id)
      SELECT t, 'fallback', n FROM (SELECT timestamptz '2026-10-25T00:10:00Z' AS t, generate_series(1, 3) AS n
        UNION ALL SELECT timestamptz '2026-10-25T01:10:00Z', generate_series(4, 7)) s`);
    try {
      // The two partitions 02:00+02:00 and 02:00+01:00 run one after the other (concurrency 1): before, the second wrote 4 over the first's 3.
      const hourly = etl(['backfill', 'events', '--grain', 'hour', '--from', '2026-10-25', '--to', '2026-10-25', '--concurrency', '1']);
      expect(hourly.code, hourly.stderr).toBe(0);
      const keys = await metrics.pool.query<{ partition_key: string }>(`SELECT partition_key FROM etl.job_run WHERE partition_key LIKE 'hour:2026-10-25T02:00%' ORDER BY id`);
      expect(keys.rows.map((r) => r.partition_key)).toEqual(['hour:2026-10-25T02:00+02:00', 'hour:2026-10-25T02:00+01:00']);
      const stored = await metrics.pool.query<{ hour: number; value: number }>(
        `SELECT v.hour, v.value FROM etl.hourly_value v JOIN etl.metric m ON m.id = v.metric_id WHERE m.name = 'events.fallback.count' AND v.date = '2026-10-25' AND v.value > 0`,
      );
      expect(stored.rows.map((r) => [r.hour, r.value])).toEqual([[2, 7]]);
    } finally {
      await source.pool.query(`DELETE FROM events_raw WHERE event = 'fallback'`);
    }
  });

  it('hour partitions write hourly values only; the calendar shows 23 and 25 hours on DST days', async () => {
    const hourly = etl(['backfill', 'events', '--grain', 'hour', '--from', '2026-10-25', '--to', '2026-10-25']);
    expect(hourly.code).toBe(0);
    expect(hourly.stdout).toContain('25 success, 0 failed, 0 skipped (of 25)');
    const daily = await metrics.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM etl.daily_value');
    expect(daily.rows[0]!.n).toBe(0);
    const signups = await metrics.pool.query<{ hour: number; value: number }>(
      `SELECT v.hour, v.value FROM etl.hourly_value v JOIN etl.metric m ON m.id = v.metric_id WHERE m.name = 'events.signup.count' AND v.date = '2026-10-25' AND v.value > 0 ORDER BY 1`,
    );
    expect(signups.rows.map((r) => [r.hour, r.value])).toEqual([[1, 1], [9, 1], [23, 1]]);
    const json = etl(['partitions', 'events', '--from', '2026-10-25', '--to', '2026-10-25', '--json']);
    const calendar = JSON.parse(json.stdout) as { days: Array<{ date: string; day: { status: string }; hours: Array<{ key: string; status: string }> }> };
    expect(calendar.days[0]!.day.status).toBe('missing');
    expect(calendar.days[0]!.hours).toHaveLength(25);
    expect(calendar.days[0]!.hours.slice(2, 4).map((h) => h.key)).toEqual(['2026-10-25T02:00+02:00', '2026-10-25T02:00+01:00']);
    expect(calendar.days[0]!.hours.every((h) => h.status === 'success')).toBe(true);
    const spring = JSON.parse(etl(['partitions', 'events', '--from', '2026-03-29', '--to', '2026-03-29', '--json']).stdout) as typeof calendar;
    expect(spring.days[0]!.hours).toHaveLength(23);
    const bad = etl(['backfill', 'events', '--grain', 'week']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--grain: 'week' is not day or hour");
  });

  it('catchup: a scheduler started after a stop backfills exactly the days of the firings missed within maxCatchup', async () => {
    expect(etl(['db', 'migrate']).code).toBe(0);
    const H = 3_600_000;
    const now = Date.now();
    await metrics.pool.query(
      `INSERT INTO etl.job_run (job, trigger, status, queued_at, scheduled_for, started_at, finished_at) VALUES ('events', 'schedule', 'succeeded', $1, $1, $1, $1)`,
      [new Date(now - 40 * H).toISOString()],
    );
    const catchupConfig = join(dir, 'catchup.json');
    const base = JSON.parse((await import('node:fs')).readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(catchupConfig, JSON.stringify({ ...base, schedules: { events: { cron: '0 * * * *', catchup: true, maxCatchup: '30h' } } }));
    const first = (Math.floor((now - 30 * H) / H) + 1) * H;
    const last = Math.floor(now / H) * H;
    const localDay = (at: number): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(at);
    const expected = [...new Set(Array.from({ length: (last - first) / H + 1 }, (_, i) => localDay(first + i * H)))].map((d) => `day:${d}`);
    const scheduler = processes.start(process.execPath, [bin, '--config', catchupConfig, 'scheduler', '--no-ui'], { env: env() });
    let finished: Array<{ partition_key: string; status: string }> = [];
    for (let i = 0; i < 300 && finished.length < expected.length; i++) {
      await sleep(100);
      finished = (await metrics.pool.query<{ partition_key: string; status: string }>(`SELECT partition_key, status FROM etl.job_run WHERE trigger = 'backfill' AND status = 'succeeded' ORDER BY id`)).rows;
    }
    scheduler.kill('SIGTERM');
    const stopped = await scheduler.done;
    expect(stopped.code).toBe(0);
    expect(finished.map((r) => r.partition_key)).toEqual(expected);
    const all = await metrics.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM etl.job_run WHERE trigger = 'backfill'`);
    expect(all.rows[0]!.n).toBe(expected.length);
    expect(stopped.stderr).toContain(`catchup: 30 firings of events missed since ${new Date(now - 40 * H).toISOString()}`);
    expect(stopped.stderr).toMatch(/before \S+ \(maxCatchup\) are not run: etl backfill events --from/);
  });

  it('with Redis, queues one run per day for the workers and --wait follows them to the end', async () => {
    const prefix = `etlbf${randomBytes(4).toString('hex')}`;
    const redis = { REDIS_URL: 'redis://127.0.0.1:6379', ETL_QUEUE_PREFIX: prefix };
    const admin = new Redis('redis://127.0.0.1:6379');
    try {
      const worker = processes.start(process.execPath, [bin, '--config', configFile, 'worker', '--concurrency', '2'], { env: env(redis) });
      const run = processes.start(process.execPath, [bin, '--config', configFile, 'backfill', 'events', '--from', '2026-10-26', '--to', '2026-10-28', '--wait'], { env: env(redis) });
      const outcome = await run.done;
      expect({ code: outcome.code, out: outcome.stdout, err: outcome.stderr }).toMatchObject({ code: 0, out: expect.stringContaining('3 partition runs queued for the workers') });
      expect(outcome.stdout).toContain('3 success, 0 failed, 0 skipped (of 3)');
      const runs = await metrics.pool.query<{ trigger: string; status: string; pid: number; partition_key: string }>(`SELECT trigger, status, pid, partition_key FROM etl.job_run ORDER BY partition_key`);
      expect(runs.rows.map((r) => [r.trigger, r.status, r.partition_key, r.pid])).toEqual(['2026-10-26', '2026-10-27', '2026-10-28'].map((d) => ['backfill', 'succeeded', `day:${d}`, worker.pid]));
      expect((await partitionRows()).map(([, k, s]) => [k, s])).toEqual([['2026-10-26', 'success'], ['2026-10-27', 'success'], ['2026-10-28', 'success']]);
      worker.kill('SIGTERM');
      expect((await worker.done).code).toBe(0);
    } finally {
      await deleteKeys(admin, prefix);
      admin.disconnect();
    }
  });
});
