// The browser tracker in the machine's Chromium (playwright-core): the demo page on a site of its own origin, the
// collector on another, PostgreSQL behind it. Navigate (pushState), click, identify, submit, leave, close: each
// event stored once, with the page's anonymous id and the user after identify; no field value sent; nothing at all
// with Do-Not-Track or an opt-out; a page of an origin not allowed sends nothing that is stored.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCollector } from '../collector/server.js';
import { launchChromium } from './support/chromium.js';
import { createTestDatabase, type TestDatabase } from './support/pg.js';
import { pgCollector } from './support/pg-collector.js';

const DEMO_PAGE = readFileSync(resolve(import.meta.dirname, '../examples/demo/page.html'), 'utf8');
const KEY = 'demo-write-key';
/** Browser-side expression: the tracker has loaded (evaluated in the page, where `etl` is a global). */
const LOADED = 'window.etl !== undefined && window.etl.loaded === true';

let db: TestDatabase;
let collector: RunningCollector;
let site: { server: Server; url: string };
let evil: { server: Server; url: string };
let browser: Browser;

/** A web site serving the demo page at every path, its tracker loaded from the collector (another origin). */
async function serveSite(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let html = DEMO_PAGE.replace('src="/tracker.js"', () => `src="${collector.url}/tracker.js"`).replace('data-flush-interval="2000"', 'data-flush-interval="200"');
    if (req.url?.includes('optout')) html = html.replace('data-write-key=', 'data-opt-out data-write-key=');
    res.writeHead(req.method === 'GET' ? 200 : 405, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface StoredEvent {
  readonly event: string;
  readonly user_id: string | null;
  readonly anonymous_id: string;
  readonly properties: Record<string, unknown>;
}

async function stored(anonymousId: string): Promise<StoredEvent[]> {
  const { rows } = await db.pool.query<StoredEvent>('SELECT event, user_id, anonymous_id, properties FROM etl.events WHERE anonymous_id = $1 ORDER BY created_at, received_at', [anonymousId]);
  return rows;
}

async function total(): Promise<number> {
  return (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM etl.events')).rows[0]!.n;
}

/** Polls until `count` events of `anonymousId` are stored (or fails naming what is there). */
async function waitForEvents(anonymousId: string, count: number): Promise<StoredEvent[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const rows = await stored(anonymousId);
    if (rows.length >= count) return rows;
    if (Date.now() > deadline) throw new Error(`expected ${count} events, stored: ${JSON.stringify(rows.map((r) => r.event))}`);
    await sleep(50);
  }
}

/** Requests the context's pages make to the collector's /v1 endpoints. */
function collectorRequests(context: BrowserContext): string[] {
  const seen: string[] = [];
  context.on('request', (request) => {
    if (request.url().startsWith(`${collector.url}/v1/`)) seen.push(request.url());
  });
  return seen;
}

beforeAll(async () => {
  db = await createTestDatabase('etl_tracker');
  // The site's origin is known once it listens; the collector's URL once it does: the site reads it per request.
  collector = { url: '', port: 0, close: async () => undefined };
  site = await serveSite();
  evil = await serveSite();
  collector = await pgCollector(db.url, { writeKeys: [{ name: 'demo', key: KEY }], allowedOrigins: [site.url] });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await collector?.close();
  site?.server.close();
  evil?.server.close();
  await db?.drop();
});

describe('the tracker in Chromium', () => {
  it('stores every event of a visit once: pageviews (pushState too), clicks, identify, a form (no values), the last ones on close', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(`${site.url}/`);
    await page.waitForFunction(LOADED);
    const anonymousId = await page.evaluate<string>('etl.anonymousId()');
    expect(anonymousId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    await page.click('#nav-pricing'); // a link of the single-page app: link_click, then a pageview by pushState
    await page.waitForURL(`${site.url}/pricing`);
    await waitForEvents(anonymousId, 3); // flushed by the interval
    await page.click('#signup'); // etl.identify('user-42') and etl.track('signup_click', ...)
    await page.click('#subscribe'); // form_submit
    await page.click('#leave'); // link_click, then a full navigation: what is buffered leaves with sendBeacon
    await page.waitForURL(`${site.url}/goodbye`);
    await page.waitForFunction(LOADED);
    expect(await page.evaluate<string>('etl.anonymousId()')).toBe(anonymousId);
    await page.close({ runBeforeUnload: true }); // its pageview leaves on pagehide

    const rows = await waitForEvents(anonymousId, 7);
    // Events of one millisecond have no order in the table: compared as a set of (event, user, what).
    const seen = rows.map((r) => [r.event, r.user_id, String(r.properties.path ?? r.properties.href ?? r.properties.action ?? r.properties.plan)]);
    expect(seen.sort()).toEqual(
      [
        ['pageview', null, '/'],
        ['link_click', null, `${site.url}/pricing`],
        ['pageview', null, '/pricing'],
        ['signup_click', 'user-42', 'pro'],
        ['form_submit', 'user-42', `${site.url}/newsletter`],
        ['link_click', 'user-42', `${site.url}/goodbye`],
        ['pageview', 'user-42', '/goodbye'],
      ].sort(),
    );
    expect(rows.find((r) => r.properties.path === '/pricing')?.properties).toMatchObject({ title: 'Demo shop: pricing', referrer: `${site.url}/` });
    expect(rows.find((r) => r.event === 'form_submit')?.properties).toEqual({ id: 'newsletter', name: 'newsletter', action: `${site.url}/newsletter`, method: 'post' });
    expect(JSON.stringify(rows)).not.toContain('someone@example.com');
    await context.close();
  });

  it('sends nothing with Do-Not-Track, the localStorage opt-out or data-opt-out', async () => {
    const before = await total();
    const cases: Array<{ init?: string; path: string }> = [
      { init: "Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' })", path: '/' },
      { init: "localStorage.setItem('etl_opt_out', '1')", path: '/' },
      { path: '/?optout' },
    ];
    for (const { init, path } of cases) {
      const context = await browser.newContext();
      const requests = collectorRequests(context);
      if (init !== undefined) await context.addInitScript(init);
      const page = await context.newPage();
      await page.goto(`${site.url}${path}`);
      await page.waitForFunction(LOADED);
      await page.click('#nav-docs');
      await page.click('#signup');
      await page.evaluate('etl.flush()');
      await page.close({ runBeforeUnload: true });
      await context.close();
      expect(requests, path).toEqual([]);
    }
    expect(await total()).toBe(before);
  });

  it('refuses a page of an origin not allowed (403, nothing stored); an allowed page passes a preflight', async () => {
    const before = await total();
    const context = await browser.newContext();
    const page = await context.newPage();
    // The tracker's pageview goes out (interval flush) and fails: the answer is a 403 without CORS headers.
    const ended = new Promise<string>((done) => {
      const sent = (request: { url(): string; failure(): { errorText: string } | null }): void => {
        if (request.url() === `${collector.url}/v1/batch`) done(request.failure()?.errorText ?? 'finished');
      };
      context.on('requestfailed', sent);
      context.on('requestfinished', sent);
    });
    await page.goto(`${evil.url}/`);
    expect(await ended).toBe('net::ERR_FAILED');
    // A script of that page cannot read an answer either (no CORS header).
    const fromEvil = await page.evaluate(async (url) => fetch(url, { method: 'POST', body: '[]', headers: { 'Content-Type': 'text/plain' } }).then((r) => `read ${r.status}`, () => 'blocked'), `${collector.url}/v1/batch`);
    expect(fromEvil).toBe('blocked');
    await page.close();
    expect(await total()).toBe(before);

    // From the allowed site: application/json with the key in a header needs a preflight, which is answered.
    const allowed = await context.newPage();
    await allowed.goto(`${site.url}/`);
    const answer = await allowed.evaluate(
      async ({ url, key }) => {
        const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Write-Key': key }, body: JSON.stringify([{ event: 'api_call', messageId: 'preflighted-1' }]) });
        return { status: res.status, body: await res.json() };
      },
      { url: `${collector.url}/v1/batch`, key: KEY },
    );
    expect(answer).toEqual({ status: 200, body: { accepted: 1, rejected: [] } });
    await context.close();
  });
});
