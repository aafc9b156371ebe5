// The collector's HTTP contract, in-process (app.request): write keys, CORS, limits, per-event rejections, 503, assets.
import { describe, expect, it } from 'vitest';
import { createCollectorApp } from './app.js';
import { createBatchWriter } from './batch-writer.js';
import { memoryEventStore, type MemoryEventStore } from '../test/support/collector-memory-store.js';
import { resolveOptions, type CollectorOptions } from './options.js';

const KEY = 'wk_live_s3cr3t-value';
const SITE = 'https://shop.example.com';
const NOW = Date.UTC(2026, 11, 1, 12);

function setup(options: Partial<CollectorOptions> = {}, page?: string): { app: ReturnType<typeof createCollectorApp>; store: MemoryEventStore } {
  const store = memoryEventStore();
  const writer = createBatchWriter({ store, flushDelayMs: 1 });
  const resolved = resolveOptions({ writeKeys: [{ name: 'site', key: KEY }, { name: 'backend', key: 'wk_other_key_2' }], allowedOrigins: [SITE], ...options });
  const app = createCollectorApp({ options: resolved, writer, store, tracker: '/* tracker */', now: () => NOW, ...(page === undefined ? {} : { page }) });
  return { app, store };
}

const events = (n: number, prefix = 'm'): Array<Record<string, unknown>> => Array.from({ length: n }, (_, i) => ({ event: 'pageview', messageId: `${prefix}-${i}`, anonymousId: 'anon-1' }));

function post(app: ReturnType<typeof createCollectorApp>, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(
    app.request(path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
  );
}

const basic = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

describe('write keys', () => {
  it('accepts a key in Authorization: Basic, X-Write-Key or the body, and records its name', async () => {
    const { app, store } = setup();
    expect((await post(app, '/v1/batch', events(1, 'a'), { Authorization: basic(KEY) })).status).toBe(200);
    expect((await post(app, '/v1/batch', events(1, 'b'), { 'X-Write-Key': 'wk_other_key_2' })).status).toBe(200);
    expect((await post(app, '/v1/batch', { writeKey: KEY, batch: events(1, 'c') })).status).toBe(200);
    expect((await post(app, '/v1/track', { writeKey: KEY, ...events(1, 'd')[0] })).status).toBe(200);
    expect([...store.rows.values()].map((r) => [r.message_id, r.write_key])).toEqual([['a-0', 'site'], ['b-0', 'backend'], ['c-0', 'site'], ['d-0', 'site']]);
  });

  it('answers 401 with a JSON error for a missing or wrong key, never showing a key', async () => {
    const { app, store } = setup();
    const missing = await post(app, '/v1/batch', events(1));
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: expect.stringMatching(/^missing write key/) });
    for (const headers of [{ Authorization: basic('wrong-key-123') }, { 'X-Write-Key': 'wrong-key-123' }] as Array<Record<string, string>>) {
      const wrong = await post(app, '/v1/batch', events(1), headers);
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).toBe('{"error":"unknown write key"}');
    }
    // A right key in the body does not make up for a wrong one in a header.
    expect((await post(app, '/v1/batch', { writeKey: KEY, batch: events(1) }, { 'X-Write-Key': 'wrong-key-123' })).status).toBe(401);
    const broken = await post(app, '/v1/batch', `{"writeKey":"${KEY}", "batch": [`);
    expect(broken.status).toBe(400);
    expect(await broken.text()).not.toContain(KEY);
    expect(store.rows.size).toBe(0);
  });
});

