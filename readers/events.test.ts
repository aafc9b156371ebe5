import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../graph/errors.js';
import { backfillWindow, currentWindow } from '../metrics/window.js';
import { createTestDatabase, type TestDatabase } from '../test/support/pg.js';
import { eventsReader, type EventsReaderOptions } from './events.js';
import { readRows } from '../test/support/read-rows.js';
import { daily, days, hourly, rowErrors, TZ } from '../test/support/events-rows.js';

const COLUMNS = { duration: 'duration_ms' } as const;

describe('events reader', () => {
  let db: TestDatabase;
  const read = async (options: Omit<EventsReaderOptions, 'service'>) => readRows(eventsReader(options), { website: db.pool });
  const insert = async (rows: Array<[string, string, number | null, number | null]>) => {
    for (const row of rows) await db.pool.query('INSERT INTO events (created_at, event, user_id, duration_ms) VALUES ($1, $2, $3, $4)', row);
  };

  beforeEach(async () => {
    db = await createTestDatabase('etl_events');
    await db.pool.query('CREATE TABLE events (id bigserial, created_at timestamptz NOT NULL, event text, user_id int, duration_ms int)');
    await insert([
      ['2026-01-14T22:59:59.999Z', 'signup', 1, null], // 23:59:59 on the 14th in Paris
      ['2026-01-14T23:00:00Z', 'signup', 2, null], // 00:00 on the 15th in Paris
      ['2026-01-14T23:30:00Z', 'signup', 1, null],
      ['2026-01-15T09:10:00Z', 'page_view', 1, null], // Paris 10h
      ['2026-01-15T09:20:00Z', 'page_view', 1, null],
      ['2026-01-15T10:05:00Z', 'page_view', 1, null], // Paris 11h
      ['2026-01-15T10:06:00Z', 'page_view', 3, null],
      ['2026-01-15T10:07:00Z', 'page_view', null, null], // anonymous: an event, not a user
      ['2026-01-15T11:00:00Z', null as unknown as string, 4, null], // no event name: ignored
    ]);
    // 21 timed searches in Paris 13h, durations 0, 10, ..., 200 ms.
    for (let i = 0; i <= 20; i++) await insert([[new Date(Date.UTC(2026, 0, 15, 12, 0, i)).toISOString(), 'search', i % 5, i * 10]]);
  });
  afterEach(async () => db.drop());

  it('aggregates per local hour and per local day, with events near midnight on the right date', async () => {
    const { rows, run } = await read({ window: days('2026-01-14', '2026-01-15'), columns: COLUMNS });
    expect(run.status).toBe('succeeded');
    expect(rows.filter((r) => r.dims.hour !== undefined)).toHaveLength(48);
    expect(hourly(rows, '2026-01-14', 23)).toEqual({ 'events.signup.count': 1, 'events.signup.users': 1, 'events.page_view.count': 0, 'events.page_view.users': 0, 'events.search.count': 0, 'events.search.users': 0 });
    expect(hourly(rows, '2026-01-15', 0)).toMatchObject({ 'events.signup.count': 2, 'events.signup.users': 2 });
    expect(hourly(rows, '2026-01-15', 10)).toMatchObject({ 'events.page_view.count': 2, 'events.page_view.users': 1 });
    expect(hourly(rows, '2026-01-15', 11)).toMatchObject({ 'events.page_view.count': 3, 'events.page_view.users': 2 });
    expect(hourly(rows, '2026-01-15', 13)).toEqual({
      'events.search.count': 21,
      'events.search.users': 5,
      'events.search.duration_avg': 100,
      'events.search.duration_p50': 100,
      'events.search.duration_p95': 190,
      'events.page_view.count': 0,
      'events.page_view.users': 0,
      'events.signup.count': 0,
      'events.signup.users': 0,
    });
    expect(daily(rows, '2026-01-14')).toEqual({ 'events.signup.count': 1, 'events.signup.users': 1, 'events.page_view.count': 0, 'events.page_view.users': 0, 'events.search.count': 0, 'events.search.users': 0 });
    // Distinct users over the day (users 1 and 3), not the sum of hourly figures (1 + 2).
    expect(daily(rows, '2026-01-15')).toEqual({
      'events.signup.count': 2,
      'events.signup.users': 2,
      'events.page_view.count': 5,
      'events.page_view.users': 2,
      'events.search.count': 21,
      'events.search.users': 5,
      'events.search.duration_avg': 100,
      'events.search.duration_p50': 100,
      'events.search.duration_p95': 190,
    });
    expect(rows.filter((r) => r.dims.hour === undefined).map((r) => r.dims.date)).toEqual(['2026-01-14', '2026-01-15']);
  });

  it('in UTC the same events fall on other dates', async () => {
    const window = backfillWindow(Date.UTC(2026, 0, 14), Date.UTC(2026, 0, 16), 'UTC', Date.UTC(2027, 0, 1));
    const { rows } = await read({ window, events: ['signup'] });
    expect(daily(rows, '2026-01-14')).toEqual({ 'events.signup.count': 3, 'events.signup.users': 2 });
    expect(daily(rows, '2026-01-15')).toEqual({ 'events.signup.count': 0, 'events.signup.users': 0 });
    expect(hourly(rows, '2026-01-14', 22)).toEqual({ 'events.signup.count': 1, 'events.signup.users': 1 });
    expect(hourly(rows, '2026-01-14', 23)).toEqual({ 'events.signup.count': 2, 'events.signup.users': 2 });
  });

  it('follows DST: 25 instants but 24 local hours on a fall-back day, 23 on a spring-forward day', async () => {
    await insert([
      ['2026-10-25T00:30:00Z', 'login', 1, null], // 02:30 CEST
      ['2026-10-25T01:30:00Z', 'login', 2, null], // 02:30 CET, the same local hour
      ['2026-03-29T00:59:00Z', 'login', 1, null], // 01:59 CET
      ['2026-03-29T01:00:00Z', 'login', 1, null], // 03:00 CEST
    ]);
    const fall = await read({ window: days('2026-10-25', '2026-10-25'), events: ['login'] });
    const fallHours = fall.rows.filter((r) => r.dims.hour !== undefined);
    expect(fallHours.map((r) => r.dims.hour)).toEqual([...Array(24).keys()]);
    expect(hourly(fall.rows, '2026-10-25', 2)).toEqual({ 'events.login.count': 2, 'events.login.users': 2 });
    expect(daily(fall.rows, '2026-10-25')).toEqual({ 'events.login.count': 2, 'events.login.users': 2 });

    const spring = await read({ window: days('2026-03-29', '2026-03-29'), events: ['login'] });
    expect(spring.rows.filter((r) => r.dims.hour !== undefined).map((r) => r.dims.hour)).toEqual([0, 1, ...Array.from({ length: 21 }, (_, i) => i + 3)]);
    expect(hourly(spring.rows, '2026-03-29', 1)).toEqual({ 'events.login.count': 1, 'events.login.users': 1 });
    expect(hourly(spring.rows, '2026-03-29', 3)).toEqual({ 'events.login.count': 1, 'events.login.users': 1 });
  });

  it('for the current window, re-reads the previous hour and its day', async () => {
    const now = Date.UTC(2026, 0, 14, 23, 10); // 00:10 on the 15th in Paris
    const { rows } = await read({ window: currentWindow(now, TZ), events: ['signup'] });
    expect(rows).toEqual([
      { dims: { date: '2026-01-14', hour: 23 }, metrics: { 'events.signup.count': 1, 'events.signup.users': 1 } },
      { dims: { date: '2026-01-15', hour: 0 }, metrics: { 'events.signup.count': 2, 'events.signup.users': 2 } },
      { dims: { date: '2026-01-14' }, metrics: { 'events.signup.count': 1, 'events.signup.users': 1 } },
      { dims: { date: '2026-01-15' }, metrics: { 'events.signup.count': 2, 'events.signup.users': 2 } },
    ]);
    const only = await read({ window: currentWindow(now, TZ), events: ['signup'], settleHours: 0, daily: false });
    expect(only.rows).toEqual([{ dims: { date: '2026-01-15', hour: 0 }, metrics: { 'events.signup.count': 2, 'events.signup.users': 2 } }]);
  });

  it('limits events and timed events to the configured lists', async () => {
    const { rows } = await read({ window: days('2026-01-15', '2026-01-15'), columns: COLUMNS, events: ['search', 'checkout'], timedEvents: ['checkout'], hourly: false });
    expect(rows).toEqual([{ dims: { date: '2026-01-15' }, metrics: { 'events.search.count': 21, 'events.search.users': 5, 'events.checkout.count': 0, 'events.checkout.users': 0 } }]);
  });

  it('reads a configured table and columns; injection-looking names stay names', async () => {
    await db.pool.query(`CREATE SCHEMA app; CREATE TABLE app."Events" ("At" timestamptz, "Name" text, "Uid" text);
      INSERT INTO app."Events" VALUES ('2026-01-15T08:00:00Z', 'Sign Up', 'u1'), ('2026-01-15T08:30:00Z', 'Sign Up', 'u2')`);
    const window = days('2026-01-15', '2026-01-15');
    const { rows } = await read({ window, table: 'app.Events', columns: { time: 'At', event: 'Name', user: 'Uid' }, hourly: false });
    expect(rows).toEqual([{ dims: { date: '2026-01-15' }, metrics: { 'events.sign_up.count': 2, 'events.sign_up.users': 2 } }]);

    const evil = await read({ window, columns: { time: 'created_at"; DROP TABLE events; --' } });
    expect(evil.run.error).toMatch(/ReaderError: reader 'events': query failed .*: column e\.created_at"; DROP TABLE events; -- does not exist$/);
    const { rows: left } = await db.pool.query('SELECT count(*)::int AS n FROM events');
    expect(left[0].n).toBe(30);
  });

  it('merges events whose names become one metric name: counts added, users and durations over all, and says so', async () => {
    await insert([
      ['2026-01-15T09:15:00Z', 'Page View', 9, null], // Paris 10h, with page_view
      ['2026-01-15T09:16:00Z', 'PAGE VIEW', 1, null], // user 1 is a page_view user too: counted once
      ['2026-01-15T12:00:30Z', 'Search', 7, 400], // Paris 13h, with 21 timed searches
    ]);
    const warnings: string[] = [];
    const { rows, run } = await read({ window: days('2026-01-15', '2026-01-15'), columns: COLUMNS, events: ['page_view', 'Page View', 'PAGE VIEW'], onWarning: (m) => warnings.push(m) });
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    expect(hourly(rows, '2026-01-15', 10)).toEqual({ 'events.page_view.count': 4, 'events.page_view.users': 2 });
    expect(daily(rows, '2026-01-15')).toEqual({ 'events.page_view.count': 7, 'events.page_view.users': 3 });
    const all = await read({ window: days('2026-01-15', '2026-01-15'), columns: COLUMNS, hourly: false, onWarning: (m) => warnings.push(m) });
    expect(daily(all.rows, '2026-01-15')).toMatchObject({ 'events.search.count': 22, 'events.search.users': 6, 'events.search.duration_avg': (2100 + 400) / 22 });
    expect(warnings).toEqual([
      "reader 'events': events 'PAGE VIEW', 'Page View' and 'page_view' are one metric name, events.page_view: their counts are added, their users (distinct) and durations taken over all of them",
      "reader 'events': events 'PAGE VIEW', 'Page View' and 'page_view' are one metric name, events.page_view: their counts are added, their users (distinct) and durations taken over all of them",
      "reader 'events': events 'Search' and 'search' are one metric name, events.search: their counts are added, their users (distinct) and durations taken over all of them",
    ]);
  });

  it('an event with an empty or all-whitespace name is a row error, once per name, and never a metric', async () => {
    await insert([
      ['2026-01-15T08:00:00Z', '', 1, null],
      ['2026-01-15T08:10:00Z', '', 2, null],
      ['2026-01-15T09:00:00Z', '  ', 1, null],
    ]);
    const { rows, run } = await read({ window: days('2026-01-15', '2026-01-15'), columns: COLUMNS });
    const { err, errors } = rowErrors(run);
    expect(err).toBe(2);
    expect([...errors].sort()).toEqual([
      `ReaderError: reader 'events': an event has an empty name ("  ": 1 event on 2026-01-15) — skipped`,
      `ReaderError: reader 'events': an event has an empty name ("": 2 events on 2026-01-15) — skipped`,
    ]);
    expect(rows).toHaveLength(25);
    const names = new Set(rows.flatMap((r) => Object.keys(r.metrics)).map((key) => key.split('.')[1]));
    expect([...names].sort()).toEqual(['page_view', 'search', 'signup']);
    expect(daily(rows, '2026-01-15')).toMatchObject({ 'events.signup.count': 2, 'events.page_view.count': 5, 'events.search.count': 21, 'events.search.duration_avg': 100 });
    expect(hourly(rows, '2026-01-15', 9)).toEqual({ 'events.signup.count': 0, 'events.signup.users': 0, 'events.page_view.count': 0, 'events.page_view.users': 0, 'events.search.count': 0, 'events.search.users': 0 });
    // Configured lists must name events too.
    expect(() => eventsReader({ window: days('2026-01-15', '2026-01-15'), events: ['  '] })).toThrow(/'events' must be a list of event names/);
  });

  it('checks its options when built', () => {
    const window = days('2026-01-15', '2026-01-15');
    expect(() => eventsReader({ window, settleHours: -1 })).toThrow(ConfigError);
    expect(() => eventsReader({ window, table: '' })).toThrow(/events reader: invalid SQL table name/);
    expect(() => eventsReader({ window, events: [''] })).toThrow(/'events' must be a list/);
  });

  it('a source database that cannot be reached fails naming the reader, never the password', async () => {
    const pool = new pg.Pool({ connectionString: 'postgres://metrics:t0psecret@127.0.0.1:1/website' });
    const { run } = await readRows(eventsReader({ window: days('2026-01-15', '2026-01-15') }), { website: pool });
    await pool.end();
    expect(run.status).toBe('failed');
    expect(run.error).toBe(
      "job 'read': node 'reader' failed: ReaderError: reader 'events': cannot connect to the source database (service 'website' at postgres://metrics@127.0.0.1:1/website): connect ECONNREFUSED 127.0.0.1:1",
    );
  });
});
