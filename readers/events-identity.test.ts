// The events reader counting people on a user's own events table with link columns (`identity` naming their identity
// table and columns, `columns.anonymous`): an anonymous id linked to a user counts as that user in every hour and day,
// before and after the link; 'raw' counts ids as they are; a bad option refused (config/reader-identity.test.ts: in the file).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../graph/errors.js';
import { createTestDatabase, type TestDatabase } from '../test/support/pg.js';
import { daily, days, hourly } from '../test/support/events-rows.js';
import { readRows } from '../test/support/read-rows.js';
import { eventsReader, type EventsReaderOptions } from './events.js';

describe('events reader: identities on a table of your own', () => {
  let db: TestDatabase;
  const read = async (options: Omit<EventsReaderOptions, 'service' | 'window'>) => {
    const { rows, run } = await readRows(eventsReader({ window: days('2026-01-15', '2026-01-16'), table: 'app.events', ...options }), { website: db.pool });
    expect(run.status, run.error ?? '').toBe('succeeded');
    return rows;
  };

  beforeEach(async () => {
    db = await createTestDatabase('etl_events_identity');
    // Integer user ids, text device ids; the link table has its own column names.
    await db.pool.query(`CREATE SCHEMA app;
      CREATE TABLE app.events (created_at timestamptz NOT NULL, event text, user_id int, device text);
      CREATE TABLE app.devices (device_id text PRIMARY KEY, account int NOT NULL);
      INSERT INTO app.devices VALUES ('d-1', 7);
      INSERT INTO app.events VALUES
        ('2026-01-15T09:05:00Z', 'view', NULL, 'd-1'),  -- Paris 10h, anonymous: device d-1, linked to account 7
        ('2026-01-15T09:30:00Z', 'view', 7, 'd-1'),     -- 10h, signed in
        ('2026-01-15T09:40:00Z', 'view', NULL, 'd-2'),  -- 10h, another anonymous visitor, never linked
        ('2026-01-16T08:00:00Z', 'view', NULL, 'd-1'),  -- the next day, signed out again: still account 7
        ('2026-01-16T08:10:00Z', 'view', 7, NULL)`);
  });
  afterEach(async () => db.drop());

  it('stitched by the table it names: d-1 is account 7 before and after the link; raw: each id as it is', async () => {
    const columns = { user: 'user_id', anonymous: 'device' };
    const stitched = await read({ columns, identity: { table: 'app.devices', columns: { anonymous: 'device_id', user: 'account' } } });
    expect(hourly(stitched, '2026-01-15', 10)).toEqual({ 'events.view.count': 3, 'events.view.users': 2 });
    expect(daily(stitched, '2026-01-15')).toEqual({ 'events.view.count': 3, 'events.view.users': 2 });
    expect(daily(stitched, '2026-01-16')).toEqual({ 'events.view.count': 2, 'events.view.users': 1 });
    const raw = await read({ columns, identity: 'raw' });
    expect(daily(raw, '2026-01-15')).toEqual({ 'events.view.count': 3, 'events.view.users': 3 });
    expect(daily(raw, '2026-01-16')).toEqual({ 'events.view.count': 2, 'events.view.users': 2 });
    // Without an anonymous column, as before: rows without a user are events, not users.
    expect(daily(await read({}), '2026-01-15')).toEqual({ 'events.view.count': 3, 'events.view.users': 1 });
  });

  it('a missing identity table is the read error of the statement', async () => {
    const { run } = await readRows(eventsReader({ window: days('2026-01-15', '2026-01-15'), table: 'app.events', identity: 'stitched' }), { website: db.pool });
    expect(run.error).toMatch(/relation "app\.identities" does not exist/);
  });

  it('refuses an identity that is none of raw, stitched or a table (programmatic use)', () => {
    expect(() => eventsReader({ window: days('2026-01-15', '2026-01-15'), identity: 'merged' as never })).toThrow(ConfigError);
    expect(() => eventsReader({ window: days('2026-01-15', '2026-01-15'), identity: { table: 'a.b.c' } })).toThrow(/events reader: invalid SQL table name "a\.b\.c"/);
  });
});
