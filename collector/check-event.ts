// One event of a request checked and turned into a row, or rejected with a reason (the answer names its index).
import { clockSkew, isCanonicalInstant, parseInstant, roughDuration } from './event-time.js';
import type { EventRow } from './event-row.js';
import type { LimitName } from './options.js';
import { MESSAGE_TYPES, type MessageType } from './payload.js';

export const MAX_TEXT_LENGTH = 200;
/** Segment's limit on a messageId. */
export const MAX_MESSAGE_ID_LENGTH = 100;
/** Nesting of properties deeper than this is refused (PostgreSQL's jsonb input has a stack limit too). */
export const MAX_PROPERTY_DEPTH = 32;

export interface CheckContext {
  readonly receivedAt: number;
  /** receivedAt as ISO text (computed once per request). */
  readonly receivedAtIso?: string;
  /** The request's sentAt, when it gave one (ms). */
  readonly sentAt?: number;
  readonly maxFutureMs: number;
  /** Events dated further back than this (after the sentAt correction) are rejected. */
  readonly maxPastMs: number;
  readonly propertyBytes: number;
  /** Bytes of a Segment message's context, and of its integrations, as JSON (collector.limits.messageBytes). */
  readonly messageBytes: number;
  /** Name of the write key of the request. */
  readonly writeKey: string;
}

export type Checked =
  | { readonly ok: true; readonly row: EventRow }
  | { readonly ok: false; readonly reason: string; readonly limit?: LimitName; readonly max?: number };

/** NUL or any surrogate: only then is a string looked at closely. */
const SUSPECT = /[\0\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const refuse = (reason: string): Checked => ({ ok: false, reason });

/** Why a string cannot be stored as it is (PostgreSQL text and jsonb take neither NUL nor a lone surrogate). */
function textProblem(value: string): string | undefined {
  if (!SUSPECT.test(value)) return undefined; // the common case: one cheap scan
  if (value.includes('\0')) return 'contains a NUL character (\\u0000), which PostgreSQL cannot store';
  if (LONE_SURROGATE.test(value)) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

/** The common case, checked without allocating: a string text() takes as it is (it starts with visible ASCII, so is not blank). */
function plain(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_TEXT_LENGTH) return false;
  const first = value.charCodeAt(0);
  return first > 0x20 && first < 0x7f && !SUSPECT.test(value);
}

/** A required or optional text field: a string of 1 to 200 characters (numbers allowed for ids). */
function text(raw: Record<string, unknown>, field: string, required: boolean, numbers = false): { value: string | null } | { problem: string } {
  let value = raw[field];
  if (value === undefined || value === null) return required ? { problem: `${field}: required` } : { value: null };
  if (numbers && typeof value === 'number' && Number.isFinite(value)) value = String(value);
  if (typeof value !== 'string') return { problem: `${field}: must be a string${numbers ? ' or a number' : ''}` };
  if (value.trim() === '') return { problem: `${field}: must not be empty` };
  if (value.length > MAX_TEXT_LENGTH) return { problem: `${field}: longer than ${MAX_TEXT_LENGTH} characters` };
  const problem = textProblem(value);
  return problem === undefined ? { value } : { problem: `${field}: ${problem}` };
}

/**
 * Why an object (properties, context, integrations), as JSON text from JSON.stringify, cannot be stored as sent: one
 * pass over the text finds nesting deeper than the limit, NUL (written \u0000) and lone surrogates (written \udXXX:
 * pairs stay raw). The problem is prefixed with `name`; it never quotes the text.
 */
export function jsonProblem(json: string, name: string): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) {
        if (json.charCodeAt(i + 1) === 0x75) {
          const hex = json.slice(i + 2, i + 6).toLowerCase();
          if (hex === '0000') return `${name}: contain a NUL character (\\u0000), which PostgreSQL cannot store`;
          if (hex >= 'd800' && hex <= 'dfff') return `${name}: contain a lone UTF-16 surrogate (not valid Unicode)`;
          i += 5;
        } else i += 1;
      } else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_PROPERTY_DEPTH) return `${name}: nested deeper than ${MAX_PROPERTY_DEPTH} levels`;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return undefined;
}

/** A field's text (null when optional and absent), or the refusal naming its problem. */
function field(raw: Record<string, unknown>, name: string, required: true, numbers?: boolean): string | Checked;
function field(raw: Record<string, unknown>, name: string, required: boolean, numbers?: boolean): string | null | Checked;
function field(raw: Record<string, unknown>, name: string, required: boolean, numbers = false): string | null | Checked {
  const value = raw[name];
  if (plain(value)) return value;
  const checked = text(raw, name, required, numbers);
  return 'problem' in checked ? refuse(checked.problem) : checked.value;
}

