// `etl db info`: which backend, where (password masked), the schema's version and its row counts.
import { toMetricsDbError } from './errors.js';
import type { MetricsDb, MetricsDbBackend } from './metrics-db.js';
import { LATEST_SCHEMA_VERSION, schemaVersion } from './migrate.js';
import { metricsTables } from './sql-identifiers.js';

export interface MetricsDbInfo {
  readonly backend: MetricsDbBackend;
  readonly target: string;
  readonly schema: string;
  readonly timeZone: string;
  readonly version: number;
  readonly latestVersion: number;
  /** Rows per table; empty before the first migration. */
  readonly rows: Readonly<Record<'metric' | 'hourly_value' | 'daily_value' | 'job_run', number>> | null;
}

/** Describes the database without changing it (no migration). */
export async function describeMetricsDb(db: MetricsDb): Promise<MetricsDbInfo> {
  const { schema, timeZone } = db.settings;
  try {
    const version = await schemaVersion(db, schema);
    let rows: MetricsDbInfo['rows'] = null;
    if (version > 0) {
      const t = metricsTables(schema);
      const res = await db.query<Record<string, string | number>>(
        `SELECT (SELECT count(*) FROM ${t.metric}) AS metric, (SELECT count(*) FROM ${t.hourlyValue}) AS hourly_value,
                (SELECT count(*) FROM ${t.dailyValue}) AS daily_value, (SELECT count(*) FROM ${t.jobRun}) AS job_run`,
      );
      const r = res.rows[0]!;
      rows = { metric: Number(r.metric), hourly_value: Number(r.hourly_value), daily_value: Number(r.daily_value), job_run: Number(r.job_run) };
    }
    return { backend: db.backend, target: db.target, schema, timeZone, version, latestVersion: LATEST_SCHEMA_VERSION, rows };
  } catch (error) {
    throw toMetricsDbError(`db info (${db.target})`, error, db.secrets);
  }
}
