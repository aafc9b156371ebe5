// Runs the metric explorer's panels (explorer.ts) as Grafana would: variables and macros (prepareSql), then
// runReadOnly (read-only, timeout, row cap), the rows shaped as the panel's frames; the list as plain rows.
import { metricsTables } from '../writers/sql-identifiers.js';
import type { MetricsDb } from '../writers/metrics-db.js';
import { DashboardRequestError } from './errors.js';
import { metricDashboard, metricListTarget, panelTargets, type ExplorerTarget } from './explorer.js';
import { toFrame, type Frame } from './frames.js';
import { prepareSql, type TimeRange } from './macros.js';
import { recordsOf, runReadOnly, type QueryLimits } from './run-query.js';
import { parseTimeRange, type ResolvedRange } from './time-range.js';
import type { Variables } from './variables.js';

export interface ExplorerContext {
  readonly db: MetricsDb;
  readonly limits: QueryLimits;
  /** The ETL's zone: `$tz`, and the zone of the range's dates. */
  readonly timeZone: string;
  /** Epoch ms of "now" (tests). */
  readonly now?: number;
}

export interface MetricInfo {
  readonly name: string;
  readonly unit: string | null;
  readonly kind: string | null;
  readonly description: string | null;
  readonly source: string | null;
}

export interface RangeSummary {
  readonly min: number | null;
  readonly max: number | null;
  readonly sum: number | null;
  readonly count: number;
}

export interface MetricSeries {
  /** Hourly: the range's values (refId A, field `hourly`), the previous period's moved forward (B, `previous`). */
  readonly hourly: readonly Frame[];
  readonly daily: readonly Frame[];
  readonly summary: { readonly hourly: RangeSummary; readonly daily: RangeSummary };
  /** How far the previous period was moved forward: the range's length in whole hours, and in whole days. */
  readonly shift: { readonly hours: number; readonly days: number };
  /** A query returned more rows than the cap (the first ones are kept). */
  readonly truncated: boolean;
}

export interface ListedMetric {
  readonly name: string;
  readonly unit: string | null;
  readonly source: string | null;
  readonly latestHourly: { readonly at: string; readonly value: number } | null;
  readonly latestDaily: { readonly date: string; readonly value: number } | null;
  /** The daily values of the last 7 local days, oldest first (days without a value left out). */
  readonly spark: readonly number[];
}

/** The URL's range (default: the last 7 days), in the ETL's zone; DashboardRequestError when it does not read. */
export function explorerRange(from: string | undefined, to: string | undefined, ctx: ExplorerContext): ResolvedRange {
  return parseTimeRange(from || 'now-7d', to || 'now', { timeZone: ctx.timeZone, ...(ctx.now === undefined ? {} : { now: ctx.now }) });
}

/** The metric named `name`, or undefined. */
export async function findMetric(db: MetricsDb, name: string): Promise<MetricInfo | undefined> {
  const t = metricsTables(db.settings.schema);
  const { rows } = await db.query<MetricInfo>(`SELECT name, unit, kind, description, source FROM ${t.metric} WHERE name = $1`, [name]);
  return rows[0];
}

interface TargetRows {
  readonly frame: Frame;
  readonly truncated: boolean;
}

async function runTarget(ctx: ExplorerContext, t: ExplorerTarget, range: TimeRange, values: Variables): Promise<TargetRows> {
  const { sql, fill } = prepareSql(t.rawSql, range, values);
  const { table, truncated } = await runReadOnly(ctx.db, sql, ctx.limits);
  return { frame: toFrame(table, t.format, t.refId, range, fill), truncated };
}

const asRange = (r: ResolvedRange): TimeRange => ({ from: new Date(r.fromMs), to: new Date(r.toMs) });
const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

function summaryOf(frame: Frame, grain: string): RangeSummary {
  const row = (frame.fields.find((f) => f.name === 'grain')?.values ?? []).indexOf(grain);
  const at = (name: string): number | null => (row < 0 ? null : num(frame.fields.find((f) => f.name === name)?.values[row]));
  return { min: at('min'), max: at('max'), sum: at('sum'), count: at('count') ?? 0 };
}

/** The metric's charts and summary for `range` (the metric must exist: see findMetric). */
export async function metricSeries(ctx: ExplorerContext, name: string, range: ResolvedRange): Promise<MetricSeries> {
  const dashboard = metricDashboard(name, ctx.db.settings.schema, ctx.timeZone);
  const values: Variables = { tz: { value: ctx.timeZone }, metric: { value: name } };
  const run = (panel: 'hourly' | 'daily' | 'summary') => Promise.all(panelTargets(dashboard, panel).map((t) => runTarget(ctx, t, asRange(range), values)));
  const [hourly, daily, summary] = await Promise.all([run('hourly'), run('daily'), run('summary')]);
  const span = range.toMs - range.fromMs;
  const table = summary[0]!.frame;
  return {
    hourly: hourly.map((r) => r.frame),
    daily: daily.map((r) => r.frame),
    summary: { hourly: summaryOf(table, 'hourly'), daily: summaryOf(table, 'daily') },
    shift: { hours: Math.max(1, Math.round(span / 3_600_000)), days: Math.max(1, Math.round(span / 86_400_000)) },
    truncated: [...hourly, ...daily, ...summary].some((r) => r.truncated),
  };
}

function listed(row: Record<string, unknown>): ListedMetric {
  const at = row.hourly_at;
  return {
    name: String(row.name),
    unit: (row.unit as string | null) ?? null,
    source: (row.source as string | null) ?? null,
    latestHourly: at === null || at === undefined ? null : { at: (at instanceof Date ? at : new Date(String(at))).toISOString(), value: Number(row.hourly_value) },
    latestDaily: row.daily_date === null || row.daily_date === undefined ? null : { date: String(row.daily_date), value: Number(row.daily_value) },
    spark: Array.isArray(row.spark) ? row.spark.map(Number) : [],
  };
}

/** Metrics whose name starts with `prefix` (literally), by name, at most `limit`; the spark: the 7 days up to `range`'s end. */
export async function listExplorerMetrics(ctx: ExplorerContext, prefix: string, limit: number, range: ResolvedRange): Promise<ListedMetric[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new DashboardRequestError(`limit: ${limit} is not a whole number above 0`);
  const values: Variables = { tz: { value: ctx.timeZone }, prefix: { value: prefix }, limit: { value: String(limit), trusted: true } };
  const { sql } = prepareSql(metricListTarget(ctx.db.settings.schema).rawSql, asRange(range), values);
  return recordsOf((await runReadOnly(ctx.db, sql, ctx.limits)).table).map(listed);
}
