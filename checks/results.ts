// Reading check results (check_result, migration 7): the latest state of each check and metric, the failing
// buckets of a period, and one check's value and expected band over time for a metric (what a chart draws).
// The web UI and /metrics read through these; the evaluation writes through checks/evaluate.ts.
import type { Check, CheckResult, CheckStatus } from './check.js';
import { likePattern } from './check.js';
import type { SqlQueryable } from '../writers/metrics-db.js';
import { metricsTables } from '../writers/sql-identifiers.js';

/** A row of check_result as read (with the metric's name). */
export interface ResultRow {
  check_name: string;
  metric_id: number;
  metric: string;
  date: string;
  hour: number;
  bucket_start: Date | string;
  status: CheckStatus;
  value: number | null;
  expected_low: number | null;
  expected_high: number | null;
  score: number | null;
  reason: string;
  evaluated_at: Date | string;
}

const SELECT = `r.check_name, r.metric_id, mt.name AS metric, to_char(r.date, 'YYYY-MM-DD') AS date, r.hour, r.bucket_start, r.status, r.value,
  r.expected_low, r.expected_high, r.score, r.reason, r.evaluated_at`;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function toResult(row: ResultRow): CheckResult {
  return {
    check: row.check_name,
    metricId: Number(row.metric_id),
    metric: row.metric,
    date: row.date,
    hour: Number(row.hour),
    bucketStart: new Date(row.bucket_start),
    status: row.status,
    value: num(row.value),
    expectedLow: num(row.expected_low),
    expectedHigh: num(row.expected_high),
    score: num(row.score),
    reason: row.reason,
    evaluatedAt: new Date(row.evaluated_at),
  };
}

/**
 * The state of each (check, metric) the checks name: its latest judged bucket (one index probe per pair).
 * Pairs never judged are absent.
 */
export async function latestResults(db: SqlQueryable & { readonly settings: { readonly schema: string } }, checks: readonly Pick<Check, 'name' | 'metric'>[]): Promise<CheckResult[]> {
  if (checks.length === 0) return [];
  const t = metricsTables(db.settings.schema);
  const { rows } = await db.query<ResultRow>(
    `SELECT ${SELECT}
     FROM unnest($1::text[], $2::text[]) AS c(check_name, pattern)
     JOIN ${t.metric} mt ON mt.name LIKE c.pattern
     CROSS JOIN LATERAL (SELECT * FROM ${t.checkResult} x WHERE x.check_name = c.check_name AND x.metric_id = mt.id ORDER BY x.date DESC, x.hour DESC LIMIT 1) r
     ORDER BY r.check_name, mt.name`,
    [checks.map((c) => c.name), checks.map((c) => likePattern(c.metric))],
  );
  return rows.map(toResult);
}

export interface ResultFilter {
  /** Buckets starting in [from, to) (epoch ms). */
  readonly from?: number;
  readonly to?: number;
  readonly check?: string;
  readonly metric?: string;
  /** Only these statuses (default all). */
  readonly statuses?: readonly CheckStatus[];
  /** At most this many rows (default 10000). */
  readonly limit?: number;
}

/** Stored results, oldest bucket first, filtered. */
export async function listResults(db: SqlQueryable & { readonly settings: { readonly schema: string } }, filter: ResultFilter = {}): Promise<CheckResult[]> {
  const t = metricsTables(db.settings.schema);
  const { rows } = await db.query<ResultRow>(
    `SELECT ${SELECT} FROM ${t.checkResult} r JOIN ${t.metric} mt ON mt.id = r.metric_id
     WHERE ($1::timestamptz IS NULL OR r.bucket_start >= $1) AND ($2::timestamptz IS NULL OR r.bucket_start < $2)
       AND ($3::text IS NULL OR r.check_name = $3) AND ($4::text IS NULL OR mt.name = $4) AND ($5::text[] IS NULL OR r.status = ANY ($5))
     ORDER BY r.bucket_start, r.check_name, mt.name LIMIT $6`,
    [
      filter.from === undefined ? null : new Date(filter.from).toISOString(),
      filter.to === undefined ? null : new Date(filter.to).toISOString(),
      filter.check ?? null,
      filter.metric ?? null,
      filter.statuses === undefined ? null : [...filter.statuses],
      filter.limit ?? 10_000,
    ],
  );
  return rows.map(toResult);
}

/** One check's results for one metric over [from, to): the value and the expected band per bucket, for a chart. */
export function bandHistory(db: SqlQueryable & { readonly settings: { readonly schema: string } }, check: string, metric: string, from: number, to: number): Promise<CheckResult[]> {
  return listResults(db, { check, metric, from, to, limit: 100_000 });
}

/** Buckets starting at or after `since` judged warn or fail, per check of `names` (0 for those without): /metrics reads it. */
export async function failingByCheck(db: SqlQueryable & { readonly settings: { readonly schema: string } }, names: readonly string[], since: number): Promise<{ check: string; count: number }[]> {
  if (names.length === 0) return [];
  const t = metricsTables(db.settings.schema);
  const { rows } = await db.query<{ check: string; count: number }>(
    `SELECT c.name AS check, count(r.check_name)::int AS count
     FROM unnest($1::text[]) AS c(name)
     LEFT JOIN ${t.checkResult} r ON r.check_name = c.name AND r.bucket_start >= $2 AND r.status <> 'pass'
     GROUP BY c.name ORDER BY c.name`,
    [[...names], new Date(since).toISOString()],
  );
  return rows.map((r) => ({ check: r.check, count: Number(r.count) }));
}
