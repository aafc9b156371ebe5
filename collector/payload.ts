// The shapes a request body may take: /v1/batch an array of events or { writeKey?, sentAt?, batch: [...] };
// /v1/track one event, which may carry writeKey and sentAt itself.

export interface Payload {
  readonly events: readonly unknown[];
  readonly writeKey?: unknown;
  readonly sentAt?: unknown;
}

export type Parsed = { readonly ok: true; readonly payload: Payload } | { readonly ok: false; readonly error: string };

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

export function batchPayload(body: unknown): Parsed {
  if (Array.isArray(body)) return { ok: true, payload: { events: body } };
  if (isObject(body) && Array.isArray(body.batch)) return { ok: true, payload: { events: body.batch, writeKey: body.writeKey, sentAt: body.sentAt } };
  return { ok: false, error: 'the body must be a JSON array of events, or an object { "writeKey"?, "sentAt"?, "batch": [events] }' };
}

export function trackPayload(body: unknown): Parsed {
  if (!isObject(body)) return { ok: false, error: 'the body must be one event, a JSON object (several: POST /v1/batch)' };
  if ('batch' in body) return { ok: false, error: 'a batch goes to POST /v1/batch' };
  const { writeKey, sentAt, ...event } = body;
  return { ok: true, payload: { events: [event], writeKey, sentAt } };
}
