import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../graph/errors.js';
import type { MetricRow } from '../metrics/row.js';
import { nextDate, startOfDay } from '../metrics/time.js';
import { backfillWindow, currentWindow, type ReadWindow } from '../metrics/window.js';
import { createTestDatabase, type TestDatabase } from '../test/support/pg.js';
import { dimensionsSql } from './events-dimensions-sql.js';
import { eventsReader, type EventsReaderOptions } from './events.js';
import { readRows } from '../test/support/read-rows.js';
import type { SqlClient } from './sql-client.js';

const TZ = 'Europe/Paris';
/** The raw events table of the collector (issue 12), with a `plan` column besides the properties. */
const RAW_TABLE = `CREATE TABLE events (time timestamptz NOT NULL, event text, user_id text, anonymous_id text, duration double precision NULL,
  message_id text UNIQUE, properties jsonb, received_at timestamptz, plan text)`;
const COLUMNS = { time: 'time', user: 'user_id', duration: 'duration' } as const;

function days(first: string, last: string): ReadWindow {
  return backfillWindow(startOfDay(first, TZ), startOfDay(nextDate(last), TZ), TZ, Date.UTC(2027, 0, 1));
}
const DAY = days('2026-01-15', '2026-01-15');

const hourly = (rows: MetricRow[], date: string, hour: number) => rows.find((r) => r.dims.date === date && r.dims.hour === hour)?.metrics;
const daily = (rows: MetricRow[], date: string) => rows.find((r) => r.dims.date === date && r.dims.hour === undefined)?.metrics;
/** The metrics of one event and dimension, without the prefix: `{ 'winter.count': 3, ... }`. */
const by = (metrics: Readonly<Record<string, number>> | undefined, event: string, dimension: string) => {
  const prefix = `events.${event}.by_${dimension}.`;
  return Object.fromEntries(Object.entries(metrics ?? {}).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
};
const rowErrors = (run: { nodes: ReadonlyArray<{ name: string; errors: ReadonlyArray<{ error: string }> }> }) => run.nodes.find((n) => n.name === 'reader')!.errors.map((e) => e.error);
const without = (metrics: Readonly<Record<string, number>> | undefined) => Object.fromEntries(Object.entries(metrics ?? {}).filter(([k]) => !k.includes('.by_')));

type Raw = [time: string, event: string, user: string | null, properties: Record<string, unknown> | null, plan?: string | null];

describe('events reader dimensions', () => {
  let db: TestDatabase;
  let statements: string[];
  /** The test database as the reader's SqlClient, recording every statement. */
  const client = (): SqlClient => ({
    query: async <R>(text: string, params?: unknown[]) => {
      statements.push(text);
      return (await db.pool.query(text, params)) as unknown as { rows: R[] };
    },
  });
  const read = async (options: Omit<EventsReaderOptions, 'service' | 'window'> & { window?: ReadWindow }) =>
    readRows(eventsReader({ window: DAY, columns: COLUMNS, ...options }), { website: client() });
  let seq = 0;
  const insert = async (rows: Raw[]) => {
    for (const [time, event, user, properties, plan] of rows) {
      await db.pool.query('INSERT INTO events (time, event, user_id, properties, plan, message_id, received_at) VALUES ($1, $2, $3, $4, $5, $6, now())', [
        time, event, user, properties === null ? null : JSON.stringify(properties), plan ?? null, `m${++seq}`,
      ]);
    }
  };

  beforeEach(async () => {
    statements = [];
    db = await createTestDatabase('etl_events_dims');
    await db.pool.query(RAW_TABLE);
    // Paris is UTC+1 in January: 09:xxZ is 10h, 10:xxZ 11h, 11:xxZ 12h, 12:xxZ 13h.
    await insert([
      ['2026-01-15T09:00:00Z', 'page_view', 'u1', { campaign: 'Summer Sale' }, 'pro'],
      ['2026-01-15T09:10:00Z', 'page_view', 'u2', { campaign: 'Summer Sale' }, 'free'],
      ['2026-01-15T09:20:00Z', 'page_view', 'u3', { campaign: 'Summer Sale' }, 'free'],
      ['2026-01-15T09:30:00Z', 'page_view', 'u1', { campaign: 'Summer Sale' }, 'pro'],
      ['2026-01-15T10:00:00Z', 'page_view', 'u4', { campaign: 'summer_sale' }, 'pro'], // the same value once normalised
      ['2026-01-15T10:10:00Z', 'page_view', 'u1', { campaign: 'winter' }, 'pro'],
      ['2026-01-15T10:20:00Z', 'page_view', 'u5', { campaign: 'winter' }, null],
      ['2026-01-15T10:30:00Z', 'page_view', 'u5', { campaign: 'winter' }, null],
      ['2026-01-15T11:00:00Z', 'page_view', 'u2', { campaign: 'spring' }, 'free'],
      ['2026-01-15T11:10:00Z', 'page_view', 'u6', { campaign: 'spring' }, 'free'],
      ['2026-01-15T11:20:00Z', 'page_view', 'u2', { campaign: 'autumn' }, 'free'], // other: spring + autumn, users u2 and u6
      ['2026-01-15T12:00:00Z', 'page_view', 'u7', {}, 'pro'], // no campaign
      ['2026-01-15T12:10:00Z', 'page_view', null, { campaign: null }, 'pro'], // JSON null, anonymous
      ['2026-01-15T12:20:00Z', 'page_view', 'u8', { campaign: '  ' }, 'pro'], // blank
      ['2026-01-15T12:30:00Z', 'page_view', 'u9', null, ''], // no properties at all
      ['2026-01-15T09:40:00Z', 'signup', 'u1', { campaign: 'winter' }, 'pro'],
      ['2026-01-15T10:40:00Z', 'signup', 'u4', { campaign: 'Summer Sale' }, 'pro'],
    ]);
  });
  afterEach(async () => db.drop());

  it('keeps the top N values per event, sums the rest into other and counts its users distinct; NULL and blank are none', async () => {
    const { rows, run } = await read({ dimensions: ['campaign'], topN: 2 });
    expect(run.status).toBe('succeeded');
    const day = daily(rows, '2026-01-15');
    expect(by(day, 'page_view', 'campaign')).toEqual({
      'summer_sale.count': 5, 'summer_sale.users': 4,
      'winter.count': 3, 'winter.users': 2,
      'other.count': 3, 'other.users': 2, // spring (u2, u6) and autumn (u2): 2 distinct users, not 2 + 1
      'none.count': 4, 'none.users': 3, // no key (u7), JSON null (anonymous), blank (u8), no properties (u9)
    });
    // Every event is in exactly one value.
    const values = by(day, 'page_view', 'campaign');
    const total = Object.entries(values).filter(([k]) => k.endsWith('.count')).reduce((s, [, v]) => s + v, 0);
    expect(total).toBe(day!['events.page_view.count']);
    expect(by(day, 'signup', 'campaign')).toEqual({ 'summer_sale.count': 1, 'summer_sale.users': 1, 'winter.count': 1, 'winter.users': 1 });
  });

  it('gives the same values per local hour, with the day\'s top values and zeros in quiet hours', async () => {
    const { rows } = await read({ dimensions: ['campaign'], topN: 2 });
    const zero = { 'summer_sale.count': 0, 'summer_sale.users': 0, 'winter.count': 0, 'winter.users': 0, 'other.count': 0, 'other.users': 0, 'none.count': 0, 'none.users': 0 };
    expect(by(hourly(rows, '2026-01-15', 10), 'page_view', 'campaign')).toEqual({ ...zero, 'summer_sale.count': 4, 'summer_sale.users': 3 });
    expect(by(hourly(rows, '2026-01-15', 11), 'page_view', 'campaign')).toEqual({ ...zero, 'summer_sale.count': 1, 'summer_sale.users': 1, 'winter.count': 3, 'winter.users': 2 });
    expect(by(hourly(rows, '2026-01-15', 12), 'page_view', 'campaign')).toEqual({ ...zero, 'other.count': 3, 'other.users': 2 });
    expect(by(hourly(rows, '2026-01-15', 13), 'page_view', 'campaign')).toEqual({ ...zero, 'none.count': 4, 'none.users': 3 });
    expect(by(hourly(rows, '2026-01-15', 3), 'page_view', 'campaign')).toEqual(zero);
    expect(rows.filter((r) => r.dims.hour !== undefined)).toHaveLength(24);
  });

  it('leaves the other metrics exactly as without dimensions', async () => {
    const plain = await read({});
    expect(statements).toHaveLength(2); // without dimensions: the daily and the hourly statement, nothing else
    const withDimensions = await read({ dimensions: ['campaign', 'plan'], topN: 1 });
    expect(withDimensions.rows.map((r) => ({ dims: r.dims, metrics: without(r.metrics) }))).toEqual(plain.rows);
  });

  it('reads a column or a properties key: a bare name is a column if the table has one, else a key; explicit forms too', async () => {
    statements = [];
    const { rows } = await read({
      dimensions: ['plan', { name: 'Campaign Key', key: 'campaign', topN: 1 }, { name: 'tier', column: 'plan' }, 'missing'],
      events: ['signup', 'page_view'],
      hourly: false,
    });
    const day = daily(rows, '2026-01-15');
    // plan is a column: '' and NULL are none.
    expect(by(day, 'page_view', 'plan')).toEqual({ 'pro.count': 7, 'pro.users': 4, 'free.count': 5, 'free.users': 3, 'none.count': 3, 'none.users': 2 });
    expect(by(day, 'page_view', 'tier')).toEqual(by(day, 'page_view', 'plan'));
    expect(by(day, 'page_view', 'campaign_key')).toEqual({ 'summer_sale.count': 5, 'summer_sale.users': 4, 'other.count': 6, 'other.users': 4, 'none.count': 4, 'none.users': 3 });
    expect(by(day, 'signup', 'plan')).toEqual({ 'pro.count': 2, 'pro.users': 2 });
    // A key no event has: every event is none.
    expect(by(day, 'signup', 'missing')).toEqual({ 'none.count': 2, 'none.users': 2 });
    // One catalog statement for the bare names, then the daily statement (which ranks); no hourly ones.
    expect(statements).toHaveLength(3);
    expect(statements[1]).toMatch(/pg_catalog\.pg_attribute/);
  });

  it('puts events on their local date and hour in Europe/Paris, and ranks over the whole window', async () => {
    await insert([
      ['2026-01-14T22:59:59.999Z', 'login', 'u1', { campaign: 'late' }], // 23:59:59 on the 14th in Paris
      ['2026-01-14T23:00:00Z', 'login', 'u2', { campaign: 'late' }], // 00:00 on the 15th
      ['2026-01-14T23:30:00Z', 'login', 'u3', { campaign: 'early' }],
      ['2026-01-14T10:00:00Z', 'login', 'u4', { campaign: 'early' }],
      ['2026-01-14T11:00:00Z', 'login', 'u5', { campaign: 'early' }],
      ['2026-01-14T12:00:00Z', 'login', 'u6', { campaign: 'rare' }],
    ]);
    const { rows } = await read({ window: days('2026-01-14', '2026-01-15'), dimensions: ['campaign'], topN: 2, events: ['login'] });
    expect(by(daily(rows, '2026-01-14'), 'login', 'campaign')).toEqual({ 'early.count': 2, 'early.users': 2, 'late.count': 1, 'late.users': 1, 'other.count': 1, 'other.users': 1 });
    expect(by(daily(rows, '2026-01-15'), 'login', 'campaign')).toEqual({ 'early.count': 1, 'early.users': 1, 'late.count': 1, 'late.users': 1, 'other.count': 0, 'other.users': 0 });
    expect(by(hourly(rows, '2026-01-14', 23), 'login', 'campaign')).toMatchObject({ 'late.count': 1, 'early.count': 0 });
    expect(by(hourly(rows, '2026-01-15', 0), 'login', 'campaign')).toMatchObject({ 'late.count': 1, 'early.count': 1 });
    // In UTC the same events are all on the 14th.
    const utc = await read({ window: backfillWindow(Date.UTC(2026, 0, 14), Date.UTC(2026, 0, 15), 'UTC', Date.UTC(2027, 0, 1)), dimensions: ['campaign'], topN: 2, events: ['login'] });
    expect(by(daily(utc.rows, '2026-01-14'), 'login', 'campaign')).toEqual({ 'early.count': 3, 'early.users': 3, 'late.count': 2, 'late.users': 2, 'other.count': 1, 'other.users': 1 });
  });

  it('for the current window, ranks over the day so far and reads the settle hour with those values', async () => {
    const now = Date.parse('2026-01-15T12:45:00Z'); // 13:45 in Paris: hours 12 and 13 are read
    const { rows } = await read({ window: currentWindow(now, TZ), dimensions: ['campaign'], topN: 2, events: ['page_view'] });
    expect(rows.map((r) => r.dims)).toEqual([{ date: '2026-01-15', hour: 12 }, { date: '2026-01-15', hour: 13 }, { date: '2026-01-15' }]);
    expect(by(hourly(rows, '2026-01-15', 12), 'page_view', 'campaign')).toMatchObject({ 'summer_sale.count': 0, 'other.count': 3, 'other.users': 2 });
    expect(by(hourly(rows, '2026-01-15', 13), 'page_view', 'campaign')).toMatchObject({ 'none.count': 4, 'winter.count': 0 });
  });

  it('hourly only still ranks over the whole days; a DST fall-back day has one bucket for the repeated hour', async () => {
    const { rows } = await read({ dimensions: ['campaign'], topN: 1, daily: false, events: ['page_view'] });
    expect(rows.every((r) => r.dims.hour !== undefined)).toBe(true);
    expect(by(hourly(rows, '2026-01-15', 11), 'page_view', 'campaign')).toEqual({
      'summer_sale.count': 1, 'summer_sale.users': 1, 'other.count': 3, 'other.users': 2, 'none.count': 0, 'none.users': 0,
    });
    await insert([
      ['2026-10-25T00:30:00Z', 'login', 'u1', { campaign: 'dst' }], // 02:30 CEST
      ['2026-10-25T01:30:00Z', 'login', 'u2', { campaign: 'dst' }], // 02:30 CET, the same local hour
    ]);
    const fall = await read({ window: days('2026-10-25', '2026-10-25'), dimensions: ['campaign'], events: ['login'] });
    expect(fall.rows.filter((r) => r.dims.hour !== undefined)).toHaveLength(24);
    expect(by(hourly(fall.rows, '2026-10-25', 2), 'login', 'campaign')).toEqual({ 'dst.count': 2, 'dst.users': 2 });
    expect(by(daily(fall.rows, '2026-10-25'), 'login', 'campaign')).toEqual({ 'dst.count': 2, 'dst.users': 2 });
  });

  it('events merged by name are merged in their dimension metrics too; an empty name gets none', async () => {
    await insert([
      ['2026-01-15T09:00:00Z', 'Page View', 'u1', { campaign: 'merged' }],
      ['2026-01-15T09:00:00Z', 'Page View', 'u9', { campaign: 'Summer Sale' }],
      ['2026-01-15T09:00:00Z', '', 'u1', { campaign: 'empty' }],
    ]);
    const { rows, run } = await read({ dimensions: ['campaign'], hourly: false, events: ['page_view', 'Page View'], onWarning: () => undefined });
    expect(run.nodes.find((n) => n.name === 'reader')!.err).toBe(0);
    const day = daily(rows, '2026-01-15')!;
    expect(by(day, 'page_view', 'campaign')).toMatchObject({ 'merged.count': 1, 'merged.users': 1, 'summer_sale.count': 6, 'summer_sale.users': 5, 'winter.count': 3, 'spring.count': 2, 'autumn.count': 1 });
    const empty = await read({ dimensions: ['campaign'], hourly: false, onWarning: () => undefined });
    expect(rowErrors(empty.run)).toEqual(expect.arrayContaining([expect.stringMatching(/an event has an empty name/)]));
    expect(Object.keys(daily(empty.rows, '2026-01-15')!).filter((k) => k.includes('empty'))).toEqual([]);
  });

  it('values that normalise to other or none count in that bucket; ties rank by name', async () => {
    await insert([
      ['2026-01-15T14:00:00Z', 'click', 'a', { campaign: 'Other' }],
      ['2026-01-15T14:00:01Z', 'click', 'b', { campaign: 'other' }],
      ['2026-01-15T14:00:02Z', 'click', 'c', { campaign: 'NONE' }],
      ['2026-01-15T14:00:03Z', 'click', 'd', { campaign: 'b' }],
      ['2026-01-15T14:00:04Z', 'click', 'e', { campaign: 'a' }],
      ['2026-01-15T14:00:05Z', 'click', 'f', { campaign: 'c' }],
      ['2026-01-15T14:00:06Z', 'click', 'g', { campaign: 42 }],
      ['2026-01-15T14:00:07Z', 'click', 'g', { campaign: 42 }],
      ['2026-01-15T14:00:08Z', 'click', 'h', { campaign: 'x'.repeat(100) }],
    ]);
    const { rows } = await read({ dimensions: ['campaign'], topN: 3, events: ['click'], hourly: false });
    expect(by(daily(rows, '2026-01-15'), 'click', 'campaign')).toEqual({
      '42.count': 2, '42.users': 1, 'a.count': 1, 'a.users': 1, 'b.count': 1, 'b.users': 1,
      'other.count': 4, 'other.users': 4, 'none.count': 1, 'none.users': 1,
    });
    const long = await read({ dimensions: ['campaign'], topN: 10, events: ['click'], hourly: false });
    expect(Object.keys(daily(long.rows, '2026-01-15')!)).toContain(`events.click.by_campaign.${'x'.repeat(64)}.count`);
  });

  it('keeps injection-looking property names, values and column names as data', async () => {
    const evilKey = `campaign'); DROP TABLE events; --`;
    const evilColumn = `plan"; DROP TABLE events; --`;
    await db.pool.query('ALTER TABLE events ADD COLUMN "plan""; DROP TABLE events; --" text');
    await insert([
      ['2026-01-15T15:00:00Z', 'hack', 'u1', { [evilKey]: `'; DELETE FROM events; --`, campaign: `$1) OR (1=1` }],
      ['2026-01-15T15:01:00Z', 'hack', 'u2', { [evilKey]: `Robert'); DROP TABLE students;--` }],
    ]);
    await db.pool.query(`UPDATE events SET "plan""; DROP TABLE events; --" = $1 WHERE event = 'hack'`, ["x'y"]);
    const { rows, run } = await read({ dimensions: [evilKey, { name: 'evil', column: evilColumn }, 'campaign'], events: ['hack'] });
    expect(run.error).toBeNull();
    const day = daily(rows, '2026-01-15');
    expect(by(day, 'hack', 'campaign____drop_table_events__--')).toEqual({
      '___delete_from_events__--.count': 1, '___delete_from_events__--.users': 1,
      'robert____drop_table_students_--.count': 1, 'robert____drop_table_students_--.users': 1,
    });
    expect(by(day, 'hack', 'evil')).toEqual({ 'x_y.count': 2, 'x_y.users': 2 });
    expect(by(day, 'hack', 'campaign')).toEqual({ '_1__or__1_1.count': 1, '_1__or__1_1.users': 1, 'none.count': 1, 'none.users': 1 });
    expect(by(hourly(rows, '2026-01-15', 16), 'hack', 'evil')).toEqual({ 'x_y.count': 2, 'x_y.users': 2 });
    const { rows: left } = await db.pool.query('SELECT count(*)::int AS n FROM events');
    expect(left[0].n).toBe(19);
  });

  it('a properties key on a table without the properties column fails naming the dimension', async () => {
    await db.pool.query('CREATE TABLE plain (created_at timestamptz, event text, user_id int, campaign_id int)');
    const { run } = await readRows(eventsReader({ window: DAY, table: 'plain', dimensions: ['campaign_id', 'campaign'] }), { website: db.pool });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/ReaderError: reader 'events': dimension 'campaign' is not a column of plain, which has no properties column 'properties' \(columns\.properties\)$/);
  });
});

