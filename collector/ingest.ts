// POST /v1/batch and /v1/track without an HTTP framework: headers and a body reader in, a status and a JSON answer
// out (the Hono app and the plain node:http fast path both answer with it). Per request: content type, a header's
// write key, body size, the body's write key, batch size, each event, then the write (answered once committed).
import { checkEvents } from './check-event.js';
import type { BatchWriter } from './batch-writer.js';
import { EventsRefusedError, StoreUnavailableError } from './errors.js';
import { parseInstant } from './event-time.js';
import type { LimitName, ResolvedOptions } from './options.js';
import { batchPayload, trackPayload, type Parsed, type Payload } from './payload.js';
import type { BodyText } from './read-body.js';
import { keyFromHeaders, keyRing } from './write-keys.js';

export interface IngestRequest {
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
  readonly xWriteKey: string | undefined;
  /** The body as text, unless it is over `maxBytes`. */
  readBody(maxBytes: number): Promise<BodyText>;
}

export interface IngestAnswer {
  readonly status: 200 | 400 | 401 | 413 | 415 | 503;
  /** Sent as JSON. */
  readonly body: unknown;
  /** Seconds to wait before retrying (the Retry-After header of a 503). */
  readonly retryAfter?: string;
}

export type Endpoint = 'batch' | 'track';

/** Answers one request to an endpoint; throws only on an unexpected error (a 500). */
export type Ingest = (endpoint: Endpoint, request: IngestRequest) => Promise<IngestAnswer>;

export interface IngestDeps {
  readonly options: ResolvedOptions;
  readonly writer: Pick<BatchWriter, 'write'>;
  readonly now?: () => number;
  /** Seconds a client is told to wait after a 503 (default 2). */
  readonly retryAfterSeconds?: number;
  /** Told when a write fails because the database is unavailable (the error is masked already). */
  readonly onUnavailable?: (error: Error) => void;
}

const JSON_OR_TEXT = /^\s*(application\/json|text\/plain)\s*(;|$)/i;
const PARSERS: Readonly<Record<Endpoint, (body: unknown) => Parsed>> = { batch: batchPayload, track: trackPayload };

const answer = (status: IngestAnswer['status'], body: unknown): IngestAnswer => ({ status, body });

function tooLarge(limit: LimitName, max: number, what: string): IngestAnswer {
  return answer(413, { error: `${what}, over the limit of ${max} (collector.limits.${limit})`, limit, max });
}

export function createIngest(deps: IngestDeps): Ingest {
  const { options, writer } = deps;
  const { limits } = options;
  const ring = keyRing(options.writeKeys);
  const now = deps.now ?? Date.now;
  const retryAfter = String(deps.retryAfterSeconds ?? 2);

  return async (endpoint, request) => {
    const single = endpoint === 'track';
    const type = request.contentType;
    if (type !== undefined && !JSON_OR_TEXT.test(type)) return answer(415, { error: `content type ${JSON.stringify(type)}: send application/json or text/plain` });
    const headerKey = keyFromHeaders(request.authorization, request.xWriteKey);
    const headerKeyName = headerKey === undefined ? undefined : ring.nameOf(headerKey);
    if (headerKey !== undefined && headerKeyName === undefined) return answer(401, { error: 'unknown write key' });
    const read = await request.readBody(limits.bodyBytes);
    if (!read.ok) return tooLarge('bodyBytes', limits.bodyBytes, 'the body is too large');
    let body: unknown;
    try {
      body = JSON.parse(read.text);
    } catch (error) {
      // Not the parser's message: it may quote the body, write key included.
      const at = /position \d+/.exec(error instanceof Error ? error.message : '')?.[0];
      return answer(400, { error: `the body is not valid JSON${at === undefined ? '' : ` (at ${at})`}` });
    }
    const parsed = PARSERS[endpoint](body);
    if (!parsed.ok) return answer(400, { error: parsed.error });
    const payload: Payload = parsed.payload;
    let writeKey = headerKeyName;
    if (headerKey === undefined) {
      const candidate = typeof payload.writeKey === 'string' && payload.writeKey !== '' ? payload.writeKey : undefined;
      if (candidate === undefined) {
        return answer(401, { error: 'missing write key: send Authorization: Basic base64(key:), an X-Write-Key header, or "writeKey" in the body' });
      }
      writeKey = ring.nameOf(candidate);
    }
    if (writeKey === undefined) return answer(401, { error: 'unknown write key' });
    if (payload.events.length > limits.batchEvents) return tooLarge('batchEvents', limits.batchEvents, `a batch of ${payload.events.length} events`);
    let sentAt: number | undefined;
    if (payload.sentAt !== undefined && payload.sentAt !== null) {
      sentAt = parseInstant(payload.sentAt);
      if (sentAt === undefined) return answer(400, { error: 'sentAt: not an ISO 8601 instant with a zone (e.g. 2026-12-01T10:00:00.000Z) or epoch milliseconds' });
    }
    const receivedAt = now();
    const context = { receivedAt, receivedAtIso: new Date(receivedAt).toISOString(), maxFutureMs: options.maxFutureMs, maxPastMs: options.maxPastMs, propertyBytes: limits.propertyBytes, writeKey, ...(sentAt === undefined ? {} : { sentAt }) };
    const { rows, rejected, overLimit } = checkEvents(payload.events, context, single);
    if (overLimit !== undefined) return answer(413, { error: overLimit.reason, limit: overLimit.limit, max: overLimit.max });
    if (rows.length === 0) {
      if (rejected.length === 0) return answer(200, { accepted: 0, rejected });
      return answer(400, { error: single ? rejected[0]!.reason : 'no event of the batch is valid', accepted: 0, rejected });
    }
    try {
      await writer.write(rows);
    } catch (error) {
      if (error instanceof StoreUnavailableError) {
        deps.onUnavailable?.(error);
        return { status: 503, body: { error: 'events not stored: the database is unavailable or too slow; retry later (same messageIds)' }, retryAfter };
      }
      if (error instanceof EventsRefusedError) return answer(400, { error: error.message });
      throw error;
    }
    return answer(200, { accepted: rows.length, rejected });
  };
}
