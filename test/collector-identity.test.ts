// A visitor counts once (issue 20, points 3-5): the real @segment/analytics-node against the real collector on
// PostgreSQL. Anonymous tracks, then identify(userId, anonymousId), then tracks as the user: one user stitched, two
// raw; an alias links too; each message's type stored; the identities table's rule (the earliest link wins) on both
// write paths (COPY and INSERT); a collector database of an earlier version upgraded and its identities filled;
// and, through the CLI, a link that arrives after a first read corrected by a backfill of the day.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { sqlEventStore } from '../collector/event-store.js';
import { createEventsTable } from '../collector/events-table.js';
import { pgEventStore } from '../collector/pg-store.js';
import type { EventRow } from '../collector/event-row.js';
import { toDateHour } from '../metrics/time.js';
import { collectedEventsDefinition } from '../readers/collected-events-definition.js';
import { eventsTableStatements } from '../writers/migrations.js';
import { collectorOnTestDatabase, collectorUrlOf } from './support/pg-collector.js';
import { days, hourly, daily, TZ } from './support/events-rows.js';
import { createTestDatabase, type TestDatabase } from './support/pg.js';
import { processRunner } from './support/processes.js';
import { readRows } from './support/read-rows.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'dist/cli/main.js');
const KEY = 'wk_identity_Secret-51be';
const HOUR = 3_600_000;
const MINUTE = 60_000;

let scratch: string;
const runner = processRunner({ cwd: () => scratch, killAfterMs: 60_000 });
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'etl-identity-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The start of the hour three hours ago: a past hour whose events are all in the past. */
const pastHour = (): number => Math.floor((Date.now() - 3 * HOUR) / HOUR) * HOUR;

const collectorOn = (): ReturnType<typeof collectorOnTestDatabase> => collectorOnTestDatabase('etl_identity', KEY);

function segment(url: string): { analytics: Analytics; errors: unknown[] } {
  const analytics = new Analytics({ writeKey: KEY, host: url, flushAt: 100, flushInterval: 60_000 });
  const errors: unknown[] = [];
  analytics.on('error', (error) => errors.push(error));
  return { analytics, errors };
}

/** The collected-events reader as configured (`"collectedEvents": { identity? }`) over `date` (Europe/Paris). */
async function readCollected(db: TestDatabase, date: string, identity?: 'raw' | 'stitched') {
  const options = collectedEventsDefinition.options.parse(identity === undefined ? {} : { identity });
  const reader = collectedEventsDefinition.source(options, days(date, date), { where: 'readers.collectedEvents', sources: ['collector'], warn: () => undefined });
  const { rows, run } = await readRows(reader, { collector: db.pool });
  expect(run.status, run.error ?? '').toBe('succeeded');
  return rows;
}

const identities = async (db: TestDatabase): Promise<Array<{ anonymous_id: string; user_id: string; first_seen: Date; last_seen: Date }>> =>
  (await db.pool.query('SELECT anonymous_id, user_id, first_seen, last_seen FROM etl.identities ORDER BY anonymous_id')).rows;

