// Configuration turned into what runs need, once per process: the job registry, the service providers, the
// metrics database (one handle: an embedded database can be open once) and the run storage. Shared by every
// command, the embedded scheduler and the workers; each part is loaded when first asked for.
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadedConfig } from '../config/index.js';
import type { ServiceProviders } from '../graph/services.js';
import type { JobRegistry } from '../jobs/registry.js';
import type { WiredReaders } from './readers.js';
import type { RunStorage } from '../runs/run-storage.js';
import type { MetricsDb } from '../writers/metrics-db.js';

export interface EtlRuntime {
  readonly config: LoadedConfig;
  /** The configured readers, built-in and users' (modules loaded, options checked), once. */
  readonly readers: () => Promise<WiredReaders>;
  /** Built-in, configured and user jobs. */
  readonly registry: () => Promise<JobRegistry>;
  /** Providers for the services jobs declare (the metrics database is borrowed from this runtime). */
  readonly services: () => Promise<ServiceProviders>;
  /** The metrics database, borrowed: its close() does nothing (close() of the runtime closes it). */
  readonly metricsDb: () => Promise<MetricsDb>;
  /**
   * The runs, the paused jobs and the embedded scheduler's presence, in the metrics database: one object
   * whose members callers take as they need them; opening it closes the records of runs whose process is gone.
   */
  readonly runStorage: () => Promise<RunStorage>;
  /** Tells the user of something that went wrong on the side, the command going on (stderr, or the log). */
  readonly warn?: (message: string) => void;
  /** Closes the metrics database (within a bound: a connection stuck on a hung server must not hold the process). */
  readonly close: () => Promise<void>;
}

export interface RuntimeHooks {
  readonly warn?: (message: string) => void;
  /** What is happening while something takes time (creating a database, waiting for a lock). */
  readonly notice?: (message: string) => void;
  /** Serve the embedded metrics database to other processes while this one has it open (`etl scheduler`). */
  readonly shareEmbedded?: boolean;
}

function once<T>(create: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: create() }).value;
}

export function createRuntime(config: LoadedConfig, hooks: RuntimeHooks = {}): EtlRuntime {
  const warn = hooks.warn ?? (() => undefined);
  const notice = hooks.notice ?? (() => undefined);
  let opened: Promise<MetricsDb> | undefined;
  const metricsDb = async (): Promise<MetricsDb> => {
    opened ??= import('../writers/open-metrics-db.js').then(({ openMetricsDb }) => openMetricsDb(config.database, { onNotice: notice, share: hooks.shareEmbedded === true }));
    return { ...(await opened), close: async () => undefined };
  };
  const runStorage = once(async (): Promise<RunStorage> => {
    const { sqlRunStorage } = await import('../runs/sql-run-storage.js');
    const storage = sqlRunStorage(await metricsDb());
    const closed = await storage.runs.closeOrphans();
    if (closed.length > 0) warn(`closed ${closed.length} run${closed.length === 1 ? '' : 's'} left unfinished by a process that is gone (run ${closed.join(', ')}: failed, "process exited")`);
    return storage;
  });
  const readers = once(async (): Promise<WiredReaders> => (await import('./readers.js')).wireReaders(config, warn));
  const services = once(async (): Promise<ServiceProviders> => {
    const [{ collectorSourceProvider, sourceProviders }, { METRICS_DB_SERVICE }] = await Promise.all([
      import('./sources.js'),
      import('../writers/metrics-db.js'),
    ]);
    const { file, dataDir } = config;
    // The collector's raw table lives in the metrics database (migration 4): migrated before it is read.
    const migratedMetricsDb = async (): Promise<MetricsDb> => {
      const db = await metricsDb();
      await (await import('../writers/migrate.js')).ensureMigrated(db);
      return db;
    };
    return { ...collectorSourceProvider(file, migratedMetricsDb), ...sourceProviders(file, dataDir, notice, config.database.templateCacheDir), ...Object.assign({}, ...(await readers()).enabled.map((r) => r.providers)), [METRICS_DB_SERVICE]: { create: metricsDb } };
  });
  return {
    config,
    readers,
    registry: once(async () => (await import('./registry.js')).buildRegistry(config, await readers())),
    services,
    metricsDb,
    runStorage,
    warn,
    async close() {
      const db = await opened?.catch(() => undefined);
      await Promise.race([db?.close().catch(() => undefined), sleep(5_000, undefined, { ref: false })]);
    },
  };
}
