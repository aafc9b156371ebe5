// The collector's HTTP app (Hono, tested in-process with app.request): POST /v1/batch and /v1/track, GET /tracker.js,
// /healthz and the optional page at /. Per request: origin, content type, a header's write key, body size, the
// body's write key, batch size, each event, then the write (answered once committed).
import { Hono, type Context } from 'hono';
import { checkEvents } from './check-event.js';
import type { BatchWriter } from './batch-writer.js';
import { EventsRefusedError, StoreUnavailableError } from './errors.js';
import type { EventStore } from './event-store.js';
import { parseInstant } from './event-time.js';
import type { LimitName, ResolvedOptions } from './options.js';
import { corsGuard } from './origins.js';
import { batchPayload, trackPayload, type Payload } from './payload.js';
import { readBody } from './read-body.js';
import { keyFromHeaders, keyRing } from './write-keys.js';

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
}

const JSON_OR_TEXT = /^\s*(application\/json|text\/plain)\s*(;|$)/i;

function tooLarge(c: Context, limit: LimitName, max: number, what: string): Response {
  return c.json({ error: `${what}, over the limit of ${max} (collector.limits.${limit})`, limit, max }, 413);
}

export function createCollectorApp(deps: CollectorAppDeps): Hono {
  const { options, writer } = deps;
  const { limits } = options;
  const ring = keyRing(options.writeKeys);
  const now = deps.now ?? Date.now;
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

  const collect = (parse: (body: unknown) => ReturnType<typeof batchPayload>, single: boolean) => async (c: Context): Promise<Response> => {
    const type = c.req.header('content-type');
    if (type !== undefined && !JSON_OR_TEXT.test(type)) return c.json({ error: `content type ${JSON.stringify(type)}: send application/json or text/plain` }, 415);
    const headerKey = keyFromHeaders(c.req.header('authorization'), c.req.header('x-write-key'));
    if (headerKey !== undefined && ring.nameOf(headerKey) === undefined) return c.json({ error: 'unknown write key' }, 401);
    const read = await readBody(c.req.raw, limits.bodyBytes);
    if (!read.ok) return tooLarge(c, 'bodyBytes', limits.bodyBytes, 'the body is too large');
    let body: unknown;
    try {
      body = JSON.parse(read.text);
    } catch (error) {
      // Not the parser's message: it may quote the body, write key included.
      const at = /position \d+/.exec(error instanceof Error ? error.message : '')?.[0];
      return c.json({ error: `the body is not valid JSON${at === undefined ? '' : ` (at ${at})`}` }, 400);
    }
    const parsed = parse(body);
    if (!parsed.ok) return c.json({ error: parsed.error }, 400);
    const payload: Payload = parsed.payload;
    const candidate = headerKey ?? (typeof payload.writeKey === 'string' && payload.writeKey !== '' ? payload.writeKey : undefined);
    if (candidate === undefined) {
      return c.json({ error: 'missing write key: send Authorization: Basic base64(key:), an X-Write-Key header, or "writeKey" in the body' }, 401);
    }
    const writeKey = ring.nameOf(candidate);
    if (writeKey === undefined) return c.json({ error: 'unknown write key' }, 401);
    if (payload.events.length > limits.batchEvents) return tooLarge(c, 'batchEvents', limits.batchEvents, `a batch of ${payload.events.length} events`);
    let sentAt: number | undefined;
    if (payload.sentAt !== undefined && payload.sentAt !== null) {
      sentAt = parseInstant(payload.sentAt);
      if (sentAt === undefined) return c.json({ error: 'sentAt: not an ISO 8601 instant with a zone (e.g. 2026-12-01T10:00:00.000Z) or epoch milliseconds' }, 400);
    }
    const receivedAt = now();
    const context = { receivedAt, receivedAtIso: new Date(receivedAt).toISOString(), maxFutureMs: options.maxFutureMs, propertyBytes: limits.propertyBytes, writeKey, ...(sentAt === undefined ? {} : { sentAt }) };
    const { rows, rejected, overLimit } = checkEvents(payload.events, context, single);
    if (overLimit !== undefined) return c.json({ error: overLimit.reason, limit: overLimit.limit, max: overLimit.max }, 413);
    if (rows.length === 0) {
      if (rejected.length === 0) return c.json({ accepted: 0, rejected });
      return c.json({ error: single ? rejected[0]!.reason : 'no event of the batch is valid', accepted: 0, rejected }, 400);
    }
    try {
      await writer.write(rows);
    } catch (error) {
      if (error instanceof StoreUnavailableError) {
        deps.onUnavailable?.(error);
        c.header('Retry-After', retryAfter);
        return c.json({ error: 'events not stored: the database is unavailable or too slow; retry later (same messageIds)' }, 503);
      }
      if (error instanceof EventsRefusedError) return c.json({ error: error.message }, 400);
      throw error;
    }
    return c.json({ accepted: rows.length, rejected });
  };

  app.post('/v1/batch', collect(batchPayload, false));
  app.post('/v1/track', collect(trackPayload, true));
  app.notFound((c) => c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    deps.onError?.(error);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