describe('events reader dimensions: SQL and options', () => {
  it('builds parameterised statements: values and keys in $n, identifiers quoted', () => {
    const table = { table: 'app.Events', time: 'At', event: 'Name', user: 'Uid', properties: 'Props', events: ['a'] };
    const q = dimensionsSql('day', { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 2) }, TZ, table, [
      { name: 'campaign', source: { key: "x'y" }, topN: 3 },
      { name: 'plan', source: { column: 'Pl"an' }, topN: 5 },
    ]);
    expect(q.params).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', TZ, ['a'], "x'y", [3, 5]]);
    expect(q.text).toContain(`FROM "app"."Events" e WHERE e."At" >= $1::timestamptz AND e."At" < $2::timestamptz AND e."Name" IS NOT NULL AND e."Name" = ANY($4::text[])`);
    expect(q.text).toContain(`e."Props" ->> $5::text AS v1, e."Pl""an"::text AS v2`);
    expect(q.text).toContain(`WHERE s.rank <= ($6::int[])[s.k]`);
    expect(q.text).not.toMatch(/x'y/);
    const top = dimensionsSql('hour', { from: 0, to: 1 }, TZ, table, [{ name: 'campaign', source: { key: 'c' }, topN: 3 }], { events: ['a'], dimensions: [1], values: ['v'] });
    expect(top.params.slice(3)).toEqual([['a'], 'c', ['a'], [1], ['v']]);
    expect(top.text).toContain('unnest($6::text[], $7::int[], $8::text[]) AS r(e, k, n)');
    expect(top.text).toContain('extract(hour FROM x.t)::int AS hour');
  });

  it('checks dimensions and topN when built', () => {
    const build = (options: Partial<EventsReaderOptions>) => () => eventsReader({ window: DAY, ...options });
    expect(build({ dimensions: ['campaign', 'Campaign'] })).toThrow(/events reader: dimensions 'campaign' and 'Campaign' both become metric name part 'by_campaign'/);
    expect(build({ dimensions: [{ name: 'c', column: 'a', key: 'b' }] })).toThrow(/'dimensions\[0\]' \('c'\): give 'column' or 'key', not both/);
    expect(build({ dimensions: [' '] })).toThrow(ConfigError);
    expect(build({ dimensions: ['c'], topN: 0 })).toThrow(/'topN' must be an integer from 1 to 1000 \(got 0\)/);
    expect(build({ dimensions: [{ name: 'c', topN: 2.5 }] })).toThrow(/'dimensions\[0\]'.topN must be an integer/);
    expect(build({ dimensions: [{ name: 'c', column: '' }] })).toThrow(/'dimensions\[0\]'.column must be a non-empty string/);
    expect(build({ dimensions: ['c'], columns: { properties: 'a\0b' } })).toThrow(/events reader: invalid SQL identifier/);
    expect(build({ dimensions: [] })).not.toThrow();
  });
});