describe('a visitor counts once (@segment/analytics-node)', () => {
  it('anonymous tracks, identify(userId, anonymousId), tracks as the user: 1 user stitched (the default), 2 raw; an alias links too', async () => {
    const { db, collector } = await collectorOn();
    const { analytics, errors } = segment(collector.url);
    const base = pastHour();
    const at = (minutes: number): Date => new Date(base + minutes * MINUTE);
    // One visitor: anonymous, signs up (identify with both ids), then tracked by user id only.
    analytics.track({ anonymousId: 'anon-1', event: 'Viewed', timestamp: at(1) });
    analytics.page({ anonymousId: 'anon-1', name: 'Pricing', properties: { path: '/pricing' }, timestamp: at(2) });
    analytics.track({ anonymousId: 'anon-1', event: 'Viewed', timestamp: at(3) });
    analytics.identify({ userId: 'u-1', anonymousId: 'anon-1', traits: { plan: 'pro' }, timestamp: at(10) });
    analytics.track({ userId: 'u-1', event: 'Viewed', timestamp: at(20) });
    analytics.page({ userId: 'u-1', name: 'Account', properties: { path: '/account' }, timestamp: at(21) });
    // Another: anonymous, then alias(previousId: its anonymous id, userId).
    analytics.track({ anonymousId: 'anon-2', event: 'Browsed', timestamp: at(4) });
    analytics.alias({ previousId: 'anon-2', userId: 'u-2', timestamp: at(12) });
    analytics.track({ userId: 'u-2', event: 'Browsed', timestamp: at(30) });
    analytics.group({ userId: 'u-2', groupId: 'acme', timestamp: at(31) });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);

    const types = await db.pool.query<{ event: string; type: string; n: number }>('SELECT event, type, count(*)::int AS n FROM etl.events GROUP BY 1, 2 ORDER BY 1, 2');
    expect(types.rows).toEqual([
      { event: '$alias', type: 'alias', n: 1 },
      { event: '$group', type: 'group', n: 1 },
      { event: '$identify', type: 'identify', n: 1 },
      { event: 'Browsed', type: 'track', n: 2 },
      { event: 'Viewed', type: 'track', n: 3 },
      { event: 'page', type: 'page', n: 2 },
    ]);
    // At the SDK's timestamps (corrected by sentAt: a few ms off on one machine).
    const near = (d: Date) => expect.toSatisfy((v: Date) => Math.abs(v.getTime() - d.getTime()) < 2_000);
    expect(await identities(db)).toEqual([
      { anonymous_id: 'anon-1', user_id: 'u-1', first_seen: near(at(10)), last_seen: near(at(10)) },
      { anonymous_id: 'anon-2', user_id: 'u-2', first_seen: near(at(12)), last_seen: near(at(12)) },
    ]);

    const { date, hour } = toDateHour(base, TZ);
    const stitched = await readCollected(db, date);
    const raw = await readCollected(db, date, 'raw');
    const users = (rows: typeof stitched, bucket: 'hour' | 'day') => {
      const m = (bucket === 'hour' ? hourly(rows, date, hour) : daily(rows, date))!;
      return { viewed: m['events.viewed.users'], page: m['events.page.users'], browsed: m['events.browsed.users'], counted: m['events.viewed.count'] };
    };
    for (const bucket of ['hour', 'day'] as const) {
      expect(users(stitched, bucket)).toEqual({ viewed: 1, page: 1, browsed: 1, counted: 3 });
      expect(users(raw, bucket)).toEqual({ viewed: 2, page: 2, browsed: 2, counted: 3 });
    }
  });

  it('with dimensions, each value counts the visitor once too', async () => {
    const { db, collector } = await collectorOn();
    const { analytics, errors } = segment(collector.url);
    const base = pastHour();
    const at = (minutes: number): Date => new Date(base + minutes * MINUTE);
    analytics.page({ anonymousId: 'anon-d', properties: { url: 'https://shop.example.com/?utm_campaign=spring' }, timestamp: at(1) });
    analytics.identify({ userId: 'u-d', anonymousId: 'anon-d', timestamp: at(2) });
    analytics.page({ userId: 'u-d', properties: { url: 'https://shop.example.com/a?utm_campaign=spring' }, timestamp: at(3) });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);
    const { date } = toDateHour(base, TZ);
    const read = async (identity: 'raw' | 'stitched') => {
      const options = collectedEventsDefinition.options.parse({ identity, dimensions: ['campaign'] });
      const reader = collectedEventsDefinition.source(options, days(date, date), { where: 'readers.collectedEvents', sources: ['collector'], warn: () => undefined });
      const { rows } = await readRows(reader, { collector: db.pool });
      return daily(rows, date)!['events.page.by_campaign.spring.users'];
    };
    expect([await read('stitched'), await read('raw')]).toEqual([1, 2]);
  });
});

