// The metrics database settings from the environment: read once, validated, frozen (passwords never echoed).
import { ConfigError } from '../graph/errors.js';
import { isValidTimeZone } from '../metrics/time.js';

export interface DatabaseConfig {
  /** postgres://... of the metrics database; absent: the embedded PGlite database in dataDir. */
  readonly databaseUrl?: string;
  readonly dataDir: string;
  readonly schema: string;
  readonly timeZone: string;
  readonly hourlyRetentionDays: number;
  readonly runRetentionDays: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function set(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function days(env: Env, name: string, fallback: number): number {
  const raw = set(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 100_000) {
    throw new ConfigError(`${name}: ${JSON.stringify(raw)} is not a whole number of days from 1 to 100000`);
  }
  return Number(raw);
}

function databaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL: not a valid URL (value not shown: it may hold a password); expected postgres://user:password@host:port/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL: scheme ${JSON.stringify(url.protocol)} is not postgres: or postgresql:`);
  }
  if (url.username === '') {
    throw new ConfigError('DATABASE_URL: no user name (write postgres://user@host/database; USER may be unset here)');
  }
  return raw;
}

/**
 * DATABASE_URL (optional), ETL_DATA_DIR (default ./.etl), ETL_SCHEMA (default etl), ETL_TIMEZONE (IANA,
 * default UTC), ETL_RETENTION_DAYS (hourly values, default 90), ETL_RUN_RETENTION_DAYS (run records, default 30).
 */
export function readDatabaseConfig(env: Env): DatabaseConfig {
  const url = set(env, 'DATABASE_URL');
  const schema = set(env, 'ETL_SCHEMA') ?? 'etl';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigError(`ETL_SCHEMA: ${JSON.stringify(schema)} is not a schema name (lower-case letters, digits and '_', at most 63)`);
  }
  const timeZone = set(env, 'ETL_TIMEZONE') ?? 'UTC';
  if (!isValidTimeZone(timeZone)) throw new ConfigError(`ETL_TIMEZONE: ${JSON.stringify(timeZone)} is not an IANA time zone (e.g. UTC, Europe/Paris)`);
  return Object.freeze({
    ...(url === undefined ? {} : { databaseUrl: databaseUrl(url) }),
    dataDir: set(env, 'ETL_DATA_DIR') ?? './.etl',
    schema,
    timeZone,
    hourlyRetentionDays: days(env, 'ETL_RETENTION_DAYS', 90),
    runRetentionDays: days(env, 'ETL_RUN_RETENTION_DAYS', 30),
  });
}
