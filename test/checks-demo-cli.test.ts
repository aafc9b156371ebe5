// Issue 21's acceptance on the demo, through the real CLI: an hourly sign-up anomaly check (hour of the week,
// 4 weeks, threshold 3, down) and a daily one; `etl backfill events` over four weeks; one UTC day's sign-ups
// deleted in the demo website database and that day backfilled; `etl checks` (and --json) names exactly that
// day's 24 hours and that day, exit 1, nothing else over the week it judges; the checks API of `etl ui` gives
// those buckets with their band. Bands and scores are computed here from the demo's generator. The demo
// website is first opened 8 days ago (its 3 weeks of history then reach 29 days back), so the hours of the
// last week have 3 past weeks each (minHistory 3): with the README's 3 weeks only today's hours would.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEventsOfHour } from '../examples/demo/generate.js';
import { DEMO_SEED, demoWebsiteDir, openDemoWebsite } from '../examples/demo/website.js';
import { createTestDatabase, type TestDatabase } from './support/pg.js';
import { processRunner } from './support/processes.js';

const bin = resolve(import.meta.dirname, '../dist/cli/main.js');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TODAY = Math.floor(Date.now() / DAY) * DAY;
const day = (back: number): string => new Date(TODAY - back * DAY).toISOString().slice(0, 10);
/** The day whose sign-ups are deleted (UTC, the demo's time zone). */
const LOST = 1;
const HOURLY = 'events.signup.count:anomaly';
const DAILY = 'events.signup.count:anomaly:daily';
const CHECKS = [
  { metric: 'events.signup.count', grain: 'hourly', type: 'anomaly', history: '4w', seasonality: 'hour-of-week', threshold: 3, direction: 'down' },
  { metric: 'events.signup.count', grain: 'daily', type: 'anomaly', history: '4w', threshold: 3, direction: 'down' },
];

let dir: string;
let metrics: TestDatabase;
const processes = processRunner({ cwd: () => dir, killAfterMs: 240_000 });
const env = (): Record<string, string> => ({ DATABASE_URL: metrics.url, ETL_DATA_DIR: join(dir, 'data'), XDG_CACHE_HOME: join(dir, 'cache') });
const etl = (...args: string[]) => processes.runSync(process.execPath, [bin, '--config', join(dir, 'etl.config.json'), ...args], { env: env() });

/** The generator's sign-ups of the UTC hour starting at `start`. */
const signups = (start: number): number => demoEventsOfHour(DEMO_SEED, start).filter((e) => e.event === 'signup').length;
const daySignups = (start: number): number => Array.from({ length: 24 }, (_, h) => signups(start + h * HOUR)).reduce((a, b) => a + b, 0);

/** percentile_cont(0.5) */
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The judgement of 0 against the same bucket 1, 2 and 3 weeks before (the 4th is before the backfill): band and score. */
function lostBucket(past: readonly number[]): { low: number; high: number; score: number } {
  const med = median(past);
  const scale = Math.max(1.4826 * median(past.map((x) => Math.abs(x - med))), (0.1 * med) / 3, Math.sqrt(med));
  return { low: med - 3 * scale, high: med + 3 * scale, score: -med / scale };
}
const weeksBefore = (start: number): number[] => [1, 2, 3].map((w) => start - w * 7 * DAY);

interface Judged {
  readonly check: string;
  readonly date: string;
  readonly hour: number;
  readonly status: string;
  readonly value: number | null;
  readonly score: number | null;
  readonly expectedLow: number | null;
  readonly expectedHigh: number | null;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'etl-checks-demo-'));
  metrics = await createTestDatabase('etl_ckdemo');
  writeFileSync(join(dir, 'etl.config.json'), JSON.stringify({
    timeZone: 'UTC',
    sources: { website: { demo: true } },
    readers: { events: { source: 'website', table: 'events', columns: { time: 'created_at', event: 'event', user: 'user_id', duration: 'duration_ms' } } },
    checks: CHECKS,
  }));
  const website = await openDemoWebsite({ dir: demoWebsiteDir(join(dir, 'data')), now: Date.now() - 8 * DAY, templateCacheDir: join(dir, 'cache') });
  await website.close();
}, 120_000);

