// Retention (the talk's daily `clean all`, InfluxDB's retention policies): old hourly values and run records go.
import { nextDate, toDateHour } from '../metrics/time.js';
import { toMetricsDbError } from './errors.js';
import type { MetricsDb } from './metrics-db.js';
import { ensureMigrated } from './migrate.js';
import { metricsTables } from './sql-identifiers.js';

export interface CleanOptions {
  /** Hourly values of local dates older than this many days are deleted (default: the db's settings). */
  readonly hourlyRetentionDays?: number;
  /** Run records older than this many days are deleted, finished or not (default: the db's settings). */
  readonly runRetentionDays?: number;
  /** Clock (epoch ms), for tests. */
  readonly now?: number;
}

export interface CleanResult {
  /** Hourly values dated before this local date were deleted. */
  readonly hourlyBefore: string;
  /** Runs that finished (or, unfinished, started or were queued) before this instant (ISO) were deleted. */
  readonly runsBefore: string;
  readonly deleted: { readonly hourlyValues: number; readonly jobRuns: number };
}

function checkDays(name: string, days: number): number {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`clean: ${name} must be a whole number of days >= 0 (got ${days})`);
  return days;
}

/**
 * Deletes hourly values older than the retention (in the db's time zone: with 90 days on 2026-06-30, the
 * values of 2026-04-01 and later stay), and finished run records older than theirs. Daily values and
 * metrics are kept. Each table is cleaned by one statement.
 */
export async function cleanMetrics(db: MetricsDb, options: CleanOptions = {}): Promise<CleanResult> {
  const hourlyDays = checkDays('hourly retention', options.hourlyRetentionDays ?? db.settings.hourlyRetentionDays);
  const runDays = checkDays('run retention', options.runRetentionDays ?? db.settings.runRetentionDays);
  const now = options.now ?? Date.now();
  const today = toDateHour(now, db.settings.timeZone).date;
  const hourlyBefore = nextDate(today, -hourlyDays);
  const runsBefore = new Date(now - runDays * 86_400_000).toISOString();
  await ensureMigrated(db);
  const t = metricsTables(db.settings.schema);
  try {
    const hourly = await db.query(`DELETE FROM ${t.hourlyValue} WHERE date < $1::date`, [hourlyBefore]);
    // Whatever their state: a record older than the retention that never finished belongs to a process long gone.
    const runs = await db.query(`DELETE FROM ${t.jobRun} WHERE coalesce(finished_at, started_at, queued_at, created_at) < $1::timestamptz`, [runsBefore]);
    return { hourlyBefore, runsBefore, deleted: { hourlyValues: hourly.rowCount, jobRuns: runs.rowCount } };
  } catch (error) {
    throw toMetricsDbError(`clean (${db.target})`, error, db.secrets);
  }
}
