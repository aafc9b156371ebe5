// Segment's browser SDK (@segment/analytics-next, bundled by esbuild) in the machine's Chromium, on a page of its own
// origin, sending to the collector on another (its settings given, so it fetches nothing from Segment): page(),
// track() with properties and a past timestamp, identify(): each stored once at the SDK's own time; a call answered
// 503 while the database is down is retried by the SDK (X-Retry-Count through CORS) and stored once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from 'esbuild';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { RunningCollector } from '../collector/server.js';
import { launchChromium } from './support/chromium.js';
import { createTestDatabase, type TestDatabase } from './support/pg.js';
import { pgCollector } from './support/pg-collector.js';

const KEY = 'wk_browser_Secret-3e8b';
const ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let db: TestDatabase;
let collector: RunningCollector;
let site: { server: Server; url: string };
let browser: Browser;

/** analytics-next as one browser script: window.AnalyticsBrowser. */
async function bundle(): Promise<string> {
  const out = await build({
    stdin: { contents: "import { AnalyticsBrowser } from '@segment/analytics-next'; window.AnalyticsBrowser = AnalyticsBrowser;", resolveDir: resolve(import.meta.dirname, '..'), loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

/** The site: an empty page at / and the SDK at /analytics.js. */
async function serveSite(script: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.url === '/analytics.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Shop: home</title><script src="/analytics.js"></script><p>shop</p>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface Row {
  message_id: string;
  event: string;
  user_id: string | null;
  anonymous_id: string | null;
  created_at: Date;
  properties: Record<string, unknown>;
}

async function rowsOf(anonymousId: string): Promise<Row[]> {
  const sql = 'SELECT message_id, event, user_id, anonymous_id, created_at, properties FROM etl.events WHERE anonymous_id = $1 ORDER BY event';
  return (await db.pool.query<Row>(sql, [anonymousId])).rows;
}

/** Polls until `count` rows of `anonymousId` are stored (20 s at most), then returns what is there. */
async function waitForRows(anonymousId: string, count: number): Promise<Row[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const rows = await rowsOf(anonymousId);
    if (rows.length >= count || Date.now() > deadline) return rows;
    await sleep(50);
  }
}

/** A fresh page with analytics loaded as `window.analytics` (its Segment.io destination on the collector). */
async function loadedPage(): Promise<Page> {
  const context = await browser.newContext();
  onTestFinished(() => context.close());
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  onTestFinished(() => expect(errors).toEqual([]));
  await page.goto(`${site.url}/?utm_source=news`);
  const apiHost = `${new URL(collector.url).host}/v1`;
  await page.evaluate(async ({ key, apiHost }) => {
    const cdnSettings = { integrations: { 'Segment.io': { apiKey: key, apiHost, protocol: 'http' } } };
    const w = globalThis as unknown as { AnalyticsBrowser: { load(settings: unknown): Promise<[unknown]> }; analytics: unknown };
    [w.analytics] = await w.AnalyticsBrowser.load({ writeKey: key, cdnSettings });
  }, { key: KEY, apiHost });
  return page;
}

/** What beforeAll made, undone in reverse order (whatever was made before a failure too). */
const made: Array<() => unknown> = [];

beforeAll(async () => {
  db = await createTestDatabase('etl_ajs_next');
  made.push(() => db.drop());
  site = await serveSite(await bundle());
  made.push(() => site.server.close());
  collector = await pgCollector(db.url, { writeKeys: [{ name: 'web', key: KEY }], allowedOrigins: [site.url] });
  made.push(() => collector.close());
  browser = await launchChromium();
  made.push(() => browser.close());
}, 60_000);

afterAll(async () => {
  for (const undo of made.reverse()) await undo();
});

interface Sent {
  messageId: string;
  timestamp: string;
}

describe('@segment/analytics-next in Chromium against the collector', () => {
  it('stores page(), track() with properties at its past timestamp, identify() once each, at the SDK timestamps', async () => {
    const page = await loadedPage();
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const { anonymousId, sent } = await page.evaluate(async (hourAgo) => {
      const analytics = (globalThis as unknown as { analytics: Record<string, (...args: unknown[]) => Promise<{ event: Sent }>> & { user(): { anonymousId(): string } } }).analytics;
      const of = (ctx: { event: Sent }): Sent => ({ messageId: ctx.event.messageId, timestamp: new Date(ctx.event.timestamp).toISOString() });
      const viewed = of(await analytics.page!());
      const ordered = of(await analytics.track!('Order Completed', { total: 42.5, currency: 'EUR', items: [{ sku: 'a-1' }] }, { timestamp: new Date(hourAgo) }));
      const identified = of(await analytics.identify!('user-7', { plan: 'pro' }));
      return { anonymousId: analytics.user().anonymousId(), sent: { page: viewed, 'Order Completed': ordered, $identify: identified } };
    }, hourAgo);
    const rows = await waitForRows(anonymousId, 3);
    await sleep(300); // a doubled delivery would show by now
    expect(await rowsOf(anonymousId)).toHaveLength(3);
    expect(rows.map((r) => r.event)).toEqual(['$identify', 'Order Completed', 'page']);
    for (const row of rows) {
      const expected = sent[row.event as keyof typeof sent];
      expect(row.message_id).toBe(expected.messageId);
      // The SDK's timestamp, corrected by (receivedAt - sentAt): a few ms between two clocks of one machine.
      expect(Math.abs(row.created_at.getTime() - Date.parse(expected.timestamp))).toBeLessThan(1_000);
    }
    const byEvent = Object.fromEntries(rows.map((r) => [r.event, r]));
    expect(Date.parse(sent['Order Completed'].timestamp)).toBe(Date.parse(hourAgo));
    expect(byEvent['Order Completed']!.properties).toEqual({ total: 42.5, currency: 'EUR', items: [{ sku: 'a-1' }], utm_source: 'news' });
    expect(byEvent.page!.properties).toMatchObject({ path: '/', url: `${site.url}/?utm_source=news`, title: 'Shop: home', search: '?utm_source=news', utm_source: 'news' });
    expect(byEvent.$identify!.properties).toEqual({ traits: { plan: 'pro' } });
    expect([byEvent.$identify!.user_id, byEvent.page!.user_id]).toEqual(['user-7', null]);
  });

  it('retries a call answered 503 while the database is down (X-Retry-Count through CORS): stored once when it is back', async () => {
    const page = await loadedPage();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    const allow = (on: boolean): Promise<unknown> => admin.query(`ALTER DATABASE ${pg.escapeIdentifier(db.name)} ALLOW_CONNECTIONS ${on}`);
    onTestFinished(async () => {
      await allow(true).catch(() => undefined);
      await admin.end();
    });
    await allow(false);
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'etl collector'", [db.name]);
    const answers: Array<{ status: number; retryCount: string | null }> = [];
    page.on('response', (response) => {
      if (response.url().startsWith(`${collector.url}/v1/`) && response.request().method() === 'POST') answers.push({ status: response.status(), retryCount: response.request().headers()['x-retry-count'] ?? null });
    });
    const anonymousId = await page.evaluate(() => {
      const analytics = (globalThis as unknown as { analytics: { track(name: string, props: unknown): Promise<unknown>; user(): { anonymousId(): string } } }).analytics;
      void analytics.track('Retried', { n: 1 });
      return analytics.user().anonymousId();
    });
    const deadline = Date.now() + 10_000;
    while (!answers.some((a) => a.status === 503) && Date.now() < deadline) await sleep(20);
    await allow(true);
    const rows = await waitForRows(anonymousId, 1);
    await sleep(500); // a doubled delivery would show by now
    expect((await rowsOf(anonymousId)).map((r) => r.event)).toEqual(['Retried']);
    expect(rows.map((r) => r.properties)).toEqual([{ n: 1, utm_source: 'news' }]);
    expect(answers[0]!.status).toBe(503);
    expect(answers.at(-1)).toMatchObject({ status: 200, retryCount: expect.stringMatching(/^[1-9]/) });
  });
});
