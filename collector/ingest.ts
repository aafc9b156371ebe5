// The collector's endpoints without an HTTP framework: headers and a body reader in, a status and a JSON answer out
// (the Hono app and the plain node:http fast path both answer with it). Per request: content type and encoding, a
// header's write key, body size (inflated too), the body's write key, batch size, each message, then the write.
import { bodyEncoding, inflateBody } from './body-encoding.js';
import { checkEvents, type PrepareEvent } from './check-event.js';
import type { BatchWriter } from './batch-writer.js';
import { EventsRefusedError, StoreUnavailableError } from './errors.js';
import { parseInstant } from './event-time.js';
import type { LimitName, ResolvedOptions } from './options.js';
import { payloadOf, type Endpoint, type Payload } from './payload.js';
import type { BodyBytes } from './read-body.js';
import { fromSegment, messageType } from './segment-message.js';
import { keyFromHeaders, keyRing, type KeyRing } from './write-keys.js';

export type { Endpoint } from './payload.js';

export interface IngestRequest {
  readonly contentType: string | undefined;
  readonly contentEncoding?: string | undefined;
  readonly authorization: string | undefined;
  readonly xWriteKey: string | undefined;
  /** The body's bytes as sent (compressed or not), unless they are over `maxBytes`. */
  readBody(maxBytes: number): Promise<BodyBytes>;
}

export interface IngestAnswer {
  readonly status: 200 | 400 | 401 | 413 | 415 | 503;
  /** Sent as JSON. */
  readonly body: unknown;
  /** Seconds to wait before retrying (the Retry-After header of a 503). */
  readonly retryAfter?: string;
}

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

/** JSON, as most clients and sendBeacon (text/plain) label it. */
const JSON_OR_TEXT = /^\s*(application\/json|text\/plain)\s*(;|$)/i;
/** A compressed body labelled a form (rudder-sdk-node's gzip, through axios): JSON too; an uncompressed form is not. */
const FORM = /^\s*application\/x-www-form-urlencoded\s*(;|$)/i;
/** As @hono/node-server decodes a body: UTF-8, a BOM dropped, bad bytes replaced. */
const decoder = new TextDecoder();

const answer = (status: IngestAnswer['status'], body: unknown): IngestAnswer => ({ status, body });
const isAnswer = (value: unknown): value is IngestAnswer => typeof value === 'object' && value !== null && 'status' in value;

function tooLarge(limit: LimitName, max: number, what: string): IngestAnswer {
  return answer(413, { error: `${what}, over the limit of ${max} (collector.limits.${limit})`, limit, max });
}

interface BodyText {
  readonly text: string;
  /** Its bytes (decompressed). */
  readonly bytes: number;
}

const decoded = (bytes: Uint8Array): BodyText => ({ text: decoder.decode(bytes), bytes: bytes.byteLength });

/** The body as text: read within the limit, inflated within it when compressed. */
async function bodyText(request: IngestRequest, maxBytes: number): Promise<BodyText | IngestAnswer> {
  const encoding = bodyEncoding(request.contentEncoding);
  if (encoding === undefined) return answer(415, { error: `content encoding ${JSON.stringify(request.contentEncoding)}: send gzip, deflate or none` });
  const read = await request.readBody(maxBytes);
  if (!read.ok) return tooLarge('bodyBytes', maxBytes, 'the body is too large');
  if (encoding === 'identity') return decoded(read.bytes);
  const inflated = await inflateBody(read.bytes, encoding, maxBytes);
  if (inflated.ok) return decoded(inflated.bytes);
  return inflated.problem === 'tooLarge' ? tooLarge('bodyBytes', maxBytes, 'the body is too large once decompressed') : answer(400, { error: `the body is not valid ${encoding} data` });
}

function parsePayload(text: string, endpoint: Endpoint): Payload | IngestAnswer {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    // Not the parser's message: it may quote the body, write key included.
    const at = /position \d+/.exec(error instanceof Error ? error.message : '')?.[0];
    return answer(400, { error: `the body is not valid JSON${at === undefined ? '' : ` (at ${at})`}` });
  }
  const parsed = payloadOf(endpoint)(body);
  return parsed.ok ? parsed.payload : answer(400, { error: parsed.error });
}

/** The name of the request's write key: the header's (checked already) or else the body's. */
function keyName(ring: KeyRing, headerKeyName: string | undefined, payload: Payload): string | IngestAnswer {
  if (headerKeyName !== undefined) return headerKeyName;
  const candidate = typeof payload.writeKey === 'string' && payload.writeKey !== '' ? payload.writeKey : undefined;
  if (candidate === undefined) return answer(401, { error: 'missing write key: send Authorization: Basic base64(key:), an X-Write-Key header, or "writeKey" in the body' });
  return ring.nameOf(candidate) ?? answer(401, { error: 'unknown write key' });
}

