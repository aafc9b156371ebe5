// The shapes a request body may take and the endpoints that read them: /v1/batch (and analytics.js's /v1/b) an array
// of messages or { writeKey?, sentAt?, context?, integrations?, batch: [...] }; /v1/track, /page, /screen, /identify,
// /group, /alias (and /t, /p, /s, /i, /g, /a) one message, which may carry writeKey and sentAt itself.

/** The Segment message types the collector reads. */
export type MessageType = 'track' | 'page' | 'screen' | 'identify' | 'group' | 'alias';
export const MESSAGE_TYPES: ReadonlySet<unknown> = new Set<MessageType>(['track', 'page', 'screen', 'identify', 'group', 'alias']);
export type Endpoint = 'batch' | MessageType;

/** POST paths of the endpoints: Segment's HTTP API and analytics.js's short forms. */
export const ENDPOINT_PATHS: Readonly<Record<string, Endpoint>> = Object.freeze({
  '/v1/batch': 'batch', '/v1/b': 'batch',
  '/v1/track': 'track', '/v1/t': 'track',
  '/v1/page': 'page', '/v1/p': 'page',
  '/v1/screen': 'screen', '/v1/s': 'screen',
  '/v1/identify': 'identify', '/v1/i': 'identify',
  '/v1/group': 'group', '/v1/g': 'group',
  '/v1/alias': 'alias', '/v1/a': 'alias',
});

export interface Payload {
  readonly events: readonly unknown[];
  readonly writeKey?: unknown;
  readonly sentAt?: unknown;
  /** The batch envelope's context, merged under each message's own. */
  readonly context?: unknown;
  /** The batch envelope's integrations, merged under each message's own. */
  readonly integrations?: unknown;
}

export type Parsed = { readonly ok: true; readonly payload: Payload } | { readonly ok: false; readonly error: string };

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

export function batchPayload(body: unknown): Parsed {
  if (Array.isArray(body)) return { ok: true, payload: { events: body } };
  if (isObject(body) && Array.isArray(body.batch)) {
    return { ok: true, payload: { events: body.batch, writeKey: body.writeKey, sentAt: body.sentAt, context: body.context, integrations: body.integrations } };
  }
  return { ok: false, error: 'the body must be a JSON array of events, or an object { "writeKey"?, "sentAt"?, "context"?, "integrations"?, "batch": [events] }' };
}

/** The body of a one-message endpoint (/v1/track, /v1/page...). */
export function singlePayload(body: unknown): Parsed {
  if (!isObject(body)) return { ok: false, error: 'the body must be one event, a JSON object (several: POST /v1/batch)' };
  if ('batch' in body) return { ok: false, error: 'a batch goes to POST /v1/batch' };
  const { writeKey, sentAt, ...event } = body;
  return { ok: true, payload: { events: [event], writeKey, sentAt } };
}

/** The parser of an endpoint's body. */
export const payloadOf = (endpoint: Endpoint): ((body: unknown) => Parsed) => (endpoint === 'batch' ? batchPayload : singlePayload);
