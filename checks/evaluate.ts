// Evaluates checks where the values are: one statement per check type and grain judges every metric and
// bucket of the scope and upserts the results (re-judging a bucket replaces its row); the latest state of
// each (check, metric) is read before and after, and its transitions go to the alert sink.
import type { Check, CheckResult, CheckStatus, CheckType, Grain } from './check.js';
import { judgeAnomaly } from './judge-anomaly.js';
import { judgeFreshness, judgeMissing } from './judge-presence.js';
import { judgeChange, judgeRange } from './judge-values.js';
import { latestResults, toResult, type ResultRow } from './results.js';
import type { CheckScope } from './scope.js';
import type { JudgeInput, Statement } from './sql-parts.js';
import { JUDGED_COLUMNS } from './sql-parts.js';
import { transitionsBetween, type CheckAlertSink, type CheckTransition } from './transitions.js';
import type { MetricsDb } from '../writers/metrics-db.js';
import { metricsTables } from '../writers/sql-identifiers.js';

type Judge = (input: JudgeInput<never>) => Statement | undefined;
const JUDGES: Record<CheckType, Judge> = { anomaly: judgeAnomaly, range: judgeRange, change: judgeChange, missing: judgeMissing, freshness: judgeFreshness } as Record<CheckType, Judge>;

export interface JudgeRequest {
  readonly checks: readonly Check[];
  readonly scope: CheckScope;
  /** The clock of the judgement (freshness ages, missing buckets' grace, evaluated_at). */
  readonly now: number;
  /** Only checks of these types (default all). */
  readonly types?: readonly CheckType[];
}

/** The judgement statements of a request: one per check type and grain that has checks (and buckets in scope). */
export function judgeStatements(db: Pick<MetricsDb, 'settings'>, request: JudgeRequest): Statement[] {
  const groups = new Map<string, { type: CheckType; grain: Grain; checks: Check[] }>();
  for (const check of request.checks) {
    if (request.types !== undefined && !request.types.includes(check.type)) continue;
    const id = `${check.type}/${check.grain}`;
    const group = groups.get(id) ?? { type: check.type, grain: check.grain, checks: [] };
    group.checks.push(check);
    groups.set(id, group);
  }
  const { schema, timeZone } = db.settings;
  return [...groups.values()].flatMap(({ type, grain, checks }) => {
    const statement = JUDGES[type]({ checks: checks as never[], grain, scope: request.scope, schema, timeZone, now: request.now });
    return statement === undefined ? [] : [statement];
  });
}

/** A judgement statement wrapped to upsert its results and count them by status. */
export function upsertStatement(schema: string, statement: Statement, now: number): Statement {
  const t = metricsTables(schema);
  const columns = JUDGED_COLUMNS.replace('metric, ', '');
  const evaluatedAt = `$${statement.params.length + 1}::timestamptz`;
  const set = columns.split(', ').filter((c) => !['check_name', 'metric_id', 'date', 'hour'].includes(c)).map((c) => `${c} = EXCLUDED.${c}`);
  const text = `WITH judged AS (${statement.text}),
    written AS (
      INSERT INTO ${t.checkResult} (${columns}, evaluated_at) SELECT ${columns}, ${evaluatedAt} FROM judged
      ON CONFLICT (check_name, metric_id, date, hour) DO UPDATE SET ${set.join(', ')}, evaluated_at = EXCLUDED.evaluated_at
      RETURNING status
    )
    SELECT status, count(*)::int AS n FROM written GROUP BY status`;
  return { text, params: [...statement.params, new Date(now).toISOString()] };
}

export interface Evaluation {
  /** Buckets judged, by status. */
  readonly counts: Readonly<Record<CheckStatus, number>>;
  readonly transitions: readonly CheckTransition[];
  /** Why the alerts could not be sent, when they could not (the results are stored). */
  readonly alertError?: unknown;
}

export interface EvaluateOptions extends JudgeRequest {
  /** Told of transitions between failing and passing; without it, transitions are computed and returned all the same. */
  readonly alerts?: CheckAlertSink | undefined;
}

/** Judges and stores; returns the counts and the transitions (told to `alerts`). */
export async function evaluateChecks(db: MetricsDb, options: EvaluateOptions): Promise<Evaluation> {
  const statements = judgeStatements(db, options);
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0 };
  if (statements.length === 0) return { counts, transitions: [] };
  const judged = options.checks.filter((c) => options.types === undefined || options.types.includes(c.type));
  const before = await latestResults(db, judged);
  for (const statement of statements) {
    const upsert = upsertStatement(db.settings.schema, statement, options.now);
    const { rows } = await db.query<{ status: CheckStatus; n: number }>(upsert.text, upsert.params);
    for (const row of rows) counts[row.status] += Number(row.n);
  }
  const transitions = transitionsBetween(before, await latestResults(db, judged));
  if (transitions.length === 0 || options.alerts === undefined) return { counts, transitions };
  try {
    await options.alerts.notify(transitions);
    return { counts, transitions };
  } catch (error) {
    return { counts, transitions, alertError: error };
  }
}

/** Judges without storing: the results that are not 'pass' (all of them with `all`), oldest bucket first (the back-test). */
export async function judgeOnly(db: MetricsDb, request: JudgeRequest, options: { readonly all?: boolean } = {}): Promise<CheckResult[]> {
  const found: CheckResult[] = [];
  for (const statement of judgeStatements(db, request)) {
    const { rows } = await db.query<ResultRow>(
      `SELECT check_name, metric_id, metric, to_char(date, 'YYYY-MM-DD') AS date, hour, bucket_start, status, value, expected_low, expected_high, score, reason,
         $${statement.params.length + 1}::timestamptz AS evaluated_at
       FROM (${statement.text}) j${options.all === true ? '' : " WHERE status <> 'pass'"}`,
      [...statement.params, new Date(request.now).toISOString()],
    );
    for (const r of rows) found.push(toResult(r));
  }
  return found.sort((a, b) => a.bucketStart.getTime() - b.bucketStart.getTime() || a.check.localeCompare(b.check) || a.metric.localeCompare(b.metric));
}
