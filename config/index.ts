// The configuration, read once: file (or the demo), environment overrides, frozen. Only cli/ imports this.
import { resolve } from 'node:path';
import { ConfigError } from '../graph/errors.js';
import { isValidTimeZone } from '../metrics/time.js';
import { readDatabaseConfig, type DatabaseConfig } from './database.js';
import { findConfigFile, readConfigFile, type ConfigSource, type Env } from './load.js';
import type { FileConfig } from './schema.js';

export { maskSecrets, maskUrl } from './mask.js';
export { DEMO_CONFIG_FILE, CONFIG_FILE_NAME, type Env, type ConfigSource } from './load.js';
export type { FileConfig, SourceConfig, ReadersConfig } from './schema.js';
export type { DatabaseConfig } from './database.js';

export interface LoadedConfig {
  readonly source: ConfigSource;
  readonly file: FileConfig;
  /** Zone of the dates and hours written (ETL_TIMEZONE, else the file's timeZone, else UTC). */
  readonly timeZone: string;
  /** Directory of embedded data: the PGlite metrics database, the demo website (ETL_DATA_DIR, default ./.etl). */
  readonly dataDir: string;
  /** Job modules to load, absolute paths (config `jobs`, relative to the file, then ETL_JOBS, relative to cwd). */
  readonly jobModules: readonly string[];
  /** The metrics database: the file's metricsDatabase and retention, overridden by DATABASE_URL, ETL_SCHEMA... */
  readonly database: DatabaseConfig;
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
  const timeZone = env.ETL_TIMEZONE || file.timeZone || 'UTC';
  if (!isValidTimeZone(timeZone)) throw new ConfigError(`ETL_TIMEZONE: '${timeZone}' is not an IANA time zone (e.g. UTC, Europe/Paris)`);
  const dataDir = resolve(cwd, env.ETL_DATA_DIR || file.metricsDatabase?.dataDir || '.etl');
  const base = resolve(source.file, '..');
  const jobModules = [
    ...(file.jobs ?? []).map((path) => resolve(base, path)),
    ...(env.ETL_JOBS ?? '').split(',').map((p) => p.trim()).filter(Boolean).map((path) => resolve(cwd, path)),
  ];
  const fromFile: Env = {
    DATABASE_URL: file.metricsDatabase?.url,
    ETL_SCHEMA: file.metricsDatabase?.schema,
    ETL_RETENTION_DAYS: file.retention?.hourlyDays?.toString(),
    ETL_RUN_RETENTION_DAYS: file.retention?.runDays?.toString(),
  };
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const database = { ...readDatabaseConfig({ ...fromFile, ...set }), dataDir, timeZone };
  return deepFreeze({ source, file, timeZone, dataDir, jobModules, database, env: { ...env } });
}
