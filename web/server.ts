// The monitoring UI's HTTP server: Hono (a small router whose handlers are tested in-process with
// app.request) on @hono/node-server. Auth and CSRF first, then the JSON API, the event stream and the pages.
import { isIP } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { describeError, UsageError } from '../graph/errors.js';
import type { SelfMetrics } from '../monitoring/self-metrics.js';
import { runtimeSelfMetrics } from '../runtime/self-metrics.js';
import { queueOptionsFor } from '../runtime/queue.js';
import type { EtlRuntime } from '../runtime/runtime.js';
import { BadRequest, createMasker, registerApi } from './api.js';
import { authGuard, csrfGuard, isAuthenticated, registerLogin } from './auth.js';
import type { UiDeps } from './contract.js';
import { registerPages } from './pages/index.js';
import { registerDashboardsApi, publicPath } from './dashboards-api.js';
import { registerExplorerApi } from './explorer-api.js';
import { registerChecksApi } from './checks-api.js';
import { prefersHtml } from './prefers-html.js';
import { dashboardsSettings } from './pages/dashboard-source.js';
import { registerPartitionApi } from './partitions-api.js';
import { EventHub, type HubOptions } from './stream.js';
import { listen } from '../net/listen.js';

export const DEFAULT_UI_HOST = '127.0.0.1';
export const DEFAULT_UI_PORT = 8080;

export interface UiApp {
  readonly app: Hono;
  /** The SSE hub (one poller for every stream of this app). */
  readonly hub: EventHub;
}

/** The app and its event hub (startUi closes the hub's streams when it stops). */
export function buildUi(deps: UiDeps, options: HubOptions = {}): UiApp {
  const token = deps.token === '' ? undefined : deps.token;
  const mask = createMasker(deps);
  const hub = new EventHub(deps, mask, options);
  const app = new Hono();
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      xFrameOptions: 'DENY',
      referrerPolicy: 'same-origin',
    }),
  );
  // A scraper without the token gets 401, not the pages' redirect to the login form.
  // A browser asking for HTML gets the metric explorer (pages/explorer.ts), behind the pages' login instead.
  app.use('/metrics', async (c, next) => (token === undefined || prefersHtml(c.req.header('accept')) || isAuthenticated(c, token) ? next() : c.text('unauthorized: send Authorization: Bearer <ETL_UI_TOKEN>', 401)));
  app.use('*', authGuard(token, publicPath(dashboardsSettings(deps).public)));
  app.use('*', csrfGuard());
  registerLogin(app, token);
  app.get('/api/events', (c) => hub.handle(c));
  // Prometheus self-metrics (scheduler/self-metrics.ts); behind the same auth as every route.
  let metrics: SelfMetrics | undefined;
  app.get('/metrics', async (c, next) => {
    if (prefersHtml(c.req.header('accept'))) return next();
    metrics ??= uiSelfMetrics(deps);
    return c.body(await metrics.render(), 200, { 'content-type': metrics.contentType });
  });
  registerApi(app, deps, mask);
  registerPartitionApi(app, deps, mask);
  registerDashboardsApi(app, deps, mask);
  registerExplorerApi(app, deps, mask);
  registerChecksApi(app, deps, mask);
  registerPages(app, { ...deps, ...(token === undefined ? {} : { token }) });
  app.notFound((c) => (c.req.path.startsWith('/api/') ? c.json({ error: `no such API: ${c.req.method} ${mask(c.req.path)}` }, 404) : c.text('not found', 404)));
  app.onError((error, c) => {
    const status = error instanceof BadRequest ? 400 : 500;
    const message = mask(error instanceof BadRequest ? error.message : describeError(error));
    return c.req.path.startsWith('/api/') ? c.json({ error: message }, status) : c.text(message, status);
  });
  return { app, hub };
}

/** The UI's self-metrics: the run store, the partitions, and the queue's counts in BullMQ mode. */
function uiSelfMetrics(deps: UiDeps): SelfMetrics {
  return runtimeSelfMetrics(deps.runtime, deps.now === undefined ? {} : { now: deps.now });
}

export function createApp(deps: UiDeps): Hono {
  return buildUi(deps).app;
}

/** 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (bare.startsWith('::ffff:')) return isIP(bare.slice(7)) === 4 && bare.slice(7).startsWith('127.');
  return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
}

export interface StartUiOptions {
  readonly deps: UiDeps;
  readonly host?: string;
  /** 0: any free port (the URL says which). */
  readonly port?: number;
  readonly hub?: HubOptions;
}

export interface RunningUi {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Throws a UsageError (exit 2) for a non-loopback address without a token: call it before anything starts. */
export function checkBind(host: string, token: string | undefined): void {
  if (isLoopback(host) || (token !== undefined && token !== '')) return;
  throw new UsageError(
    `web UI: refusing to listen on ${host} without a token: anyone who can reach that address could see every run and trigger or cancel jobs. ` +
      'Set ETL_UI_TOKEN (every request must then carry it), or bind 127.0.0.1 (the default).',
  );
}

/** Serves the UI; refuses a non-loopback address without a token (UsageError: exit 2). */
export async function startUi(options: StartUiOptions): Promise<RunningUi> {
  const host = options.host ?? DEFAULT_UI_HOST;
  const port = options.port ?? DEFAULT_UI_PORT;
  checkBind(host, options.deps.token);
  const { app, hub } = buildUi(options.deps, options.hub);
  const server = createAdaptorServer({ fetch: app.fetch, hostname: host.replace(/^\[(.*)\]$/, '$1') }) as Server;
  const { port: bound, url } = await listen(server, { host, port, what: 'web UI', portHint: 'pass another with --port', hostHint: '--host' }).catch((error: unknown) => {
    hub.close();
    throw error;
  });
  return {
    url,
    port: bound,
    async close() {
      hub.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        setImmediate(() => (server as { closeIdleConnections?: () => void }).closeIdleConnections?.());
        setTimeout(() => (server as { closeAllConnections?: () => void }).closeAllConnections?.(), 1_000).unref();
      });
    },
  };
}

/** The UI's runHere for a process that runs no scheduler (runtime/execute.ts, where every run is wired). */
export { runHereFor as createRunHere } from '../runtime/execute.js';