describe('the identities table', () => {
  const row = (id: string, at: number, user: string | null, anonymous: string | null, extra: Partial<EventRow> = {}): EventRow => ({
    message_id: id, created_at: new Date(at).toISOString(), event: 'x', user_id: user, anonymous_id: anonymous, duration_ms: null,
    properties: '{}', write_key: 'k', received_at: new Date().toISOString(), type: 'track', ...extra,
  });

  it.each(['copy', 'insert'] as const)('an anonymous id belongs to its earliest user; first and last seen widen, last seen by the hour (%s path)', async (path) => {
    const db = await createTestDatabase('etl_identity');
    onTestFinished(() => db.drop());
    const open = async () => {
      const store = path === 'copy'
        ? await pgEventStore({ url: db.url, schema: 'etl', writeTimeoutMs: 5_000, connectTimeoutMs: 5_000, table: 'create' })
        : (await createEventsTable(db.pool, 'etl'), sqlEventStore({ db: db.pool, schema: 'etl', timeoutMs: 5_000 }));
      onTestFinished(() => store.close());
      return store;
    };
    const store = await open();
    const t = Date.UTC(2026, 11, 1, 10);
    const link = (first: number, last: number, user = 'u-1', anonymous = 'a') => ({ anonymous_id: anonymous, user_id: user, first_seen: new Date(t + first * MINUTE), last_seen: new Date(t + last * MINUTE) });
    await store.insert([row('1', t + 10 * MINUTE, 'u-1', 'a'), row('2', t + 20 * MINUTE, 'u-1', 'a')]);
    expect(await identities(db)).toEqual([link(10, 20)]);
    // Later, the same browser with another user (not reset at logout): ignored. The same user 40 minutes later:
    // last_seen moves by the hour, so nothing is written, whether this process knows the link or not (another one).
    await store.insert([row('3', t + 30 * MINUTE, 'u-2', 'a'), row('4', t + 60 * MINUTE, 'u-1', 'a')]);
    const other = await open();
    await other.insert([row('5', t + 35 * MINUTE, 'u-2', 'a'), row('6', t + 70 * MINUTE, 'u-1', 'a')]);
    expect(await identities(db)).toEqual([link(10, 20)]);
    await store.insert([row('7', t + 90 * MINUTE, 'u-1', 'a')]);
    expect(await identities(db)).toEqual([link(10, 90)]);
    // A link earlier than the first one, arriving late (a delayed batch): it wins; an alias links its previousId.
    await store.insert([row('8', t + 5 * MINUTE, 'u-0', 'a'), row('9', t, 'u-9', null, { type: 'alias', event: '$alias', previous_id: 'old' })]);
    expect(await identities(db)).toEqual([link(5, 5, 'u-0'), link(0, 0, 'u-9', 'old')]);
    // A retried batch (message ids already stored): stored once, its links too.
    await other.insert([row('1', t + 10 * MINUTE, 'u-1', 'a'), row('10', t + 50 * MINUTE, 'u-7', 'b')]);
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM etl.events');
    expect(rows[0]!.n).toBe(10);
    expect((await identities(db)).map((r) => [r.anonymous_id, r.user_id])).toEqual([['a', 'u-0'], ['b', 'u-7'], ['old', 'u-9']]);
  });

  it('on PGlite (the embedded database, written with INSERT): links stored with their events, read stitched', async () => {
    const pglite = new PGlite();
    onTestFinished(() => pglite.close());
    await createEventsTable(pglite, 'etl');
    const store = sqlEventStore({ db: pglite, schema: 'etl', timeoutMs: 10_000 });
    const t = Date.UTC(2026, 0, 15, 9);
    await store.insert([row('1', t, null, 'a'), row('2', t + MINUTE, 'u-1', 'a', { type: 'identify', event: '$identify' }), row('3', t + 2 * MINUTE, 'u-1', null)]);
    const { rows } = await pglite.query<{ anonymous_id: string; user_id: string }>('SELECT anonymous_id, user_id FROM etl.identities');
    expect(rows).toEqual([{ anonymous_id: 'a', user_id: 'u-1' }]);
    const options = collectedEventsDefinition.options.parse({});
    const reader = collectedEventsDefinition.source(options, days('2026-01-15', '2026-01-15'), { where: 'readers.collectedEvents', sources: ['collector'], warn: () => undefined });
    const read = await readRows(reader, { collector: { query: (text: string, params: unknown[]) => pglite.query(text, params) } });
    expect(read.run.status, read.run.error ?? '').toBe('succeeded');
    expect(daily(read.rows, '2026-01-15')).toEqual({ 'events.x.count': 2, 'events.x.users': 1 });
  });

  it("a collector database of an earlier version gets the type column and identities filled from the events it holds", async () => {
    const db = await createTestDatabase('etl_identity');
    onTestFinished(() => db.drop());
    await db.pool.query('CREATE SCHEMA etl');
    for (const statement of eventsTableStatements('etl')) await db.pool.query(statement);
    const insert = `INSERT INTO etl.events (message_id, created_at, event, user_id, anonymous_id, properties, write_key) VALUES ($1, $2, $3, $4, $5, $6, 'k')`;
    const t = Date.UTC(2026, 11, 1, 10);
    const old: Array<[string, number, string, string | null, string | null, unknown]> = [
      ['1', t, 'Viewed', null, 'a', {}],
      ['2', t + MINUTE, '$identify', 'u-1', 'a', { traits: {} }],
      ['3', t + 2 * MINUTE, 'Viewed', 'u-1', 'a', {}],
      ['4', t + 3 * MINUTE, '$alias', 'u-2', null, { previousId: 'p' }],
      ['5', t + 4 * MINUTE, '$alias', 'u-3', null, { previousId: { not: 'an id' } }],
    ];
    for (const [id, at, event, user, anonymous, properties] of old) await db.pool.query(insert, [id, new Date(at), event, user, anonymous, properties]);
    const store = await pgEventStore({ url: db.url, schema: 'etl', writeTimeoutMs: 5_000, connectTimeoutMs: 5_000, table: 'create' });
    onTestFinished(() => store.close());
    expect(await identities(db)).toEqual([
      { anonymous_id: 'a', user_id: 'u-1', first_seen: new Date(t + MINUTE), last_seen: new Date(t + 2 * MINUTE) },
      { anonymous_id: 'p', user_id: 'u-2', first_seen: new Date(t + 3 * MINUTE), last_seen: new Date(t + 3 * MINUTE) },
    ]);
    await store.insert([row('6', t + 65 * MINUTE, 'u-1', 'a')]);
    const { rows } = await db.pool.query<{ message_id: string; type: string | null }>('SELECT message_id, type FROM etl.events ORDER BY message_id');
    expect(rows.map((r) => r.type)).toEqual([null, null, null, null, null, 'track']);
    expect((await identities(db))[0]!.last_seen).toEqual(new Date(t + 65 * MINUTE));
  });
});

