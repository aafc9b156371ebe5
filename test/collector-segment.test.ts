// The collector as Segment's HTTP API, driven by the real SDKs (@segment/analytics-node, @rudderstack/rudder-sdk-node)
// on the real PostgreSQL: each call stored once at the SDK's own time, page/identify/group/alias as documented, gzip,
// retried batches, a gzip bomb refused at the limit, Basic-auth keys; and the collected-events reader skipping `$` names.
import { gzipSync } from 'node:zlib';
import { Analytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { describe, expect, it } from 'vitest';
import { COLLECTOR_IDENTITY_PREFIX } from '../readers/collected-events-definition.js';
import { eventsReader } from '../readers/events.js';
import { days, TZ } from './support/events-rows.js';
import { readRows } from './support/read-rows.js';
import { collectorOnTestDatabase } from './support/pg-collector.js';
import type { TestDatabase } from './support/pg.js';

const KEY = 'wk_segment_Secret-7c1d';
const basic = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

interface Stored {
  message_id: string;
  event: string;
  user_id: string | null;
  anonymous_id: string | null;
  created_at: Date;
  received_at: Date;
  properties: Record<string, unknown>;
}

const collectorOn = (): ReturnType<typeof collectorOnTestDatabase> => collectorOnTestDatabase('etl_segment', KEY);

async function rows(db: TestDatabase): Promise<Stored[]> {
  return (await db.pool.query<Stored>('SELECT message_id, event, user_id, anonymous_id, created_at, received_at, properties FROM etl.events ORDER BY event, message_id')).rows;
}

describe('@segment/analytics-node against the collector', () => {
  it('stores track (at its past timestamp), identify, page, group, alias once each', async () => {
    const { db, collector } = await collectorOn();
    const analytics = new Analytics({ writeKey: KEY, host: collector.url, flushAt: 20, flushInterval: 60_000 });
    const errors: unknown[] = [];
    analytics.on('error', (error) => errors.push(error));
    const hourAgo = new Date(Date.now() - 3_600_000);
    analytics.track({ userId: 'u-1', event: 'Order Completed', properties: { total: 42 }, timestamp: hourAgo });
    analytics.identify({ userId: 'u-1', traits: { plan: 'pro' } });
    analytics.page({ userId: 'u-1', name: 'Pricing', properties: { path: '/pricing', url: 'https://shop.example.com/pricing?utm_source=news&utm_campaign=spring' } });
    analytics.group({ userId: 'u-1', groupId: 'acme', traits: { seats: 5 } });
    analytics.alias({ userId: 'u-1', previousId: 'anon-9' });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);
    const stored = await rows(db);
    expect(stored.map((r) => r.event)).toEqual(['$alias', '$group', '$identify', 'Order Completed', 'page']);
    const byEvent = Object.fromEntries(stored.map((r) => [r.event, r]));
    // The SDK's timestamp, corrected by (receivedAt - sentAt): a few ms on one machine, never the time of reception.
    expect(Math.abs(byEvent['Order Completed']!.created_at.getTime() - hourAgo.getTime())).toBeLessThan(2_000);
    expect(byEvent['Order Completed']!.properties).toEqual({ total: 42 });
    expect(byEvent.page!.properties).toMatchObject({ name: 'Pricing', path: '/pricing', url: expect.stringContaining('/pricing'), utm_source: 'news', utm_campaign: 'spring', campaign: 'spring' });
    expect(byEvent.$identify!.properties).toEqual({ traits: { plan: 'pro' } });
    expect(byEvent.$group!.properties).toEqual({ groupId: 'acme', traits: { seats: 5 } });
    expect(byEvent.$alias!.properties).toEqual({ previousId: 'anon-9' });
    expect(new Set(stored.map((r) => r.user_id))).toEqual(new Set(['u-1']));
  });
});

describe('@rudderstack/rudder-sdk-node against the collector', () => {
  it('sends track and page gzipped (its default): each stored once, at its originalTimestamp', async () => {
    const { db, collector } = await collectorOn();
    const errors: unknown[] = [];
    const client = new RudderAnalytics(KEY, { dataPlaneUrl: collector.url, flushAt: 20, flushInterval: 60_000, retryCount: 0, logLevel: 'error', errorHandler: (error) => errors.push(error) });
    const earlier = new Date(Date.now() - 600_000);
    client.track({ anonymousId: 'anon-r', event: 'Signed Up', properties: { plan: 'free' }, originalTimestamp: earlier } as Parameters<typeof client.track>[0]);
    client.page({ anonymousId: 'anon-r', name: 'Home', properties: { path: '/', url: 'https://shop.example.com/' } });
    await client.flush();
    expect(errors).toEqual([]);
    const stored = await rows(db);
    expect(stored.map((r) => [r.event, r.anonymous_id])).toEqual([['Signed Up', 'anon-r'], ['page', 'anon-r']]);
    expect(Math.abs(stored[0]!.created_at.getTime() - earlier.getTime())).toBeLessThan(2_000);
    expect(stored[1]!.properties).toMatchObject({ name: 'Home', path: '/', url: 'https://shop.example.com/' });
  });
});

