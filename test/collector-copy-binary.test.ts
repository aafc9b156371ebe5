// The collector's binary COPY on the real PostgreSQL: the rows read back exactly as the INSERT path stores them
// (text with accents, emoji and tabs, NULLs, a fractional duration, jsonb, instants to the millisecond, 1970 and 2099;
// a context and integrations, JSON or NULL).
import { describe, expect, it, onTestFinished } from 'vitest';
import type { EventRow } from '../collector/event-row.js';
import { pgEventStore } from '../collector/pg-store.js';
import { sqlEventStore } from '../collector/event-store.js';
import { createTestDatabase } from './support/pg.js';

const rows = (prefix: string): EventRow[] => [
  { message_id: `${prefix}-1`, created_at: '2026-12-01T10:00:00.123Z', event: 'Commande passée ✓', user_id: 'u\t1', anonymous_id: null, duration_ms: 12.75, properties: '{"total":42.5,"city":"Zürich","emoji":"🎉","nested":{"a":[1,2]}}', write_key: 'web', received_at: '2026-12-01T10:00:01.000Z', type: 'track',
    context: '{"library":{"name":"analytics.js","version":"next-1.84.3"},"page":{"title":"Café ☕"},"locale":"fr-FR"}', integrations: '{"All":false,"Mixpanel":true}' },
  { message_id: `${prefix}-2`, created_at: '1970-01-01T00:00:00.001Z', event: 'e', user_id: null, anonymous_id: 'a\\b\nc', duration_ms: null, properties: '{}', write_key: 'server', received_at: '2099-12-31T23:59:59.999Z', type: 'identify', context: null },
];

describe('binary COPY of event rows', () => {
  it('stores what the INSERT path stores', async () => {
    const db = await createTestDatabase('etl_copy_binary');
    const store = await pgEventStore({ url: db.url, schema: 'etl', writeTimeoutMs: 5_000, connectTimeoutMs: 5_000, table: 'create' });
    onTestFinished(async () => {
      await store.close();
      await db.drop();
    });
    await store.insert(rows('copy'));
    await sqlEventStore({ db: db.pool, schema: 'etl', timeoutMs: 5_000 }).insert(rows('insert'));
    const { rows: stored } = await db.pool.query<Record<string, unknown>>(
      "SELECT split_part(message_id, '-', 1) AS way, split_part(message_id, '-', 2) AS n, created_at, event, user_id, anonymous_id, duration_ms, properties, write_key, received_at, type, context, integrations FROM etl.events ORDER BY n, way",
    );
    const strip = ({ way: _way, ...rest }: Record<string, unknown>): Record<string, unknown> => rest;
    expect(stored.map((r) => r.way)).toEqual(['copy', 'insert', 'copy', 'insert']);
    expect(strip(stored[0]!)).toEqual(strip(stored[1]!));
    expect(strip(stored[2]!)).toEqual(strip(stored[3]!));
    expect(stored[0]).toMatchObject({ created_at: new Date('2026-12-01T10:00:00.123Z'), event: 'Commande passée ✓', user_id: 'u\t1', duration_ms: 12.75, properties: { total: 42.5, city: 'Zürich', emoji: '🎉', nested: { a: [1, 2] } },
      context: { library: { name: 'analytics.js', version: 'next-1.84.3' }, page: { title: 'Café ☕' }, locale: 'fr-FR' }, integrations: { All: false, Mixpanel: true } });
    expect(stored[2]).toMatchObject({ type: 'identify', created_at: new Date('1970-01-01T00:00:00.001Z'), anonymous_id: 'a\\b\nc', duration_ms: null, received_at: new Date('2099-12-31T23:59:59.999Z'), context: null, integrations: null });
    // A retried batch: the COPY meets stored ids, the rows go through the upsert, nothing doubled.
    await store.insert(rows('copy'));
    expect((await db.pool.query('SELECT 1 FROM etl.events')).rowCount).toBe(4);
  });
});
