// The after-run evaluation of a run of the current window (a scheduled run: the current hour and today) or of none
// judges the hour and the day before it too: the first run after midnight judges yesterday, which was still filling when
// the last run of yesterday ended (the judgements skip buckets not ended). On PostgreSQL, Europe/Paris.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listResults } from '../checks/results.js';
import { loadConfig } from '../config/index.js';
import { HOUR_MS, nextDate, zonedTime } from '../metrics/time.js';
import { currentWindow } from '../metrics/window.js';
import { checksAfterRun } from '../runtime/checks.js';
import { migrate } from '../writers/migrate.js';
import { metricsTables } from '../writers/sql-identifiers.js';
import { hourlySeries, storeDaily, storeHourly } from './support/check-series.js';
import { createTestMetricsDb, type TestMetricsDb } from './writers-backends.js';

const TZ = 'Europe/Paris';
const at = (date: string, hour: number): number => zonedTime(date, hour, TZ);
let dir: string;
let test: TestMetricsDb;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'etl-after-run-'));
  test = await createTestMetricsDb('postgres', { timeZone: TZ });
  await migrate(test.db);
  const days: { date: string; value: number }[] = [];
  for (let d = '2026-09-07'; d <= '2026-10-14'; d = nextDate(d)) days.push({ date: d, value: d === '2026-10-14' ? 250 : 500 });
  await storeDaily(test.db, 'shop.orders.count', days);
  await storeHourly(test.db, 'series.visits', hourlySeries(at('2026-09-07', 0), at('2026-10-15', 0), TZ, 8, 0.04, (t) => (t === at('2026-10-14', 23) ? 0.1 : 1)));
}, 120_000);

afterAll(async () => {
  await test?.drop();
  rmSync(dir, { recursive: true, force: true });
});

it.each([
  ['without a window', undefined],
  ['of the current window (a scheduled run)', currentWindow(at('2026-10-15', 0) + 5 * 60_000, TZ)],
])('a run at 00:05 %s judges the day and the hour that ended at midnight', async (_, window) => {
  await test.db.query(`DELETE FROM ${metricsTables(test.db.settings.schema).checkResult}`);
  const anomaly = { type: 'anomaly', direction: 'down', history: '4w' };
  const file = join(dir, 'etl.config.json');
  writeFileSync(file, JSON.stringify({ timeZone: TZ, checks: [{ ...anomaly, name: 'orders-down', metric: 'shop.orders.count', grain: 'daily' }, { ...anomaly, name: 'visits-down', metric: 'series.visits' }] }));
  const config = loadConfig({ explicit: file, env: {}, cwd: dir });
  const afterRun = checksAfterRun({ config, metricsDb: async () => test.db })!;
  const startedAt = at('2026-10-15', 0) + 5 * 60_000;
  const line = await afterRun({ job: 'events', runId: undefined, ...(window === undefined ? {} : { window }), startedAt, finishedAt: startedAt + 30_000 });
  expect(line).toBe('checks: 2 buckets judged, 2 failing, 0 warning');
  const results = await listResults(test.db);
  expect(results.map((r) => `${r.check} ${r.date} ${r.hour} ${r.status} ${Math.round(r.value!)}`)).toEqual(['orders-down 2026-10-14 24 fail 250', expect.stringMatching(/^visits-down 2026-10-14 23 fail \d+$/)]);
  expect(results.every((r) => r.bucketStart.getTime() < at('2026-10-15', 0) && r.bucketStart.getTime() >= at('2026-10-14', 0) - HOUR_MS)).toBe(true);
}, 120_000);
