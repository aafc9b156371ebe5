// Only ended buckets are judged (anomaly, change, range), on an injected clock in Europe/Paris: a day or an hour
// still filling at half its usual value raises nothing and stores nothing; the same value judged once the
// bucket ended fails; the 25-hour fall-back day and its repeated hour end at their real end; `--explain` of a
// bucket still filling says when it ends. PostgreSQL and PGlite.
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, createTestMetricsDb, type TestMetricsDb } from '../test/writers-backends.js';
import { hourlySeries, seeded, storeDaily, storeHourly } from '../test/support/check-series.js';
import { HOUR_MS, nextDate, zonedTime } from '../metrics/time.js';
import { migrate } from '../writers/migrate.js';
import type { Check } from './check.js';
import { evaluateChecks, judgeOnly } from './evaluate.js';
import { bucketEndAt, explain } from './explain.js';
import { listResults } from './results.js';
import { datesScope } from './scope.js';

const TZ = 'Europe/Paris';
const at = (date: string, hour: number): number => zonedTime(date, hour, TZ);
const anomaly = { severity: 'fail', type: 'anomaly', historyDays: 28, threshold: 3, minHistory: 3, direction: 'down', minChange: 0.1 } as const;
const DAILY_DOWN: Check = { ...anomaly, name: 'orders-down', metric: 'shop.orders.count', grain: 'daily' };
const HOURLY_DOWN: Check = { ...anomaly, name: 'visits-down', metric: 'series.visits', grain: 'hourly' };
const DAILY_DROP: Check = { name: 'orders-drop', metric: 'shop.orders.count', grain: 'daily', severity: 'fail', type: 'change', maxDrop: 0.2 };
const HOURLY_MIN: Check = { name: 'visits-min', metric: 'series.visits', grain: 'hourly', severity: 'fail', type: 'range', min: 150 };

/** About 500 orders a day; 250 (half) on Wednesday 2026-10-14 and on the 25-hour Sunday 2026-10-25. Visits by the hour, half at 2026-10-14 14:00. */
async function fill(db: TestMetricsDb['db']): Promise<void> {
  await migrate(db);
  const random = seeded(7);
  const days: { date: string; value: number }[] = [];
  for (let d = '2026-09-07'; d <= '2026-10-25'; d = nextDate(d)) days.push({ date: d, value: ['2026-10-14', '2026-10-25'].includes(d) ? 250 : 500 * (1 + 0.02 * (2 * random() - 1)) });
  await storeDaily(db, 'shop.orders.count', days);
  const half = at('2026-10-14', 14);
  await storeHourly(db, 'series.visits', hourlySeries(at('2026-09-07', 0), at('2026-10-26', 0), TZ, 8, 0.04, (t) => (t === half ? 0.5 : 1)));
}

const judged = (results: readonly { check: string; date: string; hour: number; status: string }[]): string[] => results.map((r) => `${r.check} ${r.date} ${r.hour} ${r.status}`);

