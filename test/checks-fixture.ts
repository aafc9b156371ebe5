// The checks UI's fixture: 14 days of hourly values written by the real writers (shop.orders.count follows the
// hour of the day with a little day-to-day noise; its very last hour drops to 5), the checks as the parsed
// configuration gives them, judged by the real evaluation over the last 7 days; a user dashboard whose panels
// read the failing metric by equality, by an IN list, and not at all (a NOT LIKE excludes it).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datesScope } from '../checks/scope.js';
import { evaluateChecks, type Evaluation } from '../checks/evaluate.js';
import type { LoadedConfig } from '../config/index.js';
import { graphBuilder, runGraph, source } from '../graph/index.js';
import { JobRegistry } from '../jobs/registry.js';
import type { MetricRow } from '../metrics/row.js';
import type { EtlRuntime } from '../runtime/runtime.js';
import { sqlRunStorage } from '../runs/sql-run-storage.js';
import { configuredChecks } from '../web/checks-config.js';
import type { UiDeps } from '../web/contract.js';
import { dailyWriter, hourlyWriter, METRICS_DB_SERVICE, type MetricsDb } from '../writers/index.js';

export const DAY = 86_400_000;
/** 14 days before today (UTC), oldest first: k = 0..13; the last is yesterday. */
export const PAST = Array.from({ length: 14 }, (_, i) => new Date(Date.now() - (14 - i) * DAY).toISOString().slice(0, 10));
export const HOURS = Array.from({ length: 24 }, (_, h) => h);
export const ORDERS = 'shop.orders.count';
export const DROP = { date: PAST[13]!, hour: 23, value: 5 } as const;
export const FIXTURE_DASHBOARD = 'checks-fixture';

/** shop.orders.count of day k, hour h (the planted drop aside). */
export const orders = (k: number, h: number): number => 100 + Math.round(10 * Math.sin((2 * Math.PI * h) / 24)) + (k % 3);
export const at = (date: string, hour: number): number => Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);

/** The `checks` key as config/checks-schema.ts parses it (spans in days, durations in ms). */
export const CHECKS_CONFIG = [
  { type: 'anomaly', name: 'orders-anomaly', metric: ORDERS, grain: 'hourly', severity: 'fail', history: 7, seasonality: 'hour-of-day', threshold: 3, minHistory: 3, direction: 'both', minChange: 0.1 },
  { type: 'range', name: 'shop-range', metric: 'shop.*', grain: 'hourly', severity: 'fail', min: 0 },
  { type: 'freshness', name: 'nothing-fresh', metric: 'nothing.*', grain: 'hourly', severity: 'fail', maxAge: 3 * 3_600_000 },
  { type: 'change', name: 'spider-change', metric: 'spider.active', grain: 'hourly', severity: 'warn', maxDrop: 0.5 },
] as const;

function fixtureRows(): MetricRow[] {
  return PAST.flatMap((date, k) =>
    HOURS.map((hour) => ({
      dims: { date, hour },
      metrics: { [ORDERS]: date === DROP.date && hour === DROP.hour ? DROP.value : orders(k, hour), 'shop.carts.open': 50 + hour, 'spider.active': 3 },
    })),
  );
}

const panel = (id: number, title: string, where: string, y: number) => ({
  id, type: 'timeseries', title, gridPos: { x: 0, y, w: 24, h: 8 }, datasource: { type: 'grafana-postgresql-datasource' },
  targets: [{ refId: 'A', format: 'time_series', rawSql: `SELECT (v.date + v.hour * interval '1 hour') AT TIME ZONE 'UTC' AS time, m.name AS metric, v.value\nFROM etl.hourly_value v JOIN etl.metric m ON m.id = v.metric_id\nWHERE ${where} AND $__timeFilter((v.date + v.hour * interval '1 hour') AT TIME ZONE 'UTC')\nORDER BY 1` }],
});

/** A folder with one dashboard: panel 1 reads the orders (=), 2 carts and orders (IN), 3 shop.* but not the orders. */
export function fixtureDashboards(): string {
  const dir = mkdtempSync(join(tmpdir(), 'etl-checks-dash-'));
  const json = {
    uid: FIXTURE_DASHBOARD, title: 'Checks fixture', time: { from: 'now-7d', to: 'now' }, schemaVersion: 39,
    panels: [
      panel(1, 'Orders', `m.name = '${ORDERS}'`, 0),
      panel(2, 'Carts and orders', `m.name IN ('shop.carts.open', '${ORDERS}')`, 8),
      panel(3, 'Shop but orders', `m.name LIKE 'shop.%' AND m.name NOT LIKE 'shop.orders.%'`, 16),
    ],
  };
  writeFileSync(join(dir, `${FIXTURE_DASHBOARD}.json`), JSON.stringify(json));
  return dir;
}

/** The UI's deps on `db` with `checks` configured and the fixture's dashboards folder. */
export function checksDeps(db: MetricsDb, checks: readonly object[] = CHECKS_CONFIG, dashboardsDir?: string): UiDeps {
  const storage = sqlRunStorage(db);
  const config = {
    file: { checks }, env: {}, database: {}, timeZone: 'UTC', source: { file: 'etl.config.json' }, dataDir: '/nonexistent', jobModules: [],
    dashboards: { dir: dashboardsDir, queryTimeoutMs: 5_000, maxRows: 10_000, public: [] },
  } as unknown as LoadedConfig;
  const runtime = {
    config, readers: async () => ({}) as never, registry: async () => new JobRegistry([]), services: async () => ({}),
    metricsDb: async () => db, runStorage: async () => storage, close: async () => undefined,
  } satisfies EtlRuntime;
  return { runtime, schedules: [], runHere: async () => 0 };
}

/** Writes the values and judges the anomaly and range checks over the last 7 days (the change check stays never judged). */
export async function fillAndEvaluate(db: MetricsDb, deps: UiDeps): Promise<Evaluation> {
  const b = graphBuilder('checks-fixture');
  const input = b.source('values', source(() => fixtureRows()));
  input.to('hourly', hourlyWriter());
  input.to('daily', dailyWriter());
  const run = await runGraph(b.build(), { services: { [METRICS_DB_SERVICE]: db } });
  if (run.status !== 'succeeded') throw new Error(`checks fixture: writing failed (${run.status})`);
  return evaluateChecks(db, { checks: configuredChecks(deps), scope: datesScope(PAST[7]!, PAST[13]!, 'UTC'), now: Date.now(), types: ['anomaly', 'range'] });
}
