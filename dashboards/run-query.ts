// One panel query on the metrics database: read-only (a read-only connection on PostgreSQL, else a READ ONLY
// transaction), with a statement timeout
// (dashboards.queryTimeout) and a row cap (dashboards.maxRows), its error masked. The query is always wrapped,
// `SELECT * FROM (<sql>) AS panel LIMIT $1`: PostgreSQL stops reading at cap + 1 rows, and the parameter makes
// pg use the extended protocol, where a second statement (`; COMMIT; DROP ...`) is a syntax error; a statement
// that cannot be wrapped (anything but SELECT, WITH, VALUES, TABLE) is refused.
// PGlite runs in this thread and cannot interrupt a statement: there statement_timeout is set but has no effect
// (a slow panel query holds the process until it ends); the read-only transaction and the cap hold as on PostgreSQL.
import { formatDuration } from '../graph/duration.js';
import { describeError } from '../graph/errors.js';
import { maskText } from '../secrets/mask.js';
import type { MetricsDb, SqlTable } from '../writers/metrics-db.js';
import { DashboardQueryError } from './errors.js';

export interface QueryLimits {
  readonly timeoutMs: number;
  readonly maxRows: number;
}

export interface QueryRows {
  /** The columns' names and the rows as arrays of values (no object per row: a panel reads thousands). */
  readonly table: SqlTable;
  /** More rows than maxRows: the first maxRows are kept. */
  readonly truncated: boolean;
}

/** Rows of records as a table: the first row's keys are the names (what a record-returning port gives). */
export function tableOf(records: readonly Record<string, unknown>[]): SqlTable {
  const names = records.length === 0 ? [] : Object.keys(records[0]!);
  return { names, rows: records.map((r) => names.map((n) => r[n])) };
}

/** A table's rows as records (a repeated name: the last column of that name, as a record keeps it). */
export function recordsOf(table: SqlTable): Record<string, unknown>[] {
  return table.rows.map((row) => {
    const record: Record<string, unknown> = {};
    table.names.forEach((name, i) => void (record[name] = row[i]));
    return record;
  });
}

const COMMENTS = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;
const QUERY_START = /^(?:select|with|values|table)\b|^\(/i;

/** The query wrapped for the cap; a statement that is not a query is refused. */
export function wrapQuery(sql: string): string {
  const body = sql.replace(/[\s;]+$/, '');
  if (!QUERY_START.test(body.replace(COMMENTS, ''))) {
    throw new DashboardQueryError('a panel runs one query (SELECT, WITH, VALUES or TABLE); this SQL is something else');
  }
  return `SELECT * FROM (\n${body}\n) AS panel LIMIT $1`;
}

/** What a failed panel query says: the database's message, clearer for a timeout and for a write, masked. */
function queryError(error: unknown, db: MetricsDb, limits: QueryLimits): DashboardQueryError {
  const code = (error as { code?: unknown } | null)?.code;
  let message = describeError(error);
  if (code === '57014') message = `the query ran longer than ${formatDuration(limits.timeoutMs)} (dashboards.queryTimeout) and was cancelled`;
  else if (code === '25006') message = `${describeError(error)}: dashboard queries only read`;
  return new DashboardQueryError(maskText(message, db.secrets));
}

/** Runs `sql` (one query, variables and macros already expanded) read-only, bounded in time and rows. */
export async function runReadOnly(db: MetricsDb, sql: string, limits: QueryLimits): Promise<QueryRows> {
  const wrapped = wrapQuery(sql);
  const capped = (table: SqlTable): QueryRows =>
    table.rows.length > limits.maxRows ? { table: { names: table.names, rows: table.rows.slice(0, limits.maxRows) }, truncated: true } : { table, truncated: false };
  try {
    // PostgreSQL by its URL: a read-only connection with the timeout set, one round trip.
    if (db.readOnlyQuery !== undefined) return capped(await db.readOnlyQuery(wrapped, [limits.maxRows + 1], limits.timeoutMs));
    return await db.transaction(async (tx) => {
      // SET TRANSACTION READ ONLY and SET LOCAL statement_timeout in one round trip (read-only can always be turned on).
      await tx.query("SELECT set_config('transaction_read_only', 'on', true), set_config('statement_timeout', $1, true)", [`${limits.timeoutMs}ms`]);
      return capped(tableOf((await tx.query<Record<string, unknown>>(wrapped, [limits.maxRows + 1])).rows));
    });
  } catch (error) {
    throw error instanceof DashboardQueryError ? error : queryError(error, db, limits);
  }
}