describe('a link that arrives late, through the CLI (`etl collect`, `etl read`, `etl backfill`)', () => {


  it('a day read before the identify counts 2 users; the backfill of the day after it counts 1', async () => {
    const metrics = await createTestDatabase('etl_identity_cli');
    onTestFinished(() => metrics.drop());
    const dir = mkdtempSync(join(scratch, 'cli-'));
    writeFileSync(
      join(dir, 'etl.config.json'),
      JSON.stringify({ timeZone: 'UTC', collector: { port: 0, writeKeys: [{ name: 'server', key: '${COLLECTOR_KEY}' }] }, readers: { collectedEvents: {} } }),
    );
    const env = { DATABASE_URL: metrics.url, COLLECTOR_KEY: KEY, ETL_DATA_DIR: join(dir, 'data') };
    const collect = runner.start(process.execPath, [bin, 'collect'], { cwd: dir, env });
    const { analytics, errors } = segment(await collectorUrlOf(collect));
    const base = pastHour();
    const at = (minutes: number): Date => new Date(base + minutes * MINUTE);
    const date = new Date(base).toISOString().slice(0, 10);
    const hour = new Date(base).getUTCHours();
    analytics.track({ anonymousId: 'anon-late', event: 'Opened', timestamp: at(1) });
    analytics.track({ userId: 'u-late', event: 'Opened', timestamp: at(20) });
    await analytics.flush({ timeout: 10_000 });

    const users = async (): Promise<Record<string, number>> => {
      const { rows } = await metrics.pool.query<{ grain: string; value: number }>(
        `SELECT 'day' AS grain, v.value FROM etl.daily_value v JOIN etl.metric m ON m.id = v.metric_id WHERE m.name = 'events.opened.users' AND v.date = $1
         UNION ALL SELECT 'hour', v.value FROM etl.hourly_value v JOIN etl.metric m ON m.id = v.metric_id WHERE m.name = 'events.opened.users' AND v.date = $1 AND v.hour = $2`,
        [date, hour],
      );
      return Object.fromEntries(rows.map((r) => [r.grain, r.value]));
    };
    const first = runner.runSync(process.execPath, [bin, 'read', 'collected-events', '--write', '--from', date], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    expect(await users()).toEqual({ day: 2, hour: 2 });

    // The identify arrives after the day was read (a server that sends it later): the stored day is unchanged...
    analytics.identify({ userId: 'u-late', anonymousId: 'anon-late', timestamp: at(10) });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);
    expect(await users()).toEqual({ day: 2, hour: 2 });
    // ...until the day is read again: the backfill replaces its window.
    const backfill = runner.runSync(process.execPath, [bin, 'backfill', 'collected-events', '--from', date, '--to', date], { cwd: dir, env });
    expect(backfill.code, backfill.stdout + backfill.stderr).toBe(0);
    expect(await users()).toEqual({ day: 1, hour: 1 });
    collect.kill('SIGTERM');
    expect((await collect.done).code).toBe(0);
  });
});