describe.each(BACKENDS)('only ended buckets are judged, on %s', (backend) => {
  let test: TestMetricsDb | undefined;
  afterEach(async () => {
    await test?.drop();
    test = undefined;
  });

  it('a day half-filled at noon raises nothing and stores nothing (anomaly, change); judged at its end, the same value fails', async () => {
    test = await createTestMetricsDb(backend, { timeZone: TZ });
    await fill(test.db);
    const checks = [DAILY_DOWN, DAILY_DROP];
    const scope = { days: { from: '2026-10-13', to: '2026-10-14' } };
    const noon = await evaluateChecks(test.db, { checks, scope, now: at('2026-10-14', 12) });
    expect(noon.counts).toEqual({ pass: 2, warn: 0, fail: 0 });
    expect(noon.transitions).toEqual([]);
    expect(judged(await listResults(test.db))).toEqual(['orders-down 2026-10-13 24 pass', 'orders-drop 2026-10-13 24 pass'].sort());
    const lastMs = await judgeOnly(test.db, { checks, scope, now: at('2026-10-15', 0) - 1 }, { all: true });
    expect(lastMs.map((r) => r.date)).toEqual(['2026-10-13', '2026-10-13']);
    const ended = await evaluateChecks(test.db, { checks, scope, now: at('2026-10-15', 0) });
    expect(ended.counts).toEqual({ pass: 2, warn: 0, fail: 2 });
    const failing = await listResults(test.db, { statuses: ['fail'] });
    expect(failing.map((r) => [r.check, r.date, r.value])).toEqual([['orders-down', '2026-10-14', 250], ['orders-drop', '2026-10-14', 250]]);
    const down = failing.find((r) => r.check === 'orders-down')!;
    expect(down.score).toBeLessThan(-3);
    expect(down.expectedLow).toBeGreaterThan(400);
    expect(ended.transitions.map((t) => `${t.kind} ${t.result.check} ${t.result.date}`).sort()).toEqual(['failed orders-down 2026-10-14', 'failed orders-drop 2026-10-14']);
  }, 120_000);

  it('the current hour at half its usual value raises nothing (anomaly, range min) until it ends', async () => {
    test = await createTestMetricsDb(backend, { timeZone: TZ });
    await fill(test.db);
    const checks = [HOURLY_DOWN, HOURLY_MIN];
    const scope = { hours: { from: at('2026-10-14', 13), to: at('2026-10-14', 15) } };
    const early = await judgeOnly(test.db, { checks, scope, now: at('2026-10-14', 14) + 10 * 60_000 }, { all: true });
    expect(judged(early)).toEqual(['visits-down 2026-10-14 13 pass', 'visits-min 2026-10-14 13 pass']);
    const ended = await judgeOnly(test.db, { checks, scope, now: at('2026-10-14', 15) });
    expect(judged(ended)).toEqual(['visits-down 2026-10-14 14 fail', 'visits-min 2026-10-14 14 fail']);
    expect(ended[0]!.value).toBeLessThan(150);
    const [running] = await explain(test.db, [HOURLY_DOWN], 'series.visits', '2026-10-14', 14, at('2026-10-14', 14) + 10 * 60_000);
    expect(running).toMatchObject({ check: 'visits-down', result: undefined, ended: false, endsAt: new Date(at('2026-10-14', 15)) });
    expect(running!.history).toHaveLength(4);
    const [over] = await explain(test.db, [HOURLY_DOWN], 'series.visits', '2026-10-14', 14, at('2026-10-14', 15));
    expect(over).toMatchObject({ ended: true, result: { status: 'fail', hour: 14 } });
  }, 120_000);

  it('the 25-hour fall-back day ends at its real end (local midnight), its repeated 02:00 hour after both real hours', async () => {
    test = await createTestMetricsDb(backend, { timeZone: TZ });
    await fill(test.db);
    const day = datesScope('2026-10-25', '2026-10-25', TZ);
    const start = at('2026-10-25', 0);
    expect(new Date(start).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    // 24.5 real hours after its start the day still has half an hour to go.
    expect(await judgeOnly(test.db, { checks: [DAILY_DOWN], scope: day, now: start + 24.5 * HOUR_MS }, { all: true })).toEqual([]);
    const ended = await judgeOnly(test.db, { checks: [DAILY_DOWN], scope: day, now: start + 25 * HOUR_MS });
    expect(judged(ended)).toEqual(['orders-down 2026-10-25 24 fail']);
    // 00:00 and 01:00 (CEST) have ended at 00:00Z; the repeated 02:00 (00:00Z-02:00Z) ends at 02:00Z.
    const hoursAt = async (iso: string): Promise<number[]> => (await judgeOnly(test!.db, { checks: [HOURLY_DOWN], scope: day, now: Date.parse(iso) }, { all: true })).map((r) => r.hour);
    expect(await hoursAt('2026-10-25T01:30:00Z')).toEqual([0, 1]);
    expect(await hoursAt('2026-10-25T02:00:00Z')).toEqual([0, 1, 2]);
  }, 120_000);
});

it('bucket ends in Europe/Paris: the 23- and 25-hour days at local midnight, the skipped and the repeated hour', () => {
  const iso = (date: string, hour: number): string => new Date(bucketEndAt(date, hour, TZ)).toISOString();
  expect(iso('2026-10-25', 1)).toBe('2026-10-25T00:00:00.000Z');
  expect(iso('2026-10-25', 2)).toBe('2026-10-25T02:00:00.000Z');
  expect(iso('2026-10-25', 24)).toBe('2026-10-25T23:00:00.000Z');
  expect(iso('2026-03-29', 1)).toBe('2026-03-29T01:00:00.000Z');
  expect(iso('2026-03-29', 3)).toBe('2026-03-29T02:00:00.000Z');
  expect(iso('2026-03-29', 24)).toBe('2026-03-29T22:00:00.000Z');
});
