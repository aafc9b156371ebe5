// The collector's HTTP app (Hono, tested in-process with app.request): the POST endpoints (payload.ts), GET /tracker.js,
// /healthz and the optional page at /. The endpoints' checks and write are ingest.ts; CORS is origins.ts.
import { Hono, type Context } from 'hono';
import type { BatchWriter } from './batch-writer.js';
import { StoreUnavailableError } from './errors.js';
import type { EventStore } from './event-store.js';
import { createIngest, type Endpoint, type Ingest } from './ingest.js';
import { ENDPOINT_PATHS } from './payload.js';
import type { ResolvedOptions } from './options.js';
import { corsGuard } from './origins.js';
import { readBody } from './read-body.js';

export interface CollectorAppDeps {
  readonly options: ResolvedOptions;
  readonly writer: Pick<BatchWriter, 'write'>;
  readonly store: Pick<EventStore, 'ping'>;
  /** The tracker's JavaScript, served at /tracker.js. */
  readonly tracker: string;
  /** HTML served at / (the demo page), if any. */
  readonly page?: string;
  readonly now?: () => number;
  /** Seconds a client is told to wait after a 503 (default 2). */
  readonly retryAfterSeconds?: number;
  /** Told when a write fails because the database is unavailable (the error is masked already). */
  readonly onUnavailable?: (error: Error) => void;
  /** Told of an unexpected error (answered 500). */
  readonly onError?: (error: unknown) => void;
  /** The endpoints' logic, when it is shared with the fast path (default: one of the app's own). */
  readonly ingest?: Ingest;
}

export function createCollectorApp(deps: CollectorAppDeps): Hono {
  const { options } = deps;
  const retryAfter = String(deps.retryAfterSeconds ?? 2);
  const app = new Hono();

  app.use('*', async (c, next) => {
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
  });
  app.get('/healthz', async (c) => {
    try {
      await deps.store.ping();
      return c.json({ ok: true });
    } catch (error) {
      c.header('Retry-After', retryAfter);
      return c.json({ ok: false, error: error instanceof StoreUnavailableError ? 'the database is unavailable' : 'check failed' }, 503);
    }
  });
  app.get('/tracker.js', (c) => c.body(deps.tracker, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=300' }));
  if (deps.page !== undefined) {
    const page = deps.page;
    app.get('/', (c) => c.html(page));
  }

  app.use('/v1/*', corsGuard(options.allowedOrigins));

  const ingest = deps.ingest ?? createIngest(deps);
  const collect = (endpoint: Endpoint) => async (c: Context): Promise<Response> => {
    const answer = await ingest(endpoint, {
      contentType: c.req.header('content-type'),
      contentEncoding: c.req.header('content-encoding'),
      authorization: c.req.header('authorization'),
      xWriteKey: c.req.header('x-write-key'),
      readBody: (maxBytes) => readBody(c.req.raw, maxBytes),
    });
    if (answer.retryAfter !== undefined) c.header('Retry-After', answer.retryAfter);
    return c.json(answer.body, answer.status);
  };

  for (const [path, endpoint] of Object.entries(ENDPOINT_PATHS)) app.post(path, collect(endpoint));
  app.notFound((c) => c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    deps.onError?.(error);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
