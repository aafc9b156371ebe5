// Opens the metrics database from configuration: PostgreSQL when a URL is given, else PGlite in the data dir.
import { join, resolve } from 'node:path';
import type { MetricsDb, MetricsDbSettings } from './metrics-db.js';
import { openPglite, pgliteMetricsDb } from './pglite-metrics-db.js';
import { openPostgresPool, postgresMetricsDb } from './postgres-metrics-db.js';

/** What opening the metrics database needs (config/database.ts's DatabaseConfig has this shape). */
export interface MetricsDbConfig {
  /** postgres://user:password@host:port/db; without it, the embedded PGlite database is used. */
  readonly databaseUrl?: string | undefined;
  /** Folder of the embedded database (PGlite lives in `<dataDir>/metrics-db`). */
  readonly dataDir: string;
  readonly schema?: string;
  readonly timeZone?: string;
  readonly hourlyRetentionDays?: number;
  readonly runRetentionDays?: number;
}

export const DEFAULT_SCHEMA = 'etl';
export const DEFAULT_HOURLY_RETENTION_DAYS = 90;
export const DEFAULT_RUN_RETENTION_DAYS = 30;

/** Settings with their defaults filled in. */
export function metricsDbSettings(config: Omit<MetricsDbConfig, 'dataDir' | 'databaseUrl'>): MetricsDbSettings {
  return Object.freeze({
    schema: config.schema ?? DEFAULT_SCHEMA,
    timeZone: config.timeZone ?? 'UTC',
    hourlyRetentionDays: config.hourlyRetentionDays ?? DEFAULT_HOURLY_RETENTION_DAYS,
    runRetentionDays: config.runRetentionDays ?? DEFAULT_RUN_RETENTION_DAYS,
  });
}

/** `postgres://user:secret@host/db` -> `postgres://user:****@host/db`; anything unparsable is hidden whole. */
export function maskDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '****';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(key)) parsed.searchParams.set(key, '****');
    }
    return parsed.toString();
  } catch {
    return '(a database URL that could not be parsed; not shown)';
  }
}

/** Every password in `url`, raw and decoded, to scrub from error messages. */
export function urlSecrets(url: string): string[] {
  try {
    const parsed = new URL(url);
    const secrets = [parsed.password, decodeURIComponent(parsed.password)];
    for (const [key, value] of parsed.searchParams) if (/pass|secret|token|key/i.test(key)) secrets.push(value);
    return [...new Set(secrets.filter((s) => s !== ''))];
  } catch {
    return [];
  }
}

/** Where the embedded database of `dataDir` lives. */
export function pgliteDir(dataDir: string): string {
  return resolve(join(dataDir, 'metrics-db'));
}

/** Opens the metrics database; close it with `db.close()`. */
export async function openMetricsDb(config: MetricsDbConfig): Promise<MetricsDb> {
  const settings = metricsDbSettings(config);
  if (config.databaseUrl !== undefined && config.databaseUrl !== '') {
    const url = config.databaseUrl;
    return postgresMetricsDb({ pool: openPostgresPool(url), settings, target: maskDatabaseUrl(url), secrets: urlSecrets(url) });
  }
  const dir = pgliteDir(config.dataDir);
  return pgliteMetricsDb({ pglite: await openPglite(dir), settings, target: `pglite:${dir}` });
}
