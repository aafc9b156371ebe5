// `etl db info`: which backend, where (password masked), the schema's version and its row counts.
import { toMetricsDbError } from './errors.js';
import type { MetricsDb, MetricsDbBackend } from './metrics-db.js';
import { LATEST_SCHEMA_VERSION, schemaVersion } from './migrate.js';
import { SCHEMA_COLUMNS } from './migrations.js';
import { metricsTables } from './sql-identifiers.js';

export interface MetricsDbInfo {
  readonly backend: MetricsDbBackend;
  readonly target: string;
  readonly schema: string;
  readonly timeZone: string;
  /** The zone recorded on the first write (null before it). */
  readonly recordedTimeZone: string | null;
  readonly version: number;
  readonly latestVersion: number;
  /** Rows per table; empty before the first migration. */
  readonly rows: Readonly<Record<'metric' | 'hourly_value' | 'daily_value' | 'job_run', number>> | null;
  /** What differs from the schema this version expects ('table job_run: column error is missing'); empty when it matches. */
  readonly problems: readonly string[];
}

/** Tables and columns of `schema` that a fully migrated schema has and this one lacks. */
async function missingColumns(db: MetricsDb, schema: string): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string; column_name: string }>(
    'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1',
    [schema],
  );
  const have = new Map<string, Set<string>>();
  for (const row of rows) have.set(row.table_name, (have.get(row.table_name) ?? new Set()).add(row.column_name));
  const problems: string[] = [];
  for (const [table, columns] of Object.entries(SCHEMA_COLUMNS)) {
    const found = have.get(table);
    if (found === undefined) {
      problems.push(`table ${table} is missing`);
      continue;
    }
    const lacking = columns.filter((c) => !found.has(c));
    if (lacking.length > 0) problems.push(`table ${table}: column${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')} missing`);
  }
  return problems;
}

/** Describes the database without changing it (no migration). */
export async function describeMetricsDb(db: MetricsDb): Promise<MetricsDbInfo> {
  const { schema, timeZone } = db.settings;
  try {
    const version = await schemaVersion(db, schema);
    let rows: MetricsDbInfo['rows'] = null;
    let problems: string[] = [];
    let recorded: string | null = null;
    if (version >= LATEST_SCHEMA_VERSION) problems = await missingColumns(db, schema);
    if (version >= 3 && !problems.some((p) => p.startsWith('table setting'))) {
      const res = await db.query<{ value: string }>(`SELECT value FROM ${metricsTables(schema).setting} WHERE key = 'time_zone'`);
      recorded = res.rows[0]?.value ?? null;
    }
    if (version > 0 && !problems.some((p) => p.endsWith('is missing'))) {
      const t = metricsTables(schema);
      const res = await db.query<Record<string, string | number>>(
        `SELECT (SELECT count(*) FROM ${t.metric}) AS metric, (SELECT count(*) FROM ${t.hourlyValue}) AS hourly_value,
                (SELECT count(*) FROM ${t.dailyValue}) AS daily_value, (SELECT count(*) FROM ${t.jobRun}) AS job_run`,
      );
      const r = res.rows[0]!;
      rows = { metric: Number(r.metric), hourly_value: Number(r.hourly_value), daily_value: Number(r.daily_value), job_run: Number(r.job_run) };
    }
    return { backend: db.backend, target: db.target, schema, timeZone, recordedTimeZone: recorded, version, latestVersion: LATEST_SCHEMA_VERSION, rows, problems };
  } catch (error) {
    throw toMetricsDbError(`db info (${db.target})`, error, db.secrets);
  }
}
