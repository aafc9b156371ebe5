// A tiny HTTP server with GET /metrics only (node:http), for processes without the web UI (`etl worker`, and
// `etl scheduler` with --no-ui or in BullMQ mode): started when ETL_METRICS_PORT is set in the environment.
// ETL_METRICS_HOST picks the address (default 127.0.0.1); with ETL_UI_TOKEN set, a scrape must carry it
// (`Authorization: Bearer <token>`, Prometheus' `authorization: { credentials: ... }`), as on the UI.
import { createServer, type Server } from 'node:http';
import type { LoadedConfig } from '../config/index.js';
import { UsageError } from '../graph/errors.js';
import { listen } from '../net/listen.js';
import { runtimeSelfMetrics } from '../runtime/self-metrics.js';
import type { EtlRuntime } from '../runtime/runtime.js';
import type { SelfMetrics } from '../monitoring/self-metrics.js';
import { sameSecret } from '../web/auth.js';

export const DEFAULT_METRICS_HOST = '127.0.0.1';

export interface MetricsServerOptions {
  readonly metrics: Pick<SelfMetrics, 'render' | 'contentType'>;
  readonly host?: string;
  /** 0: any free port (the URL says which). */
  readonly port: number;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Told when a scrape fails (it answers 500). */
  readonly onError?: (error: unknown) => void;
}

export interface RunningMetricsServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves GET /metrics (HEAD too); 404 elsewhere, 405 for other methods, 401 without the token. */
export async function startMetricsServer(options: MetricsServerOptions): Promise<RunningMetricsServer> {
  const host = options.host ?? DEFAULT_METRICS_HOST;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    if (options.token !== undefined) {
      const match = /^Bearer\s+(.+)$/i.exec((req.headers.authorization ?? '').trim());
      if (match === null || !sameSecret(match[1]!, options.token)) return void res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized: send Authorization: Bearer <ETL_UI_TOKEN>\n');
    }
    options.metrics.render().then(
      (text) => res.writeHead(200, { 'content-type': options.metrics.contentType }).end(req.method === 'HEAD' ? undefined : text),
      (error: unknown) => {
        options.onError?.(error);
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics: the run store could not be read\n');
      },
    );
  });
  const { port, url } = await listen(server, { host, port: options.port, what: 'metrics server', portHint: 'set another ETL_METRICS_PORT', hostHint: 'ETL_METRICS_HOST' });
  return {
    url: `${url}/metrics`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 1_000).unref();
      }),
  };
}

/** ETL_METRICS_PORT as a port number; undefined when unset or empty; a UsageError (exit 2) when not a port. */
export function metricsPortFrom(env: LoadedConfig['env']): number | undefined {
  const raw = env.ETL_METRICS_PORT?.trim();
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65_535) throw new UsageError(`ETL_METRICS_PORT: '${raw}' is not a port number (0-65535)`);
  return port;
}

/** Starts the metrics server when ETL_METRICS_PORT is set (else undefined); logs where it listens. */
export async function maybeStartMetricsServer(runtime: EtlRuntime, log: { info(fields: object, message: string): void; warn(fields: object, message: string): void }): Promise<RunningMetricsServer | undefined> {
  const { env } = runtime.config;
  const port = metricsPortFrom(env);
  if (port === undefined) return undefined;
  const token = env.ETL_UI_TOKEN?.trim();
  const server = await startMetricsServer({
    metrics: runtimeSelfMetrics(runtime, {
      onQueueError: (error) => log.warn({}, `metrics: the queue could not be read: ${error instanceof Error ? error.message : String(error)}`),
      onCheckError: (error) => log.warn({}, `metrics: the check results could not be read: ${error instanceof Error ? error.message : String(error)}`),
    }),
    host: env.ETL_METRICS_HOST?.trim() || DEFAULT_METRICS_HOST,
    port,
    ...(token ? { token } : {}),
    onError: (error) => log.warn({}, `metrics: scrape failed: ${error instanceof Error ? error.message : String(error)}`),
  });
  log.info({ url: server.url }, 'Prometheus metrics served (ETL_METRICS_PORT)');
  return server;
}
