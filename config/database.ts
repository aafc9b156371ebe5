// The metrics database settings: environment variables over the file's (already validated) ones, defaults, frozen.
import { isAbsolute, join } from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../graph/errors.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_DATA_DIR,
  DEFAULT_HOURLY_RETENTION_DAYS,
  DEFAULT_RUN_RETENTION_DAYS,
  DEFAULT_SCHEMA,
  DEFAULT_TIME_ZONE,
  DEFAULT_LOCK_WAIT_MS,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  duration,
  postgresUrl,
  retentionDays,
  schemaName,
  timeZone,
} from './schema.js';
import type { ServeConfig } from './serve-schema.js';

export interface DatabaseConfig {
  /** postgres://... of the metrics database; absent: the embedded PGlite database in dataDir. */
  readonly databaseUrl?: string;
  readonly dataDir: string;
  readonly schema: string;
  readonly timeZone: string;
  readonly hourlyRetentionDays: number;
  readonly runRetentionDays: number;
  /** Milliseconds to wait for a connection (pg connectionTimeoutMillis); default 10s. */
  readonly connectTimeoutMs: number;
  /** Milliseconds a statement may run (pg statement_timeout / query_timeout); default 5m. */
  readonly statementTimeoutMs: number;
  /** Milliseconds to wait for the embedded database's lock (another etl process has it open); default 60s. */
  readonly lockWaitMs: number;
  /**
   * Where the embedded database's empty template is cached for every data directory of this user
   * ($XDG_CACHE_HOME/etl-metrics, else $HOME/.cache/etl-metrics); absent (neither set): the data directory.
   */
  readonly templateCacheDir?: string;
  /** Embedded only: serve the held database on a fixed port for Grafana (metricsDatabase.serve; ignored with a URL). */
  readonly serve?: ServeConfig;
}

/** The file's settings, validated by the schema; any of them may be absent. */
export type DatabaseFileSettings = { readonly [K in keyof DatabaseConfig]?: DatabaseConfig[K] | undefined };

type Env = Readonly<Record<string, string | undefined>>;

function set(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** Variable `name` checked by the same schema as the file's key, so both say the same; the error names the variable. */
function checked<T extends z.ZodType>(schema: T, env: Env, name: string, toValue: (raw: string) => unknown = (raw) => raw): z.output<T> | undefined {
  const raw = set(env, name);
  if (raw === undefined) return undefined;
  const parsed = schema.safeParse(toValue(raw));
  if (!parsed.success) throw new ConfigError(`${name}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/**
 * The user's cache directory for etl: $XDG_CACHE_HOME/etl-metrics (an absolute path, as the XDG spec wants),
 * else $HOME/.cache/etl-metrics; undefined when neither is set.
 */
export function userCacheDir(env: Env): string | undefined {
  const xdg = set(env, 'XDG_CACHE_HOME');
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'etl-metrics');
  const home = set(env, 'HOME');
  return home === undefined ? undefined : join(home, '.cache', 'etl-metrics');
}

/** '30' -> 30; anything else stays text, which the schema rejects naming it. */
const wholeNumber = (raw: string): unknown => (/^\d+$/.test(raw) ? Number(raw) : raw);

/**
 * DATABASE_URL (optional), ETL_DATA_DIR (default ./.etl), ETL_SCHEMA (default etl), ETL_TIMEZONE (IANA,
 * default UTC), ETL_RETENTION_DAYS (hourly values, default 90), ETL_RUN_RETENTION_DAYS (run records, default
 * 30), ETL_LOCK_WAIT (a duration such as '90s', default 60s). Each variable wins over `fromFile`.
 * XDG_CACHE_HOME or HOME: where the embedded database's template is cached (userCacheDir).
 */
export function readDatabaseConfig(env: Env, fromFile: DatabaseFileSettings = {}): DatabaseConfig {
  const url = checked(postgresUrl, env, 'DATABASE_URL') ?? fromFile.databaseUrl;
  const templateCacheDir = userCacheDir(env) ?? fromFile.templateCacheDir;
  return Object.freeze({
    ...(url === undefined ? {} : { databaseUrl: url }),
    dataDir: set(env, 'ETL_DATA_DIR') ?? fromFile.dataDir ?? DEFAULT_DATA_DIR,
    schema: checked(schemaName, env, 'ETL_SCHEMA') ?? fromFile.schema ?? DEFAULT_SCHEMA,
    timeZone: checked(timeZone, env, 'ETL_TIMEZONE') ?? fromFile.timeZone ?? DEFAULT_TIME_ZONE,
    hourlyRetentionDays: checked(retentionDays, env, 'ETL_RETENTION_DAYS', wholeNumber) ?? fromFile.hourlyRetentionDays ?? DEFAULT_HOURLY_RETENTION_DAYS,
    runRetentionDays: checked(retentionDays, env, 'ETL_RUN_RETENTION_DAYS', wholeNumber) ?? fromFile.runRetentionDays ?? DEFAULT_RUN_RETENTION_DAYS,
    connectTimeoutMs: fromFile.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: fromFile.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    lockWaitMs: checked(duration, env, 'ETL_LOCK_WAIT') ?? fromFile.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS,
    ...(templateCacheDir === undefined ? {} : { templateCacheDir }),
    // With a database URL (DATABASE_URL may override the file's), Grafana reads that server: nothing is served.
    ...(fromFile.serve === undefined || url !== undefined ? {} : { serve: fromFile.serve }),
  });
}
