// Context and integrations kept (issue 20): the real @segment/analytics-node and raw /v1/batch envelopes against the
// real collector on PostgreSQL (binary COPY) and on PGlite (INSERT); each row's context is the envelope's merged under
// the message's own (the message wins), integrations likewise; the collector's own shape stores NULL; a collector
// database of version 7 gets the columns at start; a context PostgreSQL cannot store is refused without quoting it.
import { PGlite } from '@electric-sql/pglite';
import { Analytics } from '@segment/analytics-node';
import { describe, expect, it, onTestFinished } from 'vitest';
import { sqlEventStore } from '../collector/event-store.js';
import { createEventsTable } from '../collector/events-table.js';
import type { RunningCollector } from '../collector/server.js';
import { runCollector } from '../collector/start.js';
import { eventsTableStatements, identityStatements } from '../writers/migrations.js';
import { collectorOnTestDatabase, pgCollector } from './support/pg-collector.js';
import { createTestDatabase } from './support/pg.js';

const KEY = 'wk_context_Secret-3f9a';
const basic = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

interface Kept {
  message_id: string;
  context: Record<string, unknown> | null;
  integrations: Record<string, unknown> | null;
}

interface Setup {
  readonly collector: RunningCollector;
  kept(): Promise<Kept[]>;
}

const SELECT = 'SELECT message_id, context, integrations FROM etl.events ORDER BY message_id';

/** The collector on a new PostgreSQL database (binary COPY), or on an in-memory PGlite (INSERT). */
async function setup(backend: 'postgres' | 'pglite'): Promise<Setup> {
  if (backend === 'postgres') {
    const { db, collector } = await collectorOnTestDatabase('etl_context', KEY);
    return { collector, kept: async () => (await db.pool.query<Kept>(SELECT)).rows };
  }
  const pglite = new PGlite();
  await createEventsTable(pglite, 'etl');
  const collector = await runCollector(sqlEventStore({ db: pglite, schema: 'etl', timeoutMs: 10_000 }), { host: '127.0.0.1', port: 0, writeKeys: [{ name: 'server', key: KEY }] });
  onTestFinished(async () => {
    await collector.close();
    await pglite.close();
  });
  return { collector, kept: async () => (await pglite.query<Kept>(SELECT)).rows };
}

const post = (collector: RunningCollector, body: unknown): Promise<Response> =>
  fetch(`${collector.url}/v1/batch`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: basic(KEY) }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });

