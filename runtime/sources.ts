// Service providers for the configured source databases: a pg Pool per URL, PGlite for the demo website
// (readers' own clients, Prometheus and GA, are made by their definitions).
import pg from 'pg';
import { sharedWhileInUse, type ServiceProvider } from '../graph/index.js';
import type { SqlClient } from '../readers/sql-client.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS, type FileConfig } from '../config/schema.js';

/**
 * One provider per configured source, under the source's name (the readers' service name). The demo website
 * is created from the PGlite template cached in `templateCacheDir` (the user's cache; default the data dir).
 */
export function sourceProviders(
  config: FileConfig,
  dataDir: string,
  onNotice: (message: string) => void = () => undefined,
  templateCacheDir: string = dataDir,
): Record<string, ServiceProvider<SqlClient>> {
  const providers: Record<string, ServiceProvider<SqlClient>> = {};
  for (const [name, source] of Object.entries(config.sources ?? {})) {
    if ('demo' in source) {
      // The demo is loaded only by a configuration that has a demo source (the quick start). PGlite's directory
      // can be open once per process: overlapping runs (a backfill's days) share one opened database.
      providers[name] = sharedWhileInUse<SqlClient>({
        create: async () => {
          const { demoWebsiteDir, openDemoWebsite } = await import('../examples/demo/index.js');
          return openDemoWebsite({ dir: source.dir ?? demoWebsiteDir(dataDir), templateCacheDir, onProgress: onNotice });
        },
        close: (db) => (db as unknown as { close(): Promise<void> }).close(),
      });
    } else {
      providers[name] = poolProvider(name, source);
    }
  }
  return providers;
}

/** A pg Pool per run on a source URL, with the source's timeouts. */
function poolProvider(name: string, source: { url: string; connectTimeout: number; statementTimeout: number }): ServiceProvider<SqlClient> {
  return {
    create: () => {
      const pool = new pg.Pool({
        connectionString: source.url,
        max: 4,
        application_name: `etl source ${name}`,
        connectionTimeoutMillis: source.connectTimeout,
        statement_timeout: source.statementTimeout,
        // Client side, a little after the server's own limit: a server that stopped answering altogether.
        query_timeout: source.statementTimeout + 5_000,
      });
      // An idle connection that dies (server restart) must not crash the process: the next query fails
      // with a ReaderError that names the reader.
      pool.on('error', () => undefined);
      return pool;
    },
    close: (pool) => (pool as pg.Pool).end(),
  };
}

/**
 * The collector's raw events table as a SQL source named collector.source ('collector'), so that
 * `"events": { "source": "collector", "table": "etl.events" }` reads it: its own database when
 * collector.database is set, else the metrics database through `metricsDb` (the runtime's one handle: the
 * embedded database can be open once). A source of that name in `sources` wins.
 */
export function collectorSourceProvider(config: FileConfig, metricsDb: () => Promise<SqlClient>): Record<string, ServiceProvider<SqlClient>> {
  const collector = config.collector;
  if (collector === undefined || config.sources?.[collector.source] !== undefined) return {};
  const own = collector.database;
  if (own === undefined) return { [collector.source]: { create: metricsDb } };
  return {
    [collector.source]: poolProvider(collector.source, {
      url: own.url,
      connectTimeout: own.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_MS,
      statementTimeout: DEFAULT_STATEMENT_TIMEOUT_MS,
    }),
  };
}
