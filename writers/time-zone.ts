// The time zone of a metrics database's dates and hours: recorded on its first write, then enforced, so
// changing ETL_TIMEZONE between runs cannot mix zones in one table; changed only on purpose (setTimeZone).
import { MetricsDbError, toMetricsDbError } from './errors.js';
import type { MetricsDb } from './metrics-db.js';
import { ensureMigrated } from './migrate.js';
import { oncePerDb } from './per-db.js';
import { metricsTables } from './sql-identifiers.js';

/** The database's dates and hours are in another zone than the one this process writes in. */
export class TimeZoneMismatchError extends MetricsDbError {
  override readonly name: string = 'TimeZoneMismatchError';
  /** A configuration problem: every attempt fails the same way. */
  override readonly retryable: boolean = false;
}

const KEY = 'time_zone';

/** The zone recorded in the database, or undefined before its first write. */
export async function recordedTimeZone(db: MetricsDb): Promise<string | undefined> {
  await ensureMigrated(db);
  const { rows } = await db.query<{ value: string }>(`SELECT value FROM ${metricsTables(db.settings.schema).setting} WHERE key = $1`, [KEY]);
  return rows[0]?.value;
}

async function checkTimeZone(db: MetricsDb): Promise<string> {
  const zone = db.settings.timeZone;
  try {
    await ensureMigrated(db);
    await db.query(`INSERT INTO ${metricsTables(db.settings.schema).setting} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [KEY, zone]);
  } catch (error) {
    throw toMetricsDbError(`metrics database ${db.target}: recording its time zone`, error, db.secrets);
  }
  const recorded = await recordedTimeZone(db);
  if (recorded !== undefined && recorded !== zone) {
    throw new TimeZoneMismatchError(
      `metrics database ${db.target} holds dates and hours in ${recorded}, but this run writes in ${zone} (ETL_TIMEZONE, or timeZone in the configuration): ` +
        `writing would mix zones. Set the zone back to ${recorded}; to change it on purpose (values already written keep their dates and hours), run \`etl db time-zone ${zone} --yes\``,
    );
  }
  return zone;
}

/** Records the zone on the first write and refuses another one afterwards (once per database handle). */
export const ensureTimeZone: (db: MetricsDb) => Promise<string> = oncePerDb(checkTimeZone);

/** Changes the recorded zone on purpose; returns the zone it had. */
export async function setTimeZone(db: MetricsDb, zone: string): Promise<string | undefined> {
  const before = await recordedTimeZone(db);
  await db.query(
    `INSERT INTO ${metricsTables(db.settings.schema).setting} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [KEY, zone],
  );
  return before;
}
