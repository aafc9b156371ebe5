// The answers Segment's SDKs act on, from the real collector on the real PostgreSQL: 200 when stored (each bad message
// named by index, the rest stored), 400 only for what never succeeds, 401, 413 at Segment's limits (500 KB a batch,
// 32 KB a message), messageId up to 100 characters, text/plain bodies, the envelope's context under each message's;
// and 503 with Retry-After, in bounded time, while the database hangs (a stalled TCP proxy), then 200 again.
import { describe, expect, it, onTestFinished } from 'vitest';
import type { RunningCollector } from '../collector/server.js';
import { createTestDatabase, type TestDatabase } from './support/pg.js';
import { pgCollector } from './support/pg-collector.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

const KEY = 'wk_answers_Secret-51c0';
const WRITE_TIMEOUT_MS = 1_500;

async function collectorOn(options: { proxied?: boolean } = {}): Promise<{ db: TestDatabase; collector: RunningCollector; proxy?: TcpProxy }> {
  const db = await createTestDatabase('etl_answers');
  const proxy = options.proxied ? await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(db.url).port || 5432) }) : undefined;
  const url = proxy === undefined ? db.url : db.url.replace(/:\d+\//, `:${proxy.port}/`);
  const collector = await pgCollector(url, { writeKeys: [{ name: 'server', key: KEY }] }, WRITE_TIMEOUT_MS);
  onTestFinished(async () => {
    proxy?.recover();
    await collector.close();
    await proxy?.close();
    await db.drop();
  });
  return { db, collector, ...(proxy === undefined ? {} : { proxy }) };
}

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { error?: string; accepted?: number; rejected?: Array<{ index: number; reason: string }>; limit?: string; max?: number };
}

async function send(collector: RunningCollector, path: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${collector.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Write-Key': KEY, ...headers }, body, signal: AbortSignal.timeout(15_000) });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Answer['body'] };
}

const track = (messageId: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: 'track', event: 'Clicked', messageId, anonymousId: 'anon-1', ...extra });

async function storedIds(db: TestDatabase): Promise<string[]> {
  return (await db.pool.query<{ message_id: string }>('SELECT message_id FROM etl.events ORDER BY message_id')).rows.map((r) => r.message_id);
}

