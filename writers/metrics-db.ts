// The narrow database port of the writers (Kysely-style): the subset of pg.Pool / PGlite they use.

/** The result of one statement: its rows, and how many rows it changed. */
export interface SqlResult<R> {
  readonly rows: R[];
  readonly rowCount: number;
}

/** A result as its column names and rows of values in that order (no object per row; a repeated name kept twice). */
export interface SqlTable {
  readonly names: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

/** Runs one parameterised statement (values always in $n parameters). */
export interface SqlQueryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
}

/** A transaction: statements plus COPY FROM of rows into a table. */
export interface SqlTransaction extends SqlQueryable {
  /**
   * COPY `table` (`columns`) in this transaction, from `data`: a string is the text format (tab-separated,
   * one row per line), bytes are PostgreSQL's binary COPY format. Returns the number of rows copied.
   */
  copyFrom(table: string, columns: readonly string[], data: string | Uint8Array): Promise<number>;
}

export type MetricsDbBackend = 'postgres' | 'pglite';

/** Settings that travel with the database: the zone of its dates, and how long values and runs are kept. */
export interface MetricsDbSettings {
  readonly schema: string;
  readonly timeZone: string;
  readonly hourlyRetentionDays: number;
  readonly runRetentionDays: number;
}

/** The metrics database as the writers see it: PostgreSQL or PGlite behind the same port and SQL. */
export interface MetricsDb extends SqlQueryable {
  readonly backend: MetricsDbBackend;
  /** Where it is, safe to print: a URL with the password masked, or `pglite:<dir>`. */
  readonly target: string;
  readonly settings: MetricsDbSettings;
  /** Passwords to scrub from error messages. */
  readonly secrets: readonly string[];
  /**
   * One statement on a read-only connection whose statements end after `timeoutMs`, in one round trip: where the
   * backend has such connections (PostgreSQL reached by its own URL). Absent elsewhere: callers use a READ ONLY
   * transaction instead (dashboards/run-query.ts).
   */
  readonly readOnlyQuery?: (text: string, params: readonly unknown[], timeoutMs: number) => Promise<SqlTable>;
  /** Runs `body` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(body: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The service name under which jobs receive the metrics database (`ctx.service<MetricsDb>(...)`). */
export const METRICS_DB_SERVICE = 'metricsDb';
