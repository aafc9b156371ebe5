// Segment's HTTP API in-process (app.request): short paths, message types, timestamps, envelope context, encodings, limits.
import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createCollectorApp } from './app.js';
import { createBatchWriter } from './batch-writer.js';
import { memoryEventStore } from '../test/support/collector-memory-store.js';
import { resolveOptions, type CollectorOptions } from './options.js';

const KEY = 'wk_segment_api_key';
const NOW = Date.UTC(2026, 11, 1, 12);
const iso = (ms: number): string => new Date(ms).toISOString();

function setup(options: Partial<CollectorOptions> = {}) {
  const store = memoryEventStore();
  const writer = createBatchWriter({ store, flushDelayMs: 1 });
  const app = createCollectorApp({ options: resolveOptions({ writeKeys: [{ name: 'site', key: KEY }], ...options }), writer, store, tracker: '', now: () => NOW });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    Promise.resolve(app.request(path, { method: 'POST', headers: { 'Content-Type': 'text/plain', 'X-Write-Key': KEY, ...headers }, body: body instanceof Uint8Array ? body : JSON.stringify(body) }));
  return { store, post };
}

describe('Segment messages', () => {
  it('stores page (short path, context.page, campaign), screen, identify, group, alias as documented', async () => {
    const { store, post } = setup({ pageEvent: 'pageview' });
    const context = { page: { path: '/a', url: 'https://x.example/a?utm_source=ads&utm_campaign=fall', title: 'A' }, campaign: { medium: 'cpc' } };
    expect((await post('/v1/p', { messageId: 'p', anonymousId: 'a', name: 'A page', context })).status).toBe(200);
    expect((await post('/v1/s', { messageId: 's', userId: 'u', name: 'Home' })).status).toBe(200);
    expect((await post('/v1/identify', { messageId: 'i', userId: 'u', traits: { plan: 'pro' } })).status).toBe(200);
    expect((await post('/v1/g', { messageId: 'g', userId: 'u', groupId: 'acme' })).status).toBe(200);
    expect((await post('/v1/a', { messageId: 'al', userId: 'u', previousId: 'a' })).status).toBe(200);
    const got = (id: string) => store.rows.get(id)!;
    expect([got('p').event, JSON.parse(got('p').properties)]).toEqual(['pageview', { name: 'A page', path: '/a', url: context.page.url, title: 'A', utm_source: 'ads', utm_medium: 'cpc', utm_campaign: 'fall', campaign: 'fall' }]);
    expect([got('s').event, got('s').properties]).toEqual(['screen', '{"name":"Home"}']);
    expect([got('i').event, got('i').properties]).toEqual(['$identify', '{"traits":{"plan":"pro"}}']);
    expect([got('g').event, got('g').properties]).toEqual(['$group', '{"groupId":"acme","traits":{}}']);
    expect([got('al').event, got('al').properties]).toEqual(['$alias', '{"previousId":"a"}']);
  });

  it('dates by timestamp (past ones too), corrected by the message or envelope sentAt from originalTimestamp', async () => {
    const { store, post } = setup();
    const hourAgo = NOW - 3_600_000;
    const batch = [
      { type: 'track', event: 'x', messageId: 't1', timestamp: iso(hourAgo) },
      { type: 'track', event: 'x', messageId: 't2', originalTimestamp: iso(hourAgo - 5_000), sentAt: iso(NOW - 5_000 + 60_000) },
      { type: 'track', event: 'x', messageId: 't3', originalTimestamp: iso(hourAgo), timestamp: iso(NOW - 10) },
      { type: 'track', event: 'x', messageId: 't4', timestamp: iso(NOW - 40 * 86_400_000) },
    ];
    const res = await post('/v1/batch', { batch, sentAt: iso(NOW + 1_000) });
    expect(await res.json()).toEqual({ accepted: 3, rejected: [{ index: 3, reason: "timestamp: 40d behind the collector's clock (at most 30d accepted)" }] });
    expect(store.rows.get('t1')!.created_at).toBe(iso(hourAgo - 1_000));
    expect(store.rows.get('t2')!.created_at).toBe(iso(hourAgo - 60_000));
    expect(store.rows.get('t3')!.created_at).toBe(iso(hourAgo - 1_000));
  });

  it('makes a messageId when absent and says so; refuses one over 100 characters and an unknown type by index', async () => {
    const { store, post } = setup();
    const res = await post('/v1/batch', { batch: [{ type: 'track', event: 'x' }, { type: 'track', event: 'x', messageId: 'm'.repeat(101) }, { type: 'boom', messageId: 'b' }] });
    const body = (await res.json()) as { generated: Array<{ index: number; messageId: string }>; rejected: unknown[] };
    expect(body.generated).toEqual([{ index: 0, messageId: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
    expect(body.rejected).toEqual([{ index: 1, reason: 'messageId: longer than 100 characters' }, { index: 2, reason: 'type: "boom" is not one of track, page, screen, identify, group, alias' }]);
    expect([...store.rows.keys()]).toEqual([body.generated[0]!.messageId]);
  });
});

describe('encodings and limits', () => {
  it('reads gzip and deflate bodies, refuses another encoding (415), corrupt data (400), a message over 32 KB (413)', async () => {
    const { store, post } = setup();
    const one = (id: string) => JSON.stringify({ batch: [{ type: 'track', event: 'x', messageId: id }] });
    expect((await post('/v1/batch', gzipSync(one('gz')), { 'Content-Encoding': 'gzip', 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(200);
    expect((await post('/v1/batch', deflateSync(one('df')), { 'Content-Encoding': 'deflate' })).status).toBe(200);
    expect((await post('/v1/batch', new TextEncoder().encode(one('br')), { 'Content-Encoding': 'br' })).status).toBe(415);
    expect((await post('/v1/batch', new TextEncoder().encode('not gzip'), { 'Content-Encoding': 'gzip' })).status).toBe(400);
    const big = await post('/v1/track', { type: 'track', event: 'x', messageId: 'big', properties: { a: 'x'.repeat(20_000) }, context: { b: 'y'.repeat(20_000) } });
    expect([big.status, ((await big.json()) as { limit: string }).limit]).toEqual([413, 'messageBytes']);
    expect([...store.rows.keys()]).toEqual(['gz', 'df']);
  });
});
