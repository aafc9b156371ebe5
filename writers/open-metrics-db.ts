// Opens the metrics database from configuration: PostgreSQL when a URL is given, else PGlite in the data dir.
import { join, resolve } from 'node:path';
import { maskUrl, urlSecrets } from '../secrets/mask.js';
import type { MetricsDb, MetricsDbSettings } from './metrics-db.js';
import { LockWaitStopped } from '../embedded/dir-lock.js';
import { openPglite } from '../embedded/open-pglite.js';
import { pgliteMetricsDb } from './pglite-metrics-db.js';
import { findSharedPglite } from '../embedded/pglite-share.js';
import { serveEmbedded, type ServedEmbedded, type ServeSettings } from './serve-embedded.js';
import { openSharedMetricsDb } from './shared-metrics-db.js';
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
  /** PostgreSQL: how long connecting may take, ms (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** PostgreSQL: how long one statement may take, ms (default 5 min). */
  readonly statementTimeoutMs?: number;
  /** Embedded: how long to wait for another process to let go of the database, ms (default 60 s). */
  readonly lockWaitMs?: number;
  /**
   * Embedded: where the empty database new ones are copied from is cached, shared by every data directory
   * of this user (config: $XDG_CACHE_HOME/etl-metrics); default, or when not writable: the data directory.
   */
  readonly templateCacheDir?: string | undefined;
  /**
   * Embedded, shared: the fixed port, host, user and password other clients (Grafana) use (metricsDatabase.serve);
   * without it a free loopback port, and a password generated on first share, kept in
   * `<dataDir>/metrics-db.password` (0600). The password is never logged.
   */
  readonly serve?: ServeSettings | undefined;
}

export interface OpenHooks {
  /** Told what is happening while opening takes time (waiting for a lock, creating the database). */
  readonly onNotice?: (message: string) => void;
  /** Embedded: serve the database to other processes while it is open (the embedded scheduler does). */
  readonly share?: boolean;
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

/** Where the embedded database of `dataDir` lives. */
export function pgliteDir(dataDir: string): string {
  return resolve(join(dataDir, 'metrics-db'));
}

/** Opens the metrics database; close it with `db.close()`. */
export async function openMetricsDb(config: MetricsDbConfig, hooks: OpenHooks = {}): Promise<MetricsDb> {
  const settings = metricsDbSettings(config);
  const timeouts = {
    ...(config.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: config.connectTimeoutMs }),
    ...(config.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: config.statementTimeoutMs }),
  };
  if (config.databaseUrl !== undefined && config.databaseUrl !== '') {
    const url = config.databaseUrl;
    const target = maskUrl(url);
    return postgresMetricsDb({ pool: openPostgresPool(url, timeouts), settings, target, secrets: urlSecrets(url), timeouts, readOnlyUrl: url });
  }
  const dir = pgliteDir(config.dataDir);
  // Another process (the embedded scheduler) has it open and shares it: go through it rather than wait for its
  // lock. One that has just locked it may not share it yet (it is opening it): while waiting, look again.
  const shared = findSharedPglite(dir);
  if (shared !== undefined) return openSharedMetricsDb(shared, settings, timeouts);
  let pglite: Awaited<ReturnType<typeof openPglite>>;
  try {
    pglite = await openPglite(dir, {
      what: 'embedded metrics database',
      ...(config.lockWaitMs === undefined ? {} : { waitMs: config.lockWaitMs }),
      ...(config.templateCacheDir === undefined ? {} : { templateCacheDir: config.templateCacheDir }),
      ...(hooks.onNotice ? { onWait: hooks.onNotice, onCreate: hooks.onNotice } : {}),
      stopWaiting: () => findSharedPglite(dir) !== undefined,
    });
  } catch (error) {
    if (!(error instanceof LockWaitStopped)) throw error;
    const sharedNow = findSharedPglite(dir);
    // Gone again between the look and now (its holder stopped): start over.
    return sharedNow === undefined ? openMetricsDb(config, hooks) : openSharedMetricsDb(sharedNow, settings, timeouts);
  }
  const db = pgliteMetricsDb({ pglite, settings, target: `pglite:${dir}` });
  if (!hooks.share) return db;
  // Served to the other processes (`etl runs`, `etl trigger`, the UI, Grafana) for as long as it is open.
  let served: ServedEmbedded;
  try {
    served = await serveEmbedded(pglite, dir, config.serve, hooks.onNotice);
  } catch (error) {
    await db.close(); // unlocked: the next command may open it
    throw error;
  }
  const { share, password } = served;
  return { ...db, secrets: password === undefined ? db.secrets : [...db.secrets, password], close: async () => {
    await share.close();
    await db.close();
  } };
}
