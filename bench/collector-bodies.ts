// The collector benchmark's request bodies: batches of 50 events in the collector's own shape and as Segment's SDKs
// send them (/v1/batch envelopes of typed messages with context, integrations and _metadata; one in five a page
// from a browser), plain or gzipped.
import { gzipSync } from 'node:zlib';

export const BATCH = 50;
const EVENT_NAMES = ['pageview', 'link_click', 'form_submit', 'signup', 'search'];

export interface BenchEvent {
  readonly event: string;
  readonly messageId: string;
  readonly userId: string;
  readonly anonymousId: string;
  readonly time: string;
  readonly properties: Record<string, string | number>;
}

/** One shape of request: its name, and bodies with their headers. */
export interface BodyShape {
  readonly name: string;
  readonly headers: Readonly<Record<string, string>>;
  body(events: readonly BenchEvent[]): Buffer;
}

/** The `b`-th batch of 50 events (deterministic apart from the run's prefix). */
export function batchOf(prefix: string, b: number, now: number): BenchEvent[] {
  return Array.from({ length: BATCH }, (_, i) => {
    const n = b * BATCH + i;
    return {
      event: EVENT_NAMES[n % EVENT_NAMES.length]!,
      messageId: `${prefix}-${n}`,
      userId: `user-${n % 1000}`,
      anonymousId: `anon-${n % 5000}`,
      time: new Date(now - (n % 3_600) * 1_000).toISOString(),
      properties: { path: `/p/${n % 200}`, plan: n % 3 === 0 ? 'pro' : 'free', campaign: `c${n % 7}`, n },
    };
  });
}

const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** An event as a Segment message: a track from a server SDK, or (one in five) a browser's page with its context. */
function segmentMessage(e: BenchEvent, n: number): Record<string, unknown> {
  const common = { messageId: e.messageId, userId: e.userId, anonymousId: e.anonymousId, timestamp: e.time, integrations: {}, _metadata: { nodeVersion: '20.19.0', jsRuntime: 'node' } };
  if (n % 5 !== 0) return { type: 'track', event: e.event, properties: e.properties, context: { library: { name: '@segment/analytics-node', version: '2.2.1' } }, ...common };
  const url = `https://shop.example.com${e.properties.path}`;
  const page = { path: e.properties.path, url, referrer: 'https://www.example.org/', title: 'Shop', search: '' };
  return { type: 'page', name: 'Shop', properties: { ...e.properties, ...page }, context: { page, userAgent: USER_AGENT, locale: 'en-US', library: { name: 'analytics.js', version: 'next-1.84.3' } }, ...common };
}

const JSON_HEADERS = { 'Content-Type': 'application/json' };

export const OWN_SHAPE: BodyShape = { name: 'own shape, JSON array', headers: JSON_HEADERS, body: (events) => Buffer.from(JSON.stringify(events)) };

const segmentBody = (events: readonly BenchEvent[]): string => JSON.stringify({ batch: events.map(segmentMessage), sentAt: new Date().toISOString() });

export const SEGMENT_SHAPE: BodyShape = { name: 'Segment /v1/batch', headers: JSON_HEADERS, body: (events) => Buffer.from(segmentBody(events)) };

export const SEGMENT_GZIP_SHAPE: BodyShape = { name: 'Segment /v1/batch, gzip', headers: { ...JSON_HEADERS, 'Content-Encoding': 'gzip' }, body: (events) => gzipSync(segmentBody(events)) };
