// The JSON of the metric explorer's API (web/explorer-api.ts) as the browser reads it; the server's own types
// (dashboards/explorer-run.ts) must fit these.
//
//   GET /api/metrics?prefix=&limit=            -> MetricListJson (limit 1..1000, default 200)
//   GET /api/metrics/:name/series?from=&to=    -> MetricSeriesJson (404 { error } for an unknown metric)
//   GET /api/metrics/:name/series.csv?from=&to= -> text/csv: time,grain,value,previous (the charts' values)
import type { FrameJson } from './dashboard-wire.js';

export interface ListedMetricJson {
  readonly name: string;
  readonly unit: string | null;
  readonly source: string | null;
  /** The latest hourly value and the start of its hour (ISO, UTC). */
  readonly latestHourly: { readonly at: string; readonly value: number } | null;
  /** The latest daily value and its local date (YYYY-MM-DD). */
  readonly latestDaily: { readonly date: string; readonly value: number } | null;
  /** The daily values of the last 7 days (the ETL's zone), oldest first. */
  readonly spark: readonly number[];
}

export interface MetricListJson {
  readonly metrics: readonly ListedMetricJson[];
}

export interface MetricInfoJson {
  readonly name: string;
  readonly unit: string | null;
  readonly kind: string | null;
  readonly description: string | null;
  readonly source: string | null;
}

export interface RangeSummaryJson {
  readonly min: number | null;
  readonly max: number | null;
  readonly sum: number | null;
  readonly count: number;
}

export interface MetricSeriesJson {
  readonly metric: MetricInfoJson;
  readonly range: { readonly from: string; readonly to: string; readonly fromMs: number; readonly toMs: number };
  readonly timeZone: string;
  /** Frames of refId A (field `hourly`: the range) and B (field `previous`: the period before, moved forward). */
  readonly hourly: readonly FrameJson[];
  /** The same for the daily values (fields `daily` and `previous`). */
  readonly daily: readonly FrameJson[];
  readonly summary: { readonly hourly: RangeSummaryJson; readonly daily: RangeSummaryJson };
  /** How far the previous period was moved forward. */
  readonly shift: { readonly hours: number; readonly days: number };
  readonly truncated: boolean;
}
