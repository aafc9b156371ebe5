// A Segment spec message (one with a `type`: track, page, screen, identify, group, alias) turned into the collector's
// own event shape: page/screen as the configured event names with page fields and the campaign in properties,
// identify/group/alias as `$identify`/`$group`/`$alias` with traits, groupId, previousId; a messageId made if absent;
// the context and integrations, the batch envelope's merged under the message's own, kept as they are.
import { randomUUID } from 'node:crypto';
import type { LimitName } from './options.js';
import { MESSAGE_TYPES, type MessageType } from './payload.js';

export interface SegmentSettings {
  readonly pageEvent: string;
  readonly screenEvent: string;
  /** Bytes of one message as JSON (collector.limits.messageBytes). */
  readonly messageBytes: number;
  /** False when the whole body is within messageBytes: no message of it can be over, none is measured. */
  readonly measure: boolean;
}

export type Prepared =
  | { readonly ok: true; readonly event: Record<string, unknown>; readonly generatedId?: string }
  | { readonly ok: false; readonly reason: string; readonly limit?: LimitName; readonly max?: number };

type Json = Record<string, unknown>;

const PAGE_FIELDS = ['path', 'url', 'referrer', 'title', 'search'] as const;
/** context.campaign's fields and the properties they become. */
const CAMPAIGN_FIELDS: ReadonlyArray<readonly [string, string]> = [['source', 'utm_source'], ['medium', 'utm_medium'], ['name', 'utm_campaign'], ['term', 'utm_term'], ['content', 'utm_content']];
/** Fields copied as they are; checkEvent reads (and checks) them. */
const KEPT = ['userId', 'anonymousId', 'time', 'timestamp', 'originalTimestamp', 'sentAt'] as const;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const objectOr = (value: unknown): Json => (isObject(value) ? value : {});

/** The message's type: its own `type`, else the endpoint's (undefined for the collector's own shape). */
export function messageType(raw: unknown, endpointType: MessageType | undefined): unknown {
  return isObject(raw) && raw.type !== undefined ? raw.type : endpointType;
}

/** The query of the page's URL (or context.page.search), for utm_* parameters. */
function queryOf(properties: Json, page: Json): URLSearchParams | undefined {
  const url = typeof properties.url === 'string' ? properties.url : typeof page.url === 'string' ? page.url : undefined;
  if (url !== undefined && URL.canParse(url)) return new URL(url).searchParams;
  const search = typeof properties.search === 'string' ? properties.search : typeof page.search === 'string' ? page.search : undefined;
  return search === undefined ? undefined : new URLSearchParams(search);
}

/** Adds the campaign (context.campaign, else the URL's utm_* parameters) where the properties have none; `campaign` too. */
export function addCampaign(properties: Json, context: Json, page: Json): void {
  const campaign = objectOr(context.campaign);
  const query = queryOf(properties, page);
  for (const [field, key] of CAMPAIGN_FIELDS) {
    const value = campaign[field] ?? query?.get(key) ?? undefined;
    if (properties[key] === undefined && value !== undefined && value !== '') properties[key] = value;
  }
  if (properties.campaign === undefined && properties.utm_campaign !== undefined) properties.campaign = properties.utm_campaign;
}

/** The event name and properties a message of `type` is stored with. */
function nameAndProperties(raw: Json, type: MessageType, context: Json, settings: SegmentSettings): { event: unknown; properties: unknown } {
  if (type === 'identify') return { event: '$identify', properties: { traits: objectOr(raw.traits ?? context.traits) } };
  if (type === 'group') return { event: '$group', properties: { groupId: raw.groupId ?? null, traits: objectOr(raw.traits) } };
  if (type === 'alias') return { event: '$alias', properties: { previousId: raw.previousId ?? null } };
  if (type === 'track') {
    // Not an object (checkEvent refuses it), or nothing to add: the properties as they are.
    const odd = raw.properties !== undefined && raw.properties !== null && !isObject(raw.properties);
    if (odd || (!isObject(context.campaign) && !isObject(context.page))) return { event: raw.event, properties: raw.properties };
  }
  const properties: Json = { ...objectOr(raw.properties) };
  const page = type === 'screen' ? {} : objectOr(context.page);
  if (type !== 'track') {
    for (const field of PAGE_FIELDS) if (properties[field] === undefined && page[field] !== undefined) properties[field] = page[field];
    if (properties.name === undefined && raw.name !== undefined && raw.name !== null) properties.name = raw.name;
  }
  addCampaign(properties, context, page);
  const event = type === 'track' ? raw.event : type === 'page' ? settings.pageEvent : settings.screenEvent;
  return { event, properties };
}

/** Bytes of the message as JSON, or undefined when it nests too deep to be written. */
function jsonBytes(raw: Json, max: number): number | undefined {
  try {
    const json = JSON.stringify(raw);
    // A UTF-16 unit is 3 UTF-8 bytes at most: short JSON is not counted.
    return json.length * 3 <= max ? json.length : Buffer.byteLength(json, 'utf8');
  } catch {
    return undefined;
  }
}

/** The envelope's object (context or integrations) merged under the message's own: a field the message sets wins; undefined when neither has one. */
function merged(envelope: unknown, own: unknown): Json | undefined {
  if (!isObject(envelope)) return isObject(own) ? own : undefined;
  return isObject(own) ? { ...envelope, ...own } : envelope;
}

/** The batch envelope's fields merged into each of its messages. */
export interface Envelope {
  readonly context?: unknown;
  readonly integrations?: unknown;
}

/** One Segment message in the collector's own shape, the envelope's context and integrations under its own (kept, for the columns of version 8). */
export function fromSegment(raw: unknown, type: unknown, envelope: Envelope, settings: SegmentSettings): Prepared {
  if (!isObject(raw)) return { ok: false, reason: 'not an object' };
  if (typeof type !== 'string' || !MESSAGE_TYPES.has(type)) return { ok: false, reason: `type: ${JSON.stringify(type)} is not one of track, page, screen, identify, group, alias` };
  const bytes = settings.measure ? jsonBytes(raw, settings.messageBytes) : 0;
  if (bytes === undefined) return { ok: false, reason: 'nested too deep' };
  if (bytes > settings.messageBytes) {
    return { ok: false, reason: `the message is ${bytes} bytes of JSON, more than ${settings.messageBytes} (collector.limits.messageBytes)`, limit: 'messageBytes', max: settings.messageBytes };
  }
  const context = merged(envelope.context, raw.context);
  const integrations = merged(envelope.integrations, raw.integrations);
  const { event, properties } = nameAndProperties(raw, type as MessageType, context ?? {}, settings);
  // `type`, `context` and `integrations` for the table's columns; an alias's previousId for the identities table
  // (checkEvent checks them all).
  const out: Json = { event, properties, type, context, integrations };
  for (const field of KEPT) if (raw[field] !== undefined) out[field] = raw[field];
  if (type === 'alias' && raw.previousId !== undefined) out.previousId = raw.previousId;
  const absent = raw.messageId === undefined || raw.messageId === null;
  out.messageId = absent ? randomUUID() : raw.messageId;
  return absent ? { ok: true, event: out, generatedId: out.messageId as string } : { ok: true, event: out };
}