describe.each(['postgres', 'pglite'] as const)('context and integrations on %s', (backend) => {
  it('@segment/analytics-node: the SDK\'s context (library) with the call\'s own, and its integrations', async () => {
    const { collector, kept } = await setup(backend);
    const analytics = new Analytics({ writeKey: KEY, host: collector.url, flushAt: 20, flushInterval: 60_000 });
    const errors: unknown[] = [];
    analytics.on('error', (error) => errors.push(error));
    analytics.track({ messageId: 'sdk-1', userId: 'u-1', event: 'Order Completed', properties: { total: 42 }, context: { locale: 'fr-FR', campaign: { source: 'news', name: 'spring', medium: 'email' } }, integrations: { All: false, Mixpanel: true } });
    analytics.identify({ messageId: 'sdk-2', userId: 'u-1', traits: { plan: 'pro' }, context: { ip: '203.0.113.7', traits: { email: 'u-1@example.com' } } });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);
    const [track, identify] = await kept();
    expect(track!.context).toEqual({ locale: 'fr-FR', campaign: { source: 'news', name: 'spring', medium: 'email' }, library: { name: '@segment/analytics-node', version: expect.any(String) } });
    expect(track!.integrations).toEqual({ All: false, Mixpanel: true });
    expect(identify!.context).toMatchObject({ ip: '203.0.113.7', traits: { email: 'u-1@example.com' }, library: { name: '@segment/analytics-node' } });
  });

  it('a raw batch: the envelope merged under each message, the message winning; the collector\'s own shape NULL', async () => {
    const { collector, kept } = await setup(backend);
    const envelope = {
      sentAt: new Date().toISOString(),
      context: { locale: 'en-US', ip: '198.51.100.1', library: { name: 'envelope-lib' }, page: { path: '/from-envelope' } },
      integrations: { All: false, Amplitude: false },
      batch: [
        // Its own locale, library (replaced whole: the merge is one level) and integrations win; ip comes from the envelope.
        { type: 'page', messageId: 'raw-1', anonymousId: 'a', name: 'Docs', context: { locale: 'de-DE', library: { name: 'analytics.js', version: '1' }, page: { path: '/docs', title: 'Docs' } }, integrations: { Amplitude: true, 'Google Analytics': { clientId: 'c-1' } } },
        // No context, no integrations of its own: the envelope's, as they are.
        { type: 'track', messageId: 'raw-2', anonymousId: 'a', event: 'Clicked' },
      ],
    };
    expect((await post(collector, envelope)).status).toBe(200);
    // Without an envelope: a message's own; none at all: NULL. The collector's own shape (no type): NULL, its context ignored.
    expect((await post(collector, { batch: [{ type: 'track', messageId: 'raw-3', anonymousId: 'a', event: 'Plain', context: { app: { build: '7' } } }, { type: 'track', messageId: 'raw-4', anonymousId: 'a', event: 'Bare' }] })).status).toBe(200);
    expect((await post(collector, [{ event: 'tracker', messageId: 'raw-5', anonymousId: 'a', context: { not: 'kept' } }])).status).toBe(200);
    expect(await kept()).toEqual([
      { message_id: 'raw-1', context: { locale: 'de-DE', ip: '198.51.100.1', library: { name: 'analytics.js', version: '1' }, page: { path: '/docs', title: 'Docs' } }, integrations: { All: false, Amplitude: true, 'Google Analytics': { clientId: 'c-1' } } },
      { message_id: 'raw-2', context: envelope.context, integrations: envelope.integrations },
      { message_id: 'raw-3', context: { app: { build: '7' } }, integrations: null },
      { message_id: 'raw-4', context: null, integrations: null },
      { message_id: 'raw-5', context: null, integrations: null },
    ]);
  });
});

describe('context PostgreSQL cannot store, and an older collector database', () => {
  it('refuses a message whose context has NUL, or whose envelope context makes it too large, naming the field and not its content', async () => {
    const { collector } = await setup('postgres');
    const big = { blob: 'x'.repeat(20_000) };
    const response = await post(collector, {
      context: big,
      batch: [
        { type: 'track', messageId: 'n-1', anonymousId: 'a', event: 'E', context: { secretish: 'a\u0000b' } },
        { type: 'track', messageId: 'n-2', anonymousId: 'a', event: 'E', context: { more: 'y'.repeat(20_000) } },
      ],
    });
    const text = await response.text();
    expect([response.status, JSON.parse(text)]).toEqual([400, {
      error: 'no event of the batch is valid',
      accepted: 0,
      rejected: [
        { index: 0, reason: 'context: contain a NUL character (\\u0000), which PostgreSQL cannot store' },
        { index: 1, reason: 'context: 40021 bytes of JSON, more than 32768 (collector.limits.messageBytes)' },
      ],
    }]);
    expect(text).not.toContain('secretish');
  });

  it('a collector database of version 7 (events with type, no context) gets the two columns at start; older rows NULL', async () => {
    const db = await createTestDatabase('etl_context');
    onTestFinished(() => db.drop());
    await db.pool.query('CREATE SCHEMA etl');
    for (const statement of [...eventsTableStatements('etl'), ...identityStatements('etl')]) await db.pool.query(statement);
    await db.pool.query(`INSERT INTO etl.events (message_id, created_at, event, write_key, type) VALUES ('old', now(), 'E', 'k', 'track')`);
    const collector = await pgCollector(db.url, { writeKeys: [{ name: 'server', key: KEY }] });
    onTestFinished(() => collector.close());
    expect((await post(collector, { context: { locale: 'it-IT' }, batch: [{ type: 'track', messageId: 'new', anonymousId: 'a', event: 'E' }] })).status).toBe(200);
    const { rows } = await db.pool.query<Kept>(SELECT);
    expect(rows).toEqual([{ message_id: 'new', context: { locale: 'it-IT' }, integrations: null }, { message_id: 'old', context: null, integrations: null }]);
  });
});