describe('the Segment HTTP API answers', () => {
  it('stores a retried batch once, accepts a Basic-auth key, refuses a bad key (401) and a gzip bomb (413) at the limit', async () => {
    const { db, collector } = await collectorOn();
    const batch = {
      sentAt: new Date().toISOString(),
      context: { library: { name: 'test' }, page: { path: '/docs', url: 'https://shop.example.com/docs?utm_medium=email' } },
      batch: [
        { type: 'track', event: 'Clicked', messageId: 'r-1', anonymousId: 'a', timestamp: new Date(Date.now() - 60_000).toISOString() },
        { type: 'page', messageId: 'r-2', anonymousId: 'a', name: 'Docs' },
        { type: 'identify', anonymousId: 'a', traits: { email: 'x@example.com' } },
        { type: 'nonsense', messageId: 'r-4', anonymousId: 'a' },
      ],
    };
    const send = (body: Uint8Array | string, headers: Record<string, string>): Promise<Response> =>
      fetch(`${collector.url}/v1/b`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(10_000) });
    const first = await send(JSON.stringify(batch), { Authorization: basic(KEY) });
    const answer = (await first.json()) as { accepted: number; rejected: Array<{ index: number }>; generated: Array<{ index: number; messageId: string }> };
    expect([first.status, answer.accepted, answer.rejected.map((r) => r.index), answer.generated.map((g) => g.index)]).toEqual([200, 3, [3], [2]]);
    expect(answer.generated[0]!.messageId).toMatch(/^[0-9a-f-]{36}$/);
    const again = await send(gzipSync(JSON.stringify(batch)), { Authorization: basic(KEY), 'Content-Encoding': 'gzip' });
    expect(again.status).toBe(200);
    const stored = await rows(db);
    // r-1 and r-2 once; the identify without a messageId got a new one each time (say so: send messageIds).
    expect(stored.filter((r) => r.message_id === 'r-1' || r.message_id === 'r-2')).toHaveLength(2);
    expect(stored.find((r) => r.message_id === 'r-2')!.properties).toMatchObject({ name: 'Docs', path: '/docs', utm_medium: 'email' });

    const wrong = await send(JSON.stringify(batch), { Authorization: basic('not-the-key-1') });
    expect([wrong.status, await wrong.json()]).toEqual([401, { error: 'unknown write key' }]);

    // 100 MB of zeros is 100 KB gzipped, under the 500 KB wire limit: refused once 512000 bytes are inflated.
    const bomb = gzipSync(Buffer.alloc(100 * 1024 * 1024, 0x20));
    expect(bomb.byteLength).toBeLessThan(512_000);
    const started = performance.now();
    const refused = await send(bomb, { Authorization: basic(KEY), 'Content-Encoding': 'gzip' });
    expect([refused.status, await refused.json()]).toEqual([413, { error: 'the body is too large once decompressed, over the limit of 512000 (collector.limits.bodyBytes)', limit: 'bodyBytes', max: 512_000 }]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('the collected-events reader does not count $identify, $group, $alias as product events', async () => {
    const { db, collector } = await collectorOn();
    const now = Date.now();
    const at = new Date(now - 2 * 3_600_000).toISOString();
    const batch = ['track', 'identify', 'group', 'alias'].map((type, i) => ({ type, event: 'Bought', messageId: `x-${i}`, userId: 'u', groupId: 'g', previousId: 'p', timestamp: at }));
    expect((await fetch(`${collector.url}/v1/batch`, { method: 'POST', headers: { Authorization: basic(KEY) }, body: JSON.stringify({ batch }) })).status).toBe(200);
    const day = (ms: number): string => new Date(ms).toLocaleDateString('sv-SE', { timeZone: TZ });
    const reader = eventsReader({ table: 'etl.events', columns: { user: 'visitor_id' }, excludePrefix: COLLECTOR_IDENTITY_PREFIX, window: days(day(now - 86_400_000), day(now)), service: 'collector', hourly: false });
    const { rows: metricRows } = await readRows(reader, { collector: db.pool });
    const names = new Set(metricRows.flatMap((r) => Object.keys(r.metrics)));
    expect([...names].filter((n) => n.startsWith('events.bought.'))).not.toEqual([]);
    expect([...names].filter((n) => /identify|group|alias|\$/.test(n))).toEqual([]);
  });
});