/** An object without keys (Segment's SDKs send `integrations: {}`). */
function isEmpty(value: object): boolean {
  for (const _ in value) return false;
  return !Array.isArray(value);
}

/** Whether `value` (one level itself) nests objects or arrays more than `levels` deep; recurses `levels` times at most. */
function deeperThan(value: object, levels: number): boolean {
  if (levels === 0) return true;
  if (Array.isArray(value)) {
    for (const v of value as unknown[]) if (typeof v === 'object' && v !== null && deeperThan(v, levels - 1)) return true;
    return false;
  }
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'object' && v !== null && deeperThan(v, levels - 1)) return true;
  }
  return false;
}

/** JSON text of properties; undefined when they nest too deep for JSON.stringify's recursion. */
function stringified(properties: object): string | undefined {
  try {
    return JSON.stringify(properties);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

const isObject = (value: unknown): value is object => value !== null && typeof value === 'object' && !Array.isArray(value);

const LIMIT_KEYS: Readonly<Record<'propertyBytes' | 'messageBytes', string>> = { propertyBytes: 'collector.limits.propertyBytes', messageBytes: 'collector.limits.messageBytes' };

/** An object as the JSON text stored (jsonb), or the refusal: over `max` bytes, nested too deep, NUL or a lone surrogate. */
function objectJson(value: object, name: string, max: number, limit: 'propertyBytes' | 'messageBytes'): string | Checked {
  const json = isEmpty(value) ? '{}' : stringified(value);
  if (json === undefined) return refuse(`${name}: nested deeper than ${MAX_PROPERTY_DEPTH} levels`);
  // A UTF-16 unit is 3 UTF-8 bytes at most: short JSON is not counted.
  const bytes = json.length * 3 <= max ? 0 : Buffer.byteLength(json, 'utf8');
  if (bytes > max) return { ok: false, reason: `${name}: ${bytes} bytes of JSON, more than ${max} (${LIMIT_KEYS[limit]})`, limit, max };
  // Without a \u escape (the common case) there is no NUL or lone surrogate: only the nesting is left to check, on the
  // object (a few values) rather than on its text.
  if (!json.includes('\\u')) return deeperThan(value, MAX_PROPERTY_DEPTH) ? refuse(`${name}: nested deeper than ${MAX_PROPERTY_DEPTH} levels`) : json;
  const problem = jsonProblem(json, name);
  return problem === undefined ? json : refuse(problem);
}

const NOT_AN_INSTANT = 'not an ISO 8601 instant with a zone (e.g. 2026-12-01T10:00:00.000Z) or epoch milliseconds, from 1970';

/**
 * Which field dates the event: our `time`; else, with a sentAt to correct by, Segment's `originalTimestamp` (the
 * device's clock) before `timestamp`; without one, `timestamp` before `originalTimestamp`.
 */
function timeField(e: Record<string, unknown>, corrected: boolean): readonly [string, unknown] {
  if (e.time !== undefined && e.time !== null) return ['time', e.time];
  const order = corrected ? (['originalTimestamp', 'timestamp'] as const) : (['timestamp', 'originalTimestamp'] as const);
  for (const name of order) if (e[name] !== undefined && e[name] !== null) return [name, e[name]];
  return ['time', undefined];
}

/**
 * The event's instant: its time field corrected by the message's sentAt (else the request's) as Segment does,
 * receivedAt - (sentAt - time); receivedAt without a time; refused outside maxFuture/maxPast once corrected.
 */
function eventTime(e: Record<string, unknown>, ctx: CheckContext): { readonly time: number; readonly createdAt?: string } | Checked {
  let sentAt = ctx.sentAt;
  if (e.sentAt !== undefined && e.sentAt !== null) {
    sentAt = parseInstant(e.sentAt);
    if (sentAt === undefined) return refuse(`sentAt: ${NOT_AN_INSTANT}`);
  }
  const [name, value] = timeField(e, sentAt !== undefined);
  if (value === undefined) return { time: ctx.receivedAt };
  const sent = parseInstant(value);
  if (sent === undefined) return refuse(`${name}: ${NOT_AN_INSTANT}`);
  const skew = clockSkew(ctx.receivedAt, sentAt);
  const time = sent + skew;
  if (time > ctx.receivedAt + ctx.maxFutureMs) {
    return refuse(`${name}: ${roughDuration(time - ctx.receivedAt)} ahead of the collector's clock (at most ${roughDuration(ctx.maxFutureMs)} accepted)`);
  }
  if (time < 0) return refuse(`${name}: before 1970 once corrected by sentAt`);
  if (time < ctx.receivedAt - ctx.maxPastMs) {
    return refuse(`${name}: ${roughDuration(ctx.receivedAt - time)} behind the collector's clock (at most ${roughDuration(ctx.maxPastMs)} accepted)`);
  }
  // Uncorrected and already what toISOString writes (the tracker's and most clients' form): kept as sent.
  return skew === 0 && typeof value === 'string' && isCanonicalInstant(value) ? { time, createdAt: value } : { time };
}

/** Checks one raw event of a request; unknown fields are ignored (context and integrations but in a Segment message). */
export function checkEvent(raw: unknown, ctx: CheckContext): Checked {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return refuse('not an object');
  const e = raw as Record<string, unknown>;
  const event = field(e, 'event', true);
  if (typeof event === 'object') return event;
  const messageId = field(e, 'messageId', true);
  if (typeof messageId === 'object') return messageId;
  if (messageId.length > MAX_MESSAGE_ID_LENGTH) return refuse(`messageId: longer than ${MAX_MESSAGE_ID_LENGTH} characters`);
  const userId = field(e, 'userId', false, true);
  if (typeof userId === 'object' && userId !== null) return userId;
  const anonymousId = field(e, 'anonymousId', false, true);
  if (typeof anonymousId === 'object' && anonymousId !== null) return anonymousId;
  // Set by fromSegment (segment-message.ts); the collector's own shape has none: a `track`.
  const type = (MESSAGE_TYPES.has(e.type) ? e.type : 'track') as MessageType;
  // An alias links its previousId to its userId: an id like the others (kept in properties as sent).
  let previousId: string | null = null;
  if (type === 'alias') {
    const previous = field(e, 'previousId', false, true);
    if (typeof previous === 'object' && previous !== null) return previous;
    previousId = previous;
  }

  const when = eventTime(e, ctx);
  if ('ok' in when) return when;
  const { time, createdAt } = when;

  let duration: number | null = null;
  if (e.duration !== undefined && e.duration !== null) {
    if (typeof e.duration !== 'number' || !Number.isFinite(e.duration) || e.duration < 0) return refuse('duration: must be a number of milliseconds, 0 or more');
    duration = e.duration;
  }

  let properties = '{}';
  if (e.properties !== undefined && e.properties !== null) {
    if (typeof e.properties !== 'object' || Array.isArray(e.properties)) return refuse('properties: must be an object');
    const json = objectJson(e.properties, 'properties', ctx.propertyBytes, 'propertyBytes');
    if (typeof json !== 'string') return json;
    properties = json;
  }
  // A Segment message's (fromSegment sets `type`; the collector's own shape keeps none): objects, or absent.
  let context: string | null = null;
  let integrations: string | null = null;
  if (e.type !== undefined) {
    const max = ctx.messageBytes;
    if (isObject(e.context)) {
      const json = objectJson(e.context, 'context', max, 'messageBytes');
      if (typeof json !== 'string') return json;
      context = json;
    }
    if (isObject(e.integrations)) {
      const json = objectJson(e.integrations, 'integrations', max, 'messageBytes');
      if (typeof json !== 'string') return json;
      integrations = json;
    }
  }

  return {
    ok: true,
    row: {
      message_id: messageId,
      created_at: createdAt ?? new Date(time).toISOString(),
      event,
      user_id: userId,
      anonymous_id: anonymousId,
      duration_ms: duration,
      properties,
      write_key: ctx.writeKey,
      received_at: ctx.receivedAtIso ?? new Date(ctx.receivedAt).toISOString(),
      type,
      context,
      integrations,
      previous_id: previousId,
    },
  };
}

export interface CheckedBatch {
  readonly rows: EventRow[];
  readonly rejected: Array<{ readonly index: number; readonly reason: string }>;
  /** A single event (/v1/track) over a limit: the whole request is answered 413. */
  readonly overLimit?: { readonly reason: string; readonly limit: LimitName; readonly max: number };
}

/** Turns a raw message into the event checkEvent reads (a Segment message into our shape), or refuses it. */
export type PrepareEvent = (raw: unknown, index: number) => { readonly ok: true; readonly event: unknown } | Exclude<Checked, { ok: true }>;

/**
 * Checks every event of a request (each through `prepare` first, when given); `single`: one event over a limit
 * makes the request itself too large.
 */
export function checkEvents(events: readonly unknown[], ctx: CheckContext, single: boolean, prepare?: PrepareEvent): CheckedBatch {
  const rows: EventRow[] = [];
  const rejected: Array<{ index: number; reason: string }> = [];
  for (let index = 0; index < events.length; index++) {
    const prepared = prepare === undefined ? undefined : prepare(events[index], index);
    const checked = prepared === undefined ? checkEvent(events[index], ctx) : prepared.ok ? checkEvent(prepared.event, ctx) : prepared;
    if (checked.ok) rows.push(checked.row);
    else if (single && checked.limit !== undefined) return { rows: [], rejected: [], overLimit: { reason: checked.reason, limit: checked.limit, max: checked.max! } };
    else rejected.push({ index, reason: checked.reason });
  }
  return { rows, rejected };
}