/** Segment messages (with a `type`, or sent to /v1/page...) into our shape; the messageIds it makes go to `generated`. */
function preparer(endpoint: Endpoint, payload: Payload, body: BodyText, options: ResolvedOptions, generated: Array<{ index: number; messageId: string }>): PrepareEvent {
  const endpointType = endpoint === 'batch' || endpoint === 'track' ? undefined : endpoint;
  const { messageBytes } = options.limits;
  // A message is part of the body: within a body of messageBytes, none needs measuring (a JSON.stringify each).
  const settings = { pageEvent: options.pageEvent, screenEvent: options.screenEvent, messageBytes, measure: body.bytes > messageBytes };
  return (raw, index) => {
    const type = messageType(raw, endpointType);
    if (type === undefined) return { ok: true, event: raw };
    const prepared = fromSegment(raw, type, payload, settings);
    if (prepared.ok && prepared.generatedId !== undefined) generated.push({ index, messageId: prepared.generatedId });
    return prepared;
  };
}

export function createIngest(deps: IngestDeps): Ingest {
  const { options, writer } = deps;
  const { limits } = options;
  const ring = keyRing(options.writeKeys);
  const now = deps.now ?? Date.now;
  const retryAfter = String(deps.retryAfterSeconds ?? 2);

  const store = async (rows: Parameters<BatchWriter['write']>[0]): Promise<IngestAnswer | undefined> => {
    try {
      await writer.write(rows);
      return undefined;
    } catch (error) {
      if (error instanceof StoreUnavailableError) {
        deps.onUnavailable?.(error);
        return { status: 503, body: { error: 'events not stored: the database is unavailable or too slow; retry later (same messageIds)' }, retryAfter };
      }
      if (error instanceof EventsRefusedError) return answer(400, { error: error.message });
      throw error;
    }
  };

  return async (endpoint, request) => {
    const single = endpoint !== 'batch';
    const type = request.contentType;
    const compressed = request.contentEncoding !== undefined && bodyEncoding(request.contentEncoding) !== 'identity';
    if (type !== undefined && !JSON_OR_TEXT.test(type) && !(compressed && FORM.test(type))) return answer(415, { error: `content type ${JSON.stringify(type)}: send application/json or text/plain` });
    const headerKey = keyFromHeaders(request.authorization, request.xWriteKey);
    const headerKeyName = headerKey === undefined ? undefined : ring.nameOf(headerKey);
    if (headerKey !== undefined && headerKeyName === undefined) return answer(401, { error: 'unknown write key' });
    const body = await bodyText(request, limits.bodyBytes);
    if (isAnswer(body)) return body;
    const payload = parsePayload(body.text, endpoint);
    if (isAnswer(payload)) return payload;
    const writeKey = keyName(ring, headerKeyName, payload);
    if (isAnswer(writeKey)) return writeKey;
    if (payload.events.length > limits.batchEvents) return tooLarge('batchEvents', limits.batchEvents, `a batch of ${payload.events.length} events`);
    let sentAt: number | undefined;
    if (payload.sentAt !== undefined && payload.sentAt !== null) {
      sentAt = parseInstant(payload.sentAt);
      if (sentAt === undefined) return answer(400, { error: 'sentAt: not an ISO 8601 instant with a zone (e.g. 2026-12-01T10:00:00.000Z) or epoch milliseconds' });
    }
    const receivedAt = now();
    const context = { receivedAt, receivedAtIso: new Date(receivedAt).toISOString(), maxFutureMs: options.maxFutureMs, maxPastMs: options.maxPastMs, propertyBytes: limits.propertyBytes, messageBytes: limits.messageBytes, writeKey, ...(sentAt === undefined ? {} : { sentAt }) };
    const generated: Array<{ index: number; messageId: string }> = [];
    const { rows, rejected, overLimit } = checkEvents(payload.events, context, single, preparer(endpoint, payload, body, options, generated));
    if (overLimit !== undefined) return answer(413, { error: overLimit.reason, limit: overLimit.limit, max: overLimit.max });
    if (rows.length === 0) {
      if (rejected.length === 0) return answer(200, { accepted: 0, rejected });
      return answer(400, { error: single ? rejected[0]!.reason : 'no event of the batch is valid', accepted: 0, rejected });
    }
    const failed = await store(rows);
    if (failed !== undefined) return failed;
    const refused = new Set(rejected.map((r) => r.index));
    const made = generated.filter((g) => !refused.has(g.index));
    return answer(200, made.length === 0 ? { accepted: rows.length, rejected } : { accepted: rows.length, rejected, generated: made });
  };
}