describe('CORS', () => {
  it('answers the preflight of an allowed origin, and adds the headers to its answers', async () => {
    const { app } = setup();
    const preflight = await app.request('/v1/batch', { method: 'OPTIONS', headers: { Origin: SITE, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type, x-write-key' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-write-key');
    const res = await post(app, '/v1/batch', events(1), { Origin: SITE, 'X-Write-Key': KEY });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(res.headers.get('vary')).toContain('Origin');
    const refused = await post(app, '/v1/batch', events(1), { Origin: SITE, 'X-Write-Key': 'nope-nope-nope' });
    expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([401, SITE]);
  });

  it('refuses another origin with 403 and no CORS header, preflight included; nothing stored', async () => {
    const { app, store } = setup();
    const preflight = await app.request('/v1/batch', { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const res = await post(app, '/v1/batch', events(1), { Origin: 'https://evil.example', 'X-Write-Key': KEY, 'Content-Type': 'text/plain' });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await res.json()).toEqual({ error: 'origin "https://evil.example" is not allowed to send events (collector.allowedOrigins)' });
    expect(store.rows.size).toBe(0);
  });

  it("allows the collector's own origin (its page) and, with '*', any", async () => {
    const { app } = setup();
    expect((await post(app, 'http://127.0.0.1:8081/v1/batch', events(1), { Origin: 'http://127.0.0.1:8081', Host: '127.0.0.1:8081', 'X-Write-Key': KEY })).status).toBe(200);
    const open = setup({ allowedOrigins: ['*'] }).app;
    expect((await post(open, '/v1/batch', events(1), { Origin: 'https://anywhere.example', 'X-Write-Key': KEY })).status).toBe(200);
  });
});

describe('limits', () => {
  it('413 naming the limit and its maximum: body bytes, events per batch, one event\'s properties', async () => {
    const { app, store } = setup({ limits: { bodyBytes: 2_000, batchEvents: 10, propertyBytes: 100 } });
    const body = await post(app, '/v1/batch', events(40), { 'X-Write-Key': KEY });
    expect(body.status).toBe(413);
    expect(await body.json()).toEqual({ error: 'the body is too large, over the limit of 2000 (collector.limits.bodyBytes)', limit: 'bodyBytes', max: 2000 });
    // Without Content-Length (chunked), counted while read.
    const stream = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(JSON.stringify(events(40)))), c.close()) });
    const chunked = await app.request('/v1/batch', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Write-Key': KEY }, body: stream, duplex: 'half' } as RequestInit);
    expect([chunked.status, ((await chunked.json()) as { limit: string }).limit]).toEqual([413, 'bodyBytes']);
    const batch = await post(app, '/v1/batch', events(11), { 'X-Write-Key': KEY });
    expect([batch.status, await batch.json()]).toEqual([413, { error: 'a batch of 11 events, over the limit of 10 (collector.limits.batchEvents)', limit: 'batchEvents', max: 10 }]);
    const props = await post(app, '/v1/track', { event: 'x', messageId: 'p', properties: { text: 'x'.repeat(200) } }, { 'X-Write-Key': KEY });
    expect([props.status, await props.json()]).toEqual([413, { error: 'properties: 211 bytes of JSON, more than 100 (collector.limits.propertyBytes)', limit: 'propertyBytes', max: 100 }]);
    expect(store.rows.size).toBe(0);
  });

  it('has the documented defaults', () => {
    expect(resolveOptions({ writeKeys: [{ name: 'a', key: 'k' }] }).limits).toEqual({ bodyBytes: 512_000, batchEvents: 500, propertyBytes: 32_768, messageBytes: 32_768 });
  });
});

