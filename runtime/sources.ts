// Service providers for the configured source databases: a pg Pool per URL, PGlite for the demo website.
import pg from 'pg';
import { demoWebsiteDir, openDemoWebsite } from '../examples/demo/index.js';
import type { ServiceProvider } from '../graph/index.js';
import { createPrometheusClient, DEFAULT_PROMETHEUS_SERVICE, type PrometheusClient } from '../readers/prometheus.js';
import type { AnalyticsAuth } from '../readers/google-analytics-client.js';
import { DEFAULT_ANALYTICS_SERVICE, type AnalyticsDataClient } from '../readers/google-analytics.js';
import type { SqlClient } from '../readers/sql-client.js';
import type { FileConfig } from '../config/schema.js';

/** The Prometheus client, when the prometheus reader is configured. */
export function prometheusProvider(config: FileConfig): Record<string, ServiceProvider<PrometheusClient>> {
  const options = config.readers?.prometheus;
  if (options === undefined) return {};
  const { url, bearerToken, timeoutMs } = options;
  return {
    [DEFAULT_PROMETHEUS_SERVICE]: {
      create: () => createPrometheusClient({ url, ...(bearerToken ? { bearerToken } : {}), ...(timeoutMs ? { timeoutMs } : {}) }),
    },
  };
}

/**
 * The GA4 Data API client, when the google-analytics reader is configured: a service-account key file, or
 * a ready access token. googleapis takes about a second to load, so it is loaded only when a run needs it.
 */
export function analyticsProvider(config: FileConfig): Record<string, ServiceProvider<AnalyticsDataClient>> {
  const options = config.readers?.googleAnalytics;
  if (options === undefined) return {};
  const { keyFile, accessToken, rootUrl, timeout } = options;
  return {
    [DEFAULT_ANALYTICS_SERVICE]: {
      create: async () => {
        const { createAnalyticsClient } = await import('../readers/google-analytics-client.js');
        let auth: AnalyticsAuth | undefined;
        if (accessToken !== undefined) {
          const { google } = await import('googleapis');
          const oauth = new google.auth.OAuth2();
          oauth.setCredentials({ access_token: accessToken, expiry_date: Date.now() + 3_600_000 });
          auth = oauth;
        }
        return createAnalyticsClient({ ...(keyFile ? { keyFile } : {}), ...(auth ? { auth } : {}), ...(rootUrl ? { rootUrl } : {}), timeoutMs: timeout });
      },
    },
  };
}

/** One provider per configured source, under the source's name (the readers' service name). */
export function sourceProviders(config: FileConfig, dataDir: string, onNotice: (message: string) => void = () => undefined): Record<string, ServiceProvider<SqlClient>> {
  const providers: Record<string, ServiceProvider<SqlClient>> = {};
  for (const [name, source] of Object.entries(config.sources ?? {})) {
    if ('demo' in source) {
      providers[name] = {
        create: () => openDemoWebsite({ dir: source.dir ?? demoWebsiteDir(dataDir), templateCacheDir: dataDir, onProgress: onNotice }),
        close: (db) => (db as Awaited<ReturnType<typeof openDemoWebsite>>).close(),
      };
    } else {
      providers[name] = {
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
  }
  return providers;
}
