// What the checks page reads: every metric each check's pattern covers (judged or not), with the number of its
// buckets that did not pass since an instant and the latest of them. One statement: the metrics by the patterns,
// then per pair the failing index (bucket_start, status <> 'pass') counted and the primary key read backward.
import type { Check, CheckResult } from './check.js';
import { likePattern } from './check.js';
import { toResult, type ResultRow } from './results.js';
import type { SqlQueryable } from '../writers/metrics-db.js';
import { metricsTables } from '../writers/sql-identifiers.js';

/** One metric a check covers: its failing buckets (status warn or fail) since the window's start, and the latest of them. */
export interface CheckCoverage {
  readonly check: string;
  readonly metric: string;
  readonly failing: number;
  readonly lastFailure: CheckResult | null;
}

type CoverageRow = Omit<ResultRow, 'check_name'> & { check: string; failing: number };

/** Every (check, metric) the checks' patterns cover, by check then metric; `since` epoch ms. */
export async function checkCoverage(
  db: SqlQueryable & { readonly settings: { readonly schema: string } },
  checks: readonly Pick<Check, 'name' | 'metric'>[],
  since: number,
): Promise<CheckCoverage[]> {
  if (checks.length === 0) return [];
  const t = metricsTables(db.settings.schema);
  const { rows } = await db.query<CoverageRow>(
    `SELECT c.check_name AS check, mt.name AS metric, mt.id AS metric_id, f.failing,
       to_char(l.date, 'YYYY-MM-DD') AS date, l.hour, l.bucket_start, l.status, l.value, l.expected_low, l.expected_high, l.score, l.reason, l.evaluated_at
     FROM unnest($1::text[], $2::text[]) AS c(check_name, pattern)
     JOIN ${t.metric} mt ON mt.name LIKE c.pattern
     CROSS JOIN LATERAL (
       SELECT count(*)::int AS failing FROM ${t.checkResult} x
       WHERE x.check_name = c.check_name AND x.metric_id = mt.id AND x.status <> 'pass' AND x.bucket_start >= $3
     ) f
     LEFT JOIN LATERAL (
       SELECT * FROM ${t.checkResult} x WHERE x.check_name = c.check_name AND x.metric_id = mt.id AND x.status <> 'pass'
       ORDER BY x.date DESC, x.hour DESC LIMIT 1
     ) l ON true
     ORDER BY c.check_name, mt.name`,
    [checks.map((c) => c.name), checks.map((c) => likePattern(c.metric)), new Date(since).toISOString()],
  );
  return rows.map((row) => ({
    check: row.check,
    metric: row.metric,
    failing: Number(row.failing),
    lastFailure: row.status === null ? null : toResult({ ...row, check_name: row.check }),
  }));
}