describe('the answers the SDKs act on', () => {
  it('200 with each bad message named by index while the rest are stored; 400 for bad JSON and for a batch of nothing valid', async () => {
    const { db, collector } = await collectorOn();
    const id100 = `m-${'x'.repeat(98)}`;
    const batch = [track('ok-1'), track(`m-${'x'.repeat(99)}`), track(id100), track('big', { properties: { text: 'y'.repeat(33_000) } }), { type: 'track', messageId: 'no-event' }, track('ok-2')];
    const mixed = await send(collector, '/v1/batch', JSON.stringify({ batch }));
    expect([mixed.status, mixed.body.accepted, mixed.body.rejected!.map((r) => r.index)]).toEqual([200, 3, [1, 3, 4]]);
    expect(mixed.body.rejected!.map((r) => r.reason)).toEqual([
      'messageId: longer than 100 characters',
      'the message is 33100 bytes of JSON, more than 32768 (collector.limits.messageBytes)',
      'event: required',
    ]);
    expect(await storedIds(db)).toEqual([id100, 'ok-1', 'ok-2'].sort());

    const broken = await send(collector, '/v1/batch', '{"batch": [');
    expect([broken.status, broken.body.error]).toEqual([400, 'the body is not valid JSON']);
    const nothing = await send(collector, '/v1/batch', JSON.stringify({ batch: [{ type: 'track', messageId: 'n-1' }, { type: 'nonsense' }] }));
    expect([nothing.status, nothing.body.error, nothing.body.rejected!.map((r) => r.index)]).toEqual([400, 'no event of the batch is valid', [0, 1]]);
    const single = await send(collector, '/v1/track', JSON.stringify({ messageId: 's-1', anonymousId: 'a' }));
    expect([single.status, single.body.error]).toEqual([400, 'event: required']);
    expect(await storedIds(db)).toHaveLength(3);
  });

  it('401 for a wrong or missing key; 413 over 500 KB a batch and 32 KB a message (Segment limits), naming the limit', async () => {
    const { db, collector } = await collectorOn();
    const body = JSON.stringify({ batch: [track('k-1')] });
    expect((await send(collector, '/v1/batch', body, { 'X-Write-Key': 'wrong-key-0000' })).status).toBe(401);
    const missing = await fetch(`${collector.url}/v1/batch`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(missing.status).toBe(401);

    // 499 messages of ~1,030 bytes: ~515 KB, over 500 KB (512,000 bytes) although each message is far under 32 KB.
    const heavy = Array.from({ length: 499 }, (_, i) => track(`h-${i}`, { properties: { text: 'z'.repeat(950) } }));
    const tooBig = await send(collector, '/v1/batch', JSON.stringify({ batch: heavy }));
    expect([tooBig.status, tooBig.body]).toEqual([413, { error: 'the body is too large, over the limit of 512000 (collector.limits.bodyBytes)', limit: 'bodyBytes', max: 512_000 }]);
    const underLimit = await send(collector, '/v1/batch', JSON.stringify({ batch: heavy.slice(0, 450) }));
    expect([underLimit.status, underLimit.body.accepted]).toEqual([200, 450]);

    const oneBig = await send(collector, '/v1/track', JSON.stringify(track('t-big', { properties: { text: 'y'.repeat(33_000) } })));
    expect([oneBig.status, oneBig.body.limit, oneBig.body.max]).toEqual([413, 'messageBytes', 32_768]);
    expect(await storedIds(db)).toHaveLength(450);
  });

  it('takes text/plain bodies (browsers, sendBeacon) and merges the envelope context under each message own; integrations kept out of the way', async () => {
    const { db, collector } = await collectorOn();
    const envelope = {
      context: { page: { path: '/from-envelope', url: 'https://shop.example.com/from-envelope?utm_source=mail' }, campaign: { medium: 'email' } },
      integrations: { All: false, 'Segment.io': true },
      batch: [
        { type: 'page', messageId: 'p-env', anonymousId: 'a', integrations: { Mixpanel: false } },
        { type: 'page', messageId: 'p-own', anonymousId: 'a', context: { page: { path: '/own', url: 'https://shop.example.com/own' }, campaign: { medium: 'social' } } },
      ],
    };
    const answer = await send(collector, '/v1/batch', JSON.stringify(envelope), { 'Content-Type': 'text/plain;charset=UTF-8' });
    expect([answer.status, answer.body.accepted]).toEqual([200, 2]);
    const { rows } = await db.pool.query<{ message_id: string; properties: Record<string, unknown> }>('SELECT message_id, properties FROM etl.events ORDER BY message_id');
    expect(rows).toEqual([
      { message_id: 'p-env', properties: { path: '/from-envelope', url: 'https://shop.example.com/from-envelope?utm_source=mail', utm_source: 'mail', utm_medium: 'email' } },
      { message_id: 'p-own', properties: { path: '/own', url: 'https://shop.example.com/own', utm_medium: 'social' } },
    ]);
  });

  it('503 with Retry-After within the write timeout while the database hangs (requests queued behind too); 200 once it answers', async () => {
    const { db, collector, proxy } = await collectorOn({ proxied: true });
    expect((await send(collector, '/v1/batch', JSON.stringify({ batch: [track('before')] }))).status).toBe(200);
    proxy!.hang();
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => send(collector, '/v1/batch', JSON.stringify({ batch: [track(`hung-${i}`)] }))));
    const seconds = (performance.now() - started) / 1000;
    expect(answers.map((a) => [a.status, a.retryAfter])).toEqual(Array.from({ length: 6 }, () => [503, '2']));
    expect(answers[0]!.body.error).toBe('events not stored: the database is unavailable or too slow; retry later (same messageIds)');
    expect(seconds).toBeLessThan((2 * WRITE_TIMEOUT_MS + 1_500) / 1000);
    proxy!.recover();
    const deadline = Date.now() + 15_000;
    let after: Answer;
    do after = await send(collector, '/v1/batch', JSON.stringify({ batch: [track('after'), track('hung-0')] }));
    while (after.status !== 200 && Date.now() < deadline);
    expect(after.status).toBe(200);
    expect(await storedIds(db)).toEqual(['after', 'before', 'hung-0']);
  });
});
