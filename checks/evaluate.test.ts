// Checks over eight weeks of generated hourly series in Europe/Paris (weekly pattern, seeded noise, the
// October fall-back week), with planted faults: exactly the planted buckets fail, on PostgreSQL and PGlite.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, createTestMetricsDb, type TestMetricsDb } from '../test/writers-backends.js';
import { hourlySeries, seeded, storeDaily, storeHourly } from '../test/support/check-series.js';
import { HOUR_MS, nextDate, toDateHour, zonedTime } from '../metrics/time.js';
import { migrate } from '../writers/migrate.js';
import { webhookPoster } from '../monitoring/alerts.js';
import type { Check } from './check.js';
import { postedCheckAlerts, type CheckAlertBody } from './check-alerts.js';
import { evaluateChecks, judgeOnly } from './evaluate.js';
import { listResults } from './results.js';
import { datesScope } from './scope.js';

const TZ = 'Europe/Paris';
const FROM = zonedTime('2026-09-07', 0, TZ); // a Monday; eight weeks, the fall-back on Sunday 2026-10-25
const TO = zonedTime('2026-11-02', 0, TZ);
const at = (date: string, hour: number): number => zonedTime(date, hour, TZ);
const base = { severity: 'fail', grain: 'hourly' } as const;

const CHECKS: Check[] = [
  { ...base, name: 'traffic', metric: 'series.*', type: 'anomaly', historyDays: 28, threshold: 3, minHistory: 3, direction: 'both', minChange: 0.1 },
  { ...base, name: 'stops-missing', metric: 'series.stops', type: 'missing', graceMs: HOUR_MS },
  { ...base, name: 'stops-fresh', metric: 'series.stops', type: 'freshness', maxAgeMs: 3 * HOUR_MS },
  { ...base, name: 'users-drop', metric: 'objects.users.count', grain: 'daily', type: 'change', maxDrop: 0.2 },
];

async function fill(db: TestMetricsDb['db']): Promise<void> {
  await migrate(db);
  const drop = (t: number): number => (t >= at('2026-10-14', 14) && t < at('2026-10-14', 17) ? 0 : 1);
  await storeHourly(db, 'series.clean', hourlySeries(FROM, TO, TZ, 1, 0.04));
  await storeHourly(db, 'series.drop', hourlySeries(FROM, TO, TZ, 2, 0.04, drop));
  await storeHourly(db, 'series.spike', hourlySeries(FROM, TO, TZ, 3, 0.04, (t) => (t === at('2026-10-08', 10) ? 3 : 1)));
  await storeHourly(db, 'series.stops', hourlySeries(FROM, TO, TZ, 4, 0.04, (t) => (t >= at('2026-10-28', 12) ? undefined : 1)));
  // A slow 25% decline over 2026-10-21: each day's value is the count at its end.
  const random = seeded(5);
  const days: { date: string; value: number }[] = [];
  for (let d = '2026-09-07'; d < '2026-11-02'; d = nextDate(d)) days.push({ date: d, value: (d >= '2026-10-21' ? 750 : 1000) * (1 + 0.005 * (2 * random() - 1)) });
  await storeDaily(db, 'objects.users.count', days);
}

const bucketsOf = (results: readonly { check: string; metric: string; date: string; hour: number }[]): string[] =>
  results.map((r) => `${r.check} ${r.metric} ${r.date} ${r.hour}`);

