// The configuration, read once: file (or the demo), environment overrides, frozen. Only cli/ imports this.
import { resolve } from 'node:path';
import { readDashboardsConfig, type DashboardsConfig } from './dashboards.js';
import { readDatabaseConfig, type DatabaseConfig } from './database.js';
import { findConfigFile, readConfigFile, type ConfigSource, type Env } from './load.js';
import type { FileConfig } from './schema.js';

export { maskSecrets, maskUrl } from './mask.js';
export { DEMO_CONFIG_FILE, CONFIG_FILE_NAME, type Env, type ConfigSource } from './load.js';
export type { FileConfig, SourceConfig, ReadersConfig } from './schema.js';
export type { DatabaseConfig } from './database.js';
export type { DashboardsConfig } from './dashboards.js';
export { formatDuration, parseDuration } from './duration.js';

export interface LoadedConfig {
  readonly source: ConfigSource;
  readonly file: FileConfig;
  /** Zone of the dates and hours written (ETL_TIMEZONE, else the file's timeZone, else UTC). */
  readonly timeZone: string;
  /** Directory of embedded data: the PGlite metrics database, the demo website (ETL_DATA_DIR, default ./.etl). */
  readonly dataDir: string;
  /** Job modules to load, absolute paths (config `jobs`, relative to the file, then ETL_JOBS, relative to cwd). */
  readonly jobModules: readonly string[];
  /**
   * The metrics database: the file's metricsDatabase and retention, overridden by DATABASE_URL, ETL_SCHEMA,
   * ETL_LOCK_WAIT...; timeouts in milliseconds (connectTimeoutMs, statementTimeoutMs, lockWaitMs).
   */
  readonly database: DatabaseConfig;
  /** The web UI's dashboards: the user's folder, query timeout and row cap, public uids (config `dashboards`). */
  readonly dashboards: DashboardsConfig;
  /** The environment the configuration was read with. */
  readonly env: Env;
}

export interface LoadOptions {
  /** --config, if given. */
  readonly explicit?: string;
  readonly env: Env;
  readonly cwd: string;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

export function loadConfig(options: LoadOptions): LoadedConfig {
  const { env, cwd } = options;
  const source = findConfigFile(options.explicit, env, cwd);
  const file = readConfigFile(source.file, env);
  const metricsDb = file.metricsDatabase;
  const settings = readDatabaseConfig(env, {
    databaseUrl: metricsDb?.url,
    schema: metricsDb?.schema,
    timeZone: file.timeZone,
    hourlyRetentionDays: file.retention?.hourlyDays,
    runRetentionDays: file.retention?.runDays,
    connectTimeoutMs: metricsDb?.connectTimeout,
    statementTimeoutMs: metricsDb?.statementTimeout,
    lockWaitMs: metricsDb?.lockWait,
    serve: metricsDb?.serve,
  });
  const { timeZone } = settings;
  const dataDir = resolve(cwd, env.ETL_DATA_DIR || metricsDb?.dataDir || '.etl');
  const base = resolve(source.file, '..');
  const jobModules = [
    ...(file.jobs ?? []).map((path) => resolve(base, path)),
    ...(env.ETL_JOBS ?? '').split(',').map((p) => p.trim()).filter(Boolean).map((path) => resolve(cwd, path)),
  ];
  const database = { ...settings, dataDir };
  const dashboards = readDashboardsConfig(file, source.file);
  return deepFreeze({ source, file, timeZone, dataDir, jobModules, database, dashboards, env: { ...env } });
}
