// `etl metrics`: each metric with its latest hourly and daily values, by name prefix and date range.
import { toMetricsDbError } from './errors.js';
import type { MetricsDb } from './metrics-db.js';
import { metricsTables } from './sql-identifiers.js';

export interface MetricsFilter {
  /** Only names starting with this text (matched literally: no LIKE wildcards). */
  readonly prefix?: string;
  /** Only values on or after this local date (YYYY-MM-DD). */
  readonly from?: string;
  /** Only values on or before this local date. */
  readonly to?: string;
}

export interface MetricSummary {
  readonly name: string;
  readonly unit: string | null;
  readonly kind: string | null;
  readonly description: string | null;
  readonly hourly: { readonly date: string; readonly hour: number; readonly value: number } | null;
  readonly daily: { readonly date: string; readonly value: number } | null;
}

interface Row {
  name: string;
  unit: string | null;
  kind: string | null;
  description: string | null;
  h_date: string | null;
  h_hour: number | null;
  h_value: number | null;
  d_date: string | null;
  d_value: number | null;
}

/**
 * Metrics by name with their latest values in the range. With a date range, metrics without any value in
 * it are left out. The schema must exist (see schemaVersion).
 */
export async function listMetrics(db: MetricsDb, filter: MetricsFilter = {}): Promise<MetricSummary[]> {
  const t = metricsTables(db.settings.schema);
  const ranged = filter.from !== undefined || filter.to !== undefined;
  const inRange = `($2::date IS NULL OR v.date >= $2::date) AND ($3::date IS NULL OR v.date <= $3::date)`;
  const sql = `
    SELECT m.name, m.unit, m.kind, m.description,
           h.date::text AS h_date, h.hour AS h_hour, h.value AS h_value, d.date::text AS d_date, d.value AS d_value
    FROM ${t.metric} AS m
    LEFT JOIN LATERAL (SELECT v.date, v.hour, v.value FROM ${t.hourlyValue} AS v
                       WHERE v.metric_id = m.id AND ${inRange} ORDER BY v.date DESC, v.hour DESC LIMIT 1) AS h ON true
    LEFT JOIN LATERAL (SELECT v.date, v.value FROM ${t.dailyValue} AS v
                       WHERE v.metric_id = m.id AND ${inRange} ORDER BY v.date DESC LIMIT 1) AS d ON true
    WHERE ($1::text IS NULL OR starts_with(m.name, $1::text))
      AND (NOT $4::boolean OR h.date IS NOT NULL OR d.date IS NOT NULL)
    ORDER BY m.name`;
  try {
    const res = await db.query<Row>(sql, [filter.prefix ?? null, filter.from ?? null, filter.to ?? null, ranged]);
    return res.rows.map((r) => ({
      name: r.name,
      unit: r.unit,
      kind: r.kind,
      description: r.description,
      hourly: r.h_date === null ? null : { date: r.h_date, hour: Number(r.h_hour), value: Number(r.h_value) },
      daily: r.d_date === null ? null : { date: r.d_date, value: Number(r.d_value) },
    }));
  } catch (error) {
    throw toMetricsDbError(`list metrics (${db.target})`, error, db.secrets);
  }
}