describe('events of a batch', () => {
  it('stores the good ones and names each bad one by index and reason', async () => {
    const { app, store } = setup();
    const batch = events(100);
    batch[3] = { event: '', messageId: 'bad-3' };
    batch[50] = { event: 'x', messageId: 'bad-50', time: 'not a time' };
    batch[99] = { event: 'x' };
    const res = await post(app, '/v1/batch', { batch }, { 'X-Write-Key': KEY });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      accepted: 97,
      rejected: [
        { index: 3, reason: 'event: must not be empty' },
        { index: 50, reason: expect.stringMatching(/^time: not an ISO 8601 instant/) },
        { index: 99, reason: 'messageId: required' },
      ],
    });
    expect(store.rows.size).toBe(97);
  });

  it('stores a batch sent twice once (message ids), and accepts it both times', async () => {
    const { app, store } = setup();
    for (let i = 0; i < 2; i++) expect(await (await post(app, '/v1/batch', events(20), { 'X-Write-Key': KEY })).json()).toEqual({ accepted: 20, rejected: [] });
    expect(store.rows.size).toBe(20);
  });

  it('corrects times by sentAt, refuses a bad sentAt, a batch with no valid event, other content types', async () => {
    const { app, store } = setup();
    const sentAt = new Date(NOW - 3_600_000).toISOString();
    const time = new Date(NOW - 3_600_000 - 1_000).toISOString();
    await post(app, '/v1/batch', JSON.stringify({ sentAt, batch: [{ event: 'x', messageId: 's', time }] }), { 'X-Write-Key': KEY, 'Content-Type': 'text/plain;charset=UTF-8' });
    expect(store.rows.get('s')?.created_at).toBe(new Date(NOW - 1_000).toISOString());
    expect((await post(app, '/v1/batch', { sentAt: 'soon', batch: events(1) }, { 'X-Write-Key': KEY })).status).toBe(400);
    const none = await post(app, '/v1/batch', [{ event: 'x' }], { 'X-Write-Key': KEY });
    expect([none.status, await none.json()]).toEqual([400, { error: 'no event of the batch is valid', accepted: 0, rejected: [{ index: 0, reason: 'messageId: required' }] }]);
    expect((await post(app, '/v1/batch', [], { 'X-Write-Key': KEY })).status).toBe(200);
    expect((await post(app, '/v1/batch', events(1), { 'X-Write-Key': KEY, 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await post(app, '/v1/batch', { events: [] }, { 'X-Write-Key': KEY })).status).toBe(400);
    expect((await post(app, '/v1/track', { batch: [] }, { 'X-Write-Key': KEY })).status).toBe(400);
  });

  it('stores injection-looking property names and values as they are', async () => {
    const { app, store } = setup();
    const properties = { "'); DROP TABLE events; --": 'Robert"); DELETE FROM etl.metric; --', '$1': '$2', 'a"b': { '\\': '%_' } };
    expect((await post(app, '/v1/track', { event: "x'; --", messageId: 'inj', properties }, { 'X-Write-Key': KEY })).status).toBe(200);
    expect(store.rows.get('inj')).toMatchObject({ event: "x'; --" });
    expect(JSON.parse(store.rows.get('inj')!.properties)).toEqual(properties);
  });
});

describe('when the database is unavailable', () => {
  it('answers 503 with Retry-After and stores nothing; works again once it is back', async () => {
    const { app, store } = setup();
    store.down = true;
    const res = await post(app, '/v1/batch', events(5), { 'X-Write-Key': KEY, Origin: SITE });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.headers.get('access-control-expose-headers')).toContain('Retry-After');
    expect((await app.request('/healthz')).status).toBe(503);
    store.down = false;
    expect((await post(app, '/v1/batch', events(5), { 'X-Write-Key': KEY })).status).toBe(200);
    expect(store.rows.size).toBe(5);
    expect(await (await app.request('/healthz')).json()).toEqual({ ok: true });
  });
});

describe('assets', () => {
  it('serves the tracker, the page when configured, JSON 404s', async () => {
    const { app } = setup({}, '<h1>demo</h1>');
    const tracker = await app.request('/tracker.js');
    expect([tracker.status, tracker.headers.get('content-type'), await tracker.text()]).toEqual([200, 'text/javascript; charset=utf-8', '/* tracker */']);
    expect(await (await app.request('/')).text()).toBe('<h1>demo</h1>');
    const missing = await setup().app.request('/');
    expect([missing.status, await missing.json()]).toEqual([404, { error: 'no such endpoint: GET /' }]);
  });
});
