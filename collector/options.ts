// The collector's options and their defaults (Hono-style: `options.x ?? DEFAULT`), filled in once.

/** A write key as configured: a name (shown, revocable) and the key (a secret: never shown). */
export interface WriteKey {
  readonly name: string;
  readonly key: string;
}

/** The request limits; going past one answers 413 naming it. */
export interface CollectorLimits {
  /** Bytes of one request body. */
  readonly bodyBytes: number;
  /** Events in one batch. */
  readonly batchEvents: number;
  /** Bytes of one event's properties, as JSON. */
  readonly propertyBytes: number;
  /** Bytes of one Segment-style message (one with a `type`), as JSON: Segment's 32 KB. */
  readonly messageBytes: number;
}

export type LimitName = keyof CollectorLimits;

/** Segment's limits: 500 KB a request (decompressed), 32 KB a message. */
export const DEFAULT_LIMITS: CollectorLimits = Object.freeze({ bodyBytes: 512_000, batchEvents: 500, propertyBytes: 32_768, messageBytes: 32_768 });
/** The event names `page` and `screen` messages are stored under. */
export const DEFAULT_PAGE_EVENT = 'page';
export const DEFAULT_SCREEN_EVENT = 'screen';
export const DEFAULT_MAX_FUTURE_MS = 10 * 60_000;
/** 30 days: an older event would land in a partition no run reads again (a 1970 date is a client's bug). */
export const DEFAULT_MAX_PAST_MS = 30 * 86_400_000;
/** 0: rows go as soon as a write slot is free (they wait while writes are in flight). */
export const DEFAULT_FLUSH_DELAY_MS = 0;
export const DEFAULT_WRITE_TIMEOUT_MS = 5_000;

export interface CollectorOptions {
  readonly writeKeys: readonly WriteKey[];
  /** Origins allowed to send events from a browser ('*': any); the collector's own origin always is. */
  readonly allowedOrigins?: readonly string[];
  readonly limits?: Partial<CollectorLimits>;
  /** Events dated further ahead than this (after the sentAt correction) are rejected. */
  readonly maxFutureMs?: number;
  /** Events dated further back than this (after the sentAt correction) are rejected. */
  readonly maxPastMs?: number;
  /** Event name of Segment `page` messages (default 'page'). */
  readonly pageEvent?: string;
  /** Event name of Segment `screen` messages (default 'screen'). */
  readonly screenEvent?: string;
}

export interface ResolvedOptions {
  readonly writeKeys: readonly WriteKey[];
  readonly allowedOrigins: readonly string[];
  readonly limits: CollectorLimits;
  readonly maxFutureMs: number;
  readonly maxPastMs: number;
  readonly pageEvent: string;
  readonly screenEvent: string;
}

export function resolveOptions(options: CollectorOptions): ResolvedOptions {
  if (options.writeKeys.length === 0) throw new TypeError('collector: at least one write key is needed');
  return Object.freeze({
    writeKeys: options.writeKeys,
    allowedOrigins: (options.allowedOrigins ?? []).map((o) => o.toLowerCase().replace(/\/$/, '')),
    limits: Object.freeze({ ...DEFAULT_LIMITS, ...definedOnly(options.limits ?? {}) }),
    maxFutureMs: options.maxFutureMs ?? DEFAULT_MAX_FUTURE_MS,
    maxPastMs: options.maxPastMs ?? DEFAULT_MAX_PAST_MS,
    pageEvent: options.pageEvent ?? DEFAULT_PAGE_EVENT,
    screenEvent: options.screenEvent ?? DEFAULT_SCREEN_EVENT,
  });
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