afterAll(async () => {
  await metrics?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('an hourly sign-up check on the demo (issue 21)', () => {
  it('backfilling four weeks judges the hours of the last one, with three past weeks each, and none fails', async () => {
    const backfill = etl('backfill', 'events', '--from', day(28), '--to', day(1));
    expect(backfill.code, backfill.stderr).toBe(0);
    const { rows } = await metrics.pool.query<{ check_name: string; judged: number; failing: number; lowest: number; days: string[] }>(
      `SELECT check_name, count(*)::int AS judged, count(*) FILTER (WHERE status <> 'pass')::int AS failing, min(score) AS lowest,
              array_agg(DISTINCT to_char(date, 'YYYY-MM-DD') ORDER BY to_char(date, 'YYYY-MM-DD')) AS days
       FROM etl.check_result WHERE score IS NOT NULL GROUP BY 1 ORDER BY 1`);
    const week = [7, 6, 5, 4, 3, 2, 1].map(day);
    expect(rows.map((r) => [r.check_name, r.judged, r.failing, r.days])).toEqual([[HOURLY, 7 * 24, 0, week], [DAILY, 7, 0, week]]);
    // Normal hours stay well inside the band: the lowest score of the week, nowhere near -3.
    expect(rows[0]!.lowest).toBeGreaterThan(-2);
  });

  it('after deleting a day of sign-ups and backfilling it, etl checks names exactly its 24 hours and the day, exit 1', async () => {
    const lostStart = TODAY - LOST * DAY;
    const website = await openDemoWebsite({ dir: demoWebsiteDir(join(dir, 'data')) });
    const deleted = await website.query(`DELETE FROM events WHERE event = 'signup' AND created_at >= $1 AND created_at < $2`, [new Date(lostStart), new Date(lostStart + DAY)]);
    await website.close();
    expect(deleted.affectedRows).toBe(daySignups(lostStart));

    const backfill = etl('backfill', 'events', '--from', day(LOST), '--to', day(LOST));
    expect(backfill.code, backfill.stderr).toBe(0);

    // The last 7 days to today (today has no value stored: nothing judged there).
    const table = etl('checks');
    expect(table.code, table.stderr).toBe(1);
    expect(table.stderr).toMatch(/^2 checks judged \S+ to \S+: 25 buckets failing, 0 warning$/m);
    const lines = table.stdout.trim().split('\n').slice(1);
    expect(lines).toHaveLength(25);
    expect(lines.every((l) => l.includes(day(LOST)) && / fail +0 /.test(l))).toBe(true);

    const json = etl('checks', '--json');
    expect(json.code, json.stderr).toBe(1);
    const order = (a: Judged, b: Judged): number => a.check.localeCompare(b.check) || a.hour - b.hour;
    const found = (JSON.parse(json.stdout) as Judged[]).sort(order);
    expect(found.map((r) => [r.check, r.date, r.hour, r.status, r.value])).toEqual([
      ...Array.from({ length: 24 }, (_, h) => [HOURLY, day(LOST), h, 'fail', 0]),
      [DAILY, day(LOST), 24, 'fail', 0],
    ]);
    for (const r of found) {
      const bucket = `${r.check} ${r.date} ${r.hour}`;
      const start = lostStart + (r.hour === 24 ? 0 : r.hour * HOUR);
      const expected = lostBucket(weeksBefore(start).map(r.hour === 24 ? daySignups : signups));
      expect(r.expectedLow, bucket).toBeCloseTo(expected.low, 6);
      expect(r.expectedHigh, bucket).toBeCloseTo(expected.high, 6);
      expect(r.score, bucket).toBeCloseTo(expected.score, 6);
      expect(r.score!, bucket).toBeLessThan(-3);
      expect(r.expectedLow!, bucket).toBeGreaterThan(0);
    }
  });

  it('the checks API of etl ui gives the failing hours of that day with their band', async () => {
    const ui = processes.start(process.execPath, [bin, '--config', join(dir, 'etl.config.json'), 'ui', '--port', '0'], { env: env() });
    let url = '';
    for (let waited = 0; url === '' && waited < 60_000 && !ui.exited(); waited += 100) {
      url = /web UI on (http:\/\/\S+)/.exec(ui.stderr())?.[1] ?? '';
      if (url === '') await new Promise((done) => setTimeout(done, 100));
    }
    expect(url, ui.stderr()).not.toBe('');
    const from = TODAY - 2 * DAY;
    const res = await fetch(`${url}/api/checks/${encodeURIComponent(HOURLY)}/events.signup.count?from=${from}&to=${TODAY}`);
    expect(res.status).toBe(200);
    const history = (await res.json()) as { results: Array<Judged & { bucketStart: number }> };
    ui.kill('SIGTERM');
    await ui.done;
    expect(history.results.map((r) => r.bucketStart)).toEqual(Array.from({ length: 48 }, (_, h) => from + h * HOUR));
    const lost = history.results.filter((r) => r.status === 'fail');
    expect(lost.map((r) => [r.date, r.hour, r.value])).toEqual(Array.from({ length: 24 }, (_, h) => [day(LOST), h, 0]));
    for (const r of lost) {
      const expected = lostBucket(weeksBefore(TODAY - LOST * DAY + r.hour * HOUR).map(signups));
      expect([r.expectedLow, r.expectedHigh]).toEqual([expect.closeTo(expected.low, 6), expect.closeTo(expected.high, 6)]);
    }
    // The day before: every hour passes, its value (the generator's) inside its band.
    const before = history.results.filter((r) => r.date === day(2));
    expect(before.map((r) => r.value)).toEqual(Array.from({ length: 24 }, (_, h) => signups(from + h * HOUR)));
    expect(before.every((r) => r.status === 'pass' && r.value! >= r.expectedLow! && r.value! <= r.expectedHigh!)).toBe(true);
  });
});