describe.each(BACKENDS)('checks on %s', (backend) => {
  let test: TestMetricsDb | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await test?.drop();
    test = undefined;
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
    server = undefined;
  });

  it('back-test: exactly the planted buckets fail (drop, spike, stopped metric, decline); the clean series and the DST week raise nothing', async () => {
    test = await createTestMetricsDb(backend, { timeZone: TZ });
    await fill(test.db);
    const failing = await judgeOnly(test.db, { checks: CHECKS, scope: datesScope('2026-09-07', '2026-11-01', TZ), now: TO });
    const missingHours: string[] = [];
    for (let t = at('2026-10-28', 12); t + 2 * HOUR_MS <= TO; t += HOUR_MS) {
      const local = toDateHour(t, TZ);
      missingHours.push(`stops-missing series.stops ${local.date} ${local.hour}`);
    }
    expect(bucketsOf(failing).sort()).toEqual(
      [
        'traffic series.spike 2026-10-08 10',
        'traffic series.drop 2026-10-14 14',
        'traffic series.drop 2026-10-14 15',
        'traffic series.drop 2026-10-14 16',
        'users-drop objects.users.count 2026-10-21 24',
        'stops-fresh series.stops 2026-11-02 0',
        ...missingHours,
      ].sort(),
    );
    expect(missingHours).toHaveLength(4 * 24 + 11);
    const drop = failing.find((r) => r.metric === 'series.drop')!;
    expect(drop).toMatchObject({ value: 0, status: 'fail' });
    expect(drop.expectedLow).toBeGreaterThan(0);
    expect(drop.score).toBeLessThan(-3);
    expect(drop.reason).toMatch(/^0 is below the expected [\d.]+\.\.[\d.]+ \(median [\d.]+ of 4 past values, score -[\d.]+\)$/);
    const decline = failing.find((r) => r.check === 'users-drop')!;
    expect(decline.reason).toMatch(/is 2\d(\.\d+)?% below the previous value/);
  }, 120_000);

  it('the fall-back hour is judged per real hour: its band is twice the others', async () => {
    test = await createTestMetricsDb(backend, { timeZone: TZ });
    await fill(test.db);
    await evaluateChecks(test.db, { checks: CHECKS.slice(0, 1), scope: datesScope('2026-10-25', '2026-10-25', TZ), now: TO });
    const results = await listResults(test.db, { check: 'traffic', metric: 'series.clean' });
    expect(results.map((r) => r.hour)).toEqual([0, 1, 2, 3, ...Array.from({ length: 20 }, (_, i) => i + 4)]);
    const [one, two, three] = results.slice(1, 4);
    expect(results).toHaveLength(24);
    expect(two!.value! / one!.value!).toBeGreaterThan(1.5);
    expect(two!.expectedLow! / three!.expectedLow!).toBeGreaterThan(1.5);
    expect(results.every((r) => r.status === 'pass')).toBe(true);
    expect(two!.bucketStart.toISOString()).toMatch(/^2026-10-25T0[01]:00:00.000Z$/);
  }, 120_000);

  it('a transition sends one webhook; judging the same bucket again sends none; recovery sends one', async () => {
    test = await createTestMetricsDb(backend, { timeZone: TZ });
    await fill(test.db);
    const bodies: CheckAlertBody[] = [];
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(text) as CheckAlertBody);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/s3cret`;
    const alerts = postedCheckAlerts(webhookPoster({ webhook: url, timeoutMs: 5_000 }), { publicUrl: 'https://etl.example.com/' });
    const checks = CHECKS.slice(0, 1);
    const hour = (h: number) => ({ checks, alerts, scope: { hours: { from: at('2026-10-14', h), to: at('2026-10-14', h + 1) } }, now: at('2026-10-14', h + 1) });
    expect((await evaluateChecks(test.db, hour(13))).transitions).toEqual([]);
    expect(bodies).toHaveLength(0);
    const failed = await evaluateChecks(test.db, hour(14));
    expect(failed.counts).toEqual({ pass: 3, warn: 0, fail: 1 });
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({
      status: 'failed',
      check: 'traffic',
      metric: 'series.drop',
      bucket: { date: '2026-10-14', hour: 14, start: '2026-10-14T12:00:00.000Z' },
      value: 0,
      url: 'https://etl.example.com/checks?check=traffic&metric=series.drop',
    });
    expect(bodies[0]!.expected.low).toBeGreaterThan(100);
    expect(bodies[0]!.text).toContain("check 'traffic' fails on series.drop at 2026-10-14 14:00: value 0, expected");
    await evaluateChecks(test.db, hour(14));
    await evaluateChecks(test.db, hour(15));
    expect(bodies).toHaveLength(1);
    await evaluateChecks(test.db, hour(17));
    expect(bodies.map((b) => `${b.status} ${b.metric} ${b.bucket.hour}`)).toEqual(['failed series.drop 14', 'recovered series.drop 17']);
    const stored = await listResults(test.db, { check: 'traffic', metric: 'series.drop', statuses: ['fail'] });
    expect(stored.map((r) => [r.hour, r.evaluatedAt.getTime()])).toEqual([
      [14, at('2026-10-14', 15)],
      [15, at('2026-10-14', 16)],
    ]);
  }, 120_000);

  it('freshness and missing on an injected clock', async () => {
    test = await createTestMetricsDb(backend, { timeZone: TZ });
    await fill(test.db);
    const stopped = at('2026-10-28', 12);
    const fresh = CHECKS.filter((c) => c.type === 'freshness' || c.type === 'missing');
    const scope = { hours: { from: stopped - 6 * HOUR_MS, to: stopped + 6 * HOUR_MS } };
    const early = await evaluateChecks(test.db, { checks: fresh, scope, now: stopped + 1.5 * HOUR_MS });
    // Missing: 6 hours before, with values; 12:00 is over but within its grace. Freshness: 1.5 h old.
    expect(early.counts).toEqual({ pass: 7, warn: 0, fail: 0 });
    const late = await evaluateChecks(test.db, { checks: fresh, scope, now: stopped + 4 * HOUR_MS });
    expect(late.counts).toEqual({ pass: 6, warn: 0, fail: 4 });
    const failing = await listResults(test.db, { statuses: ['fail'] });
    expect(failing.map((r) => `${r.check} ${r.hour} ${r.reason}`)).toEqual([
      'stops-missing 12 no value stored for this bucket',
      'stops-missing 13 no value stored for this bucket',
      'stops-missing 14 no value stored for this bucket',
      'stops-fresh 16 latest value ended 4 h ago (at most 3 h)',
    ]);
    expect(late.transitions.map((t) => `${t.kind} ${t.result.check}`).sort()).toEqual(['failed stops-fresh', 'failed stops-missing']);
  }, 120_000);
});
