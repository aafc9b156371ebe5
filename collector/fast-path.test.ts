// The node:http fast path answers POST /v1/batch and /v1/track exactly as the Hono app does (status, body, headers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollectorApp } from './app.js';
import { createBatchWriter } from './batch-writer.js';
import { createFastPath } from './fast-path.js';
import { createIngest } from './ingest.js';
import { memoryEventStore } from '../test/support/collector-memory-store.js';
import { resolveOptions } from './options.js';
import { startCollector, type RunningCollector } from './server.js';

const KEY = 'wk_fast_path_key';
const SITE = 'https://shop.example.com';
const HEADERS = ['content-type', 'x-content-type-options', 'access-control-allow-origin', 'access-control-expose-headers', 'vary', 'retry-after'];

const store = memoryEventStore();
const options = resolveOptions({ writeKeys: [{ name: 'site', key: KEY }], allowedOrigins: [SITE], limits: { bodyBytes: 2_000 } });
const writer = createBatchWriter({ store, flushDelayMs: 1 });
const ingest = createIngest({ options, writer });
const app = createCollectorApp({ options, writer, store, tracker: '', ingest });
let taken = 0;
const fast = createFastPath({ ingest, allowedOrigins: options.allowedOrigins });
let running: RunningCollector;

beforeAll(async () => {
  running = await startCollector({ app, writer, store, host: '127.0.0.1', port: 0, fastPath: (req, res) => fast(req, res) && ++taken > 0 });
});
afterAll(() => running.close());

async function summary(res: Response): Promise<unknown> {
  return { status: res.status, body: await res.text(), headers: Object.fromEntries(HEADERS.map((h) => [h, res.headers.get(h)])) };
}

/** The same request through the server (the fast path) and through app.request (Hono). */
async function both(path: string, body: string, headers: Record<string, string>): Promise<[unknown, unknown]> {
  const init = { method: 'POST', headers, body };
  return [await summary(await fetch(`${running.url}${path}`, init)), await summary(await app.request(path, init))];
}

// An hour ago: inside the collector's maxPast (30 days) and maxFuture whenever the suite runs.
const EVENT_TIME = new Date(Date.now() - 3_600_000).toISOString();
const event = (id: string): Record<string, unknown> => ({ event: 'pageview', messageId: id, time: EVENT_TIME, properties: { path: '/' } });

describe('the fast path', () => {
  it('answers like the app: stored, rejected events, keys, content types, limits, bad JSON, origins, 503', async () => {
    const json = { 'Content-Type': 'application/json' };
    const cases: Array<[string, string, Record<string, string>]> = [
      ['/v1/batch', JSON.stringify([event('f-1'), { event: '' }]), { ...json, 'X-Write-Key': KEY }],
      ['/v1/track', JSON.stringify({ ...event('f-2'), writeKey: KEY }), { 'Content-Type': 'text/plain;charset=UTF-8' }],
      ['/v1/batch', JSON.stringify([event('f-3')]), { ...json, 'X-Write-Key': 'wrong' }],
      ['/v1/batch', JSON.stringify([event('f-4')]), json],
      ['/v1/batch', '[]', { 'Content-Type': 'application/xml', 'X-Write-Key': KEY }],
      ['/v1/batch', `[${'"x",'.repeat(600)}1]`, { ...json, 'X-Write-Key': KEY }],
      ['/v1/batch', `{"writeKey":"${KEY}", "batch": [`, json],
      ['/v1/batch', JSON.stringify([event('f-5')]), { ...json, 'X-Write-Key': KEY, Origin: SITE }],
      ['/v1/batch', JSON.stringify([event('f-6')]), { ...json, 'X-Write-Key': KEY, Origin: 'https://evil.example' }],
    ];
    for (const [path, body, headers] of cases) {
      const [viaFast, viaApp] = await both(path, body, headers);
      expect(viaFast, `${path} ${body.slice(0, 40)}`).toEqual(viaApp);
    }
    store.down = true;
    const [viaFast, viaApp] = await both('/v1/batch', JSON.stringify([event('f-7')]), { ...json, 'X-Write-Key': KEY, Origin: SITE });
    store.down = false;
    expect(viaFast).toEqual(viaApp);
    expect(viaFast).toMatchObject({ status: 503, headers: { 'retry-after': '2', 'access-control-allow-origin': SITE } });
    expect(taken).toBe(cases.length + 1);
    expect([...store.rows.keys()]).toEqual(['f-1', 'f-2', 'f-5']);
  });

  it('leaves other requests to the app: a chunked body, other paths and methods, a preflight', async () => {
    const before = taken;
    const chunks = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(JSON.stringify([event('f-8')]))), c.close()) });
    const chunked = await fetch(`${running.url}/v1/batch`, { method: 'POST', headers: { 'X-Write-Key': KEY }, body: chunks, duplex: 'half' } as RequestInit);
    expect([chunked.status, await chunked.json()]).toEqual([200, { accepted: 1, rejected: [] }]);
    expect((await fetch(`${running.url}/v1/batch/`, { method: 'POST', body: '[]' })).status).toBe(404);
    expect((await fetch(`${running.url}/v1/batch`, { method: 'OPTIONS', headers: { Origin: SITE, 'Access-Control-Request-Method': 'POST' } })).status).toBe(204);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    expect(taken).toBe(before);
  });
});
