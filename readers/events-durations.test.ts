// events reader, durations: exact means, non-finite source durations and aggregates, order-independent results.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/support/pg.js';
import { readRows } from '../test/support/read-rows.js';
import { daily, days, hourly, rowErrors } from '../test/support/events-rows.js';
import { eventsReader, type EventsReaderOptions } from './events.js';


/** A seeded Fisher-Yates shuffle, so the insertion order is the same on every run. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('events reader durations', () => {
  let db: TestDatabase;
  const read = async (options: Omit<EventsReaderOptions, 'service'>) => readRows(eventsReader(options), { website: db.pool });

  /** A table whose durations can hold what an int cannot: `secs` float8 (NaN, Infinity), `exact` numeric (1e400). */
  const timings = async (rows: Array<[string, string, number | null, number | string | null, string | null]>) => {
    await db.pool.query('CREATE TABLE IF NOT EXISTS timings (created_at timestamptz NOT NULL, event text, user_id int, secs float8, exact numeric)');
    const column = (k: number) => rows.map((r) => (r[k] === null ? null : String(r[k])));
    await db.pool.query(
      'INSERT INTO timings SELECT t, e, u, s::float8, x::numeric FROM unnest($1::timestamptz[], $2::text[], $3::int[], $4::text[], $5::text[]) AS r(t, e, u, s, x)',
      [0, 1, 2, 3, 4].map(column),
    );
  };

  beforeEach(async () => {
    db = await createTestDatabase('etl_events_durations');
  });
  afterEach(async () => db.drop());

  it('averages durations in numeric: 1e200 and 5 give 5e199 instead of failing every events metric', async () => {
    await timings([
      ['2026-01-15T12:00:00Z', 'search', 1, 1e200, null],
      ['2026-01-15T12:01:00Z', 'search', 2, 5, null],
      ['2026-01-15T12:02:00Z', 'login', 1, 7, null],
    ]);
    const { rows, run } = await read({ window: days('2026-01-15', '2026-01-15'), table: 'timings', columns: { duration: 'secs' } });
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    const expected = {
      'events.search.count': 2,
      'events.search.users': 2,
      'events.search.duration_avg': 5e199,
      'events.search.duration_p50': 5e199,
      'events.search.duration_p95': 5 + 0.95 * (1e200 - 5),
      'events.login.count': 1,
      'events.login.users': 1,
      'events.login.duration_avg': 7,
      'events.login.duration_p50': 7,
      'events.login.duration_p95': 7,
    };
    expect(hourly(rows, '2026-01-15', 13)).toEqual(expected);
    expect(daily(rows, '2026-01-15')).toEqual(expected);
  });

  it('a non-finite duration is a row error per source row; an aggregate beyond the double range one per metric and bucket', async () => {
    await timings([
      ['2026-01-15T12:00:00Z', 'search', 1, 1, '1'],
      ['2026-01-15T12:01:00Z', 'search', 2, 3, '3'],
      ['2026-01-15T12:02:00Z', 'search', 3, 'NaN', 'NaN'],
      ['2026-01-15T12:03:00Z', 'upload', 1, 'Infinity', '5'],
      ['2026-01-15T12:04:00Z', 'upload', 1, 10, '10'],
      ['2026-01-15T12:05:00Z', 'export', 1, 1, '1e400'],
      ['2026-01-15T12:06:00Z', 'export', 2, 2, '2'],
      ['2026-01-15T12:07:00Z', 'export', 2, 3, '3'],
      ['2026-01-15T12:08:00Z', 'login', 1, 4, '4'],
      ['2026-01-15T12:09:00Z', 'login', 2, 6, '6'],
    ]);
    const window = days('2026-01-15', '2026-01-15');
    const login = { 'events.login.count': 2, 'events.login.users': 2, 'events.login.duration_avg': 5, 'events.login.duration_p50': 5, 'events.login.duration_p95': 5.9 };

    // float8 durations NaN, Infinity and -Infinity: one row error per source row, left out of the timings.
    await timings([['2026-01-15T12:10:00Z', 'upload', 2, '-Infinity', null]]);
    const secs = await read({ window, table: 'timings', columns: { duration: 'secs' }, events: ['search', 'upload', 'login'], hourly: false });
    expect(secs.run.status).toBe('failed');
    expect(rowErrors(secs.run)).toEqual({
      err: 3,
      errors: [
        "ReaderError: reader 'events': event 'search' on 2026-01-15: duration: not a finite number (NaN); left out of events.search.duration_*",
        "ReaderError: reader 'events': event 'upload' on 2026-01-15: duration: not a finite number (Infinity); left out of events.upload.duration_*",
        "ReaderError: reader 'events': event 'upload' on 2026-01-15: duration: not a finite number (-Infinity); left out of events.upload.duration_*",
      ],
    });
    const search = { 'events.search.count': 3, 'events.search.users': 3, 'events.search.duration_avg': 2, 'events.search.duration_p50': 2, 'events.search.duration_p95': 2.9 };
    const upload = { 'events.upload.count': 3, 'events.upload.users': 2, 'events.upload.duration_avg': 10, 'events.upload.duration_p50': 10, 'events.upload.duration_p95': 10 };
    expect(secs.rows).toEqual([{ dims: { date: '2026-01-15' }, metrics: { ...login, ...search, ...upload } }]);

    // numeric durations beyond the range of a double (a float8 cast would fail the whole statement).
    const exact = await read({ window, table: 'timings', columns: { duration: 'exact' }, events: ['export', 'login'] });
    expect(rowErrors(exact.run)).toEqual({
      err: 4,
      errors: [
        "ReaderError: reader 'events': metric 'events.export.duration_avg' of event 'export' on 2026-01-15 hour 13: not a finite number: 3.33333e+399 (beyond the range of a double); skipped",
        "ReaderError: reader 'events': metric 'events.export.duration_p95' of event 'export' on 2026-01-15 hour 13: not a finite number: Infinity; skipped",
        "ReaderError: reader 'events': metric 'events.export.duration_avg' of event 'export' on 2026-01-15: not a finite number: 3.33333e+399 (beyond the range of a double); skipped",
        "ReaderError: reader 'events': metric 'events.export.duration_p95' of event 'export' on 2026-01-15: not a finite number: Infinity; skipped",
      ],
    });
    const exported = { ...login, 'events.export.count': 3, 'events.export.users': 2, 'events.export.duration_p50': 3 };
    expect(hourly(exact.rows, '2026-01-15', 13)).toEqual(exported);
    expect(daily(exact.rows, '2026-01-15')).toEqual(exported);
    expect(exact.rows).toHaveLength(25);
  });

  it('the same rows give bit-identical duration_avg whatever window reads them', async () => {
    // 1000 fractional durations in Paris 13h on each of three days, inserted in one shuffled order.
    const at = (day: number, i: number) => new Date(Date.UTC(2026, 0, day, 12, 0, 0, i * 3000)).toISOString();
    const all = [14, 15, 16].flatMap((day) => Array.from({ length: 1000 }, (_, i) => [at(day, i), 'search', i % 7, (i + 1) * 0.1 + 1 / 3, null] as [string, string, number, number, null]));
    await timings(shuffled(all, 5));
    const options = { table: 'timings', columns: { duration: 'secs' }, events: ['search'] };
    const single = await read({ window: days('2026-01-15', '2026-01-15'), ...options });
    const wide = await read({ window: days('2026-01-14', '2026-01-16'), ...options });
    expect(single.run.status).toBe('succeeded');
    expect(wide.run.status).toBe('succeeded');
    const day = daily(single.rows, '2026-01-15')!['events.search.duration_avg']!;
    const hour = hourly(single.rows, '2026-01-15', 13)!['events.search.duration_avg']!;
    expect(day).toBeCloseTo(50.05 + 1 / 3, 9);
    expect(hour).toBe(day);
    expect(daily(wide.rows, '2026-01-15')!['events.search.duration_avg']).toBe(day);
    expect(hourly(wide.rows, '2026-01-15', 13)!['events.search.duration_avg']).toBe(hour);
    for (const date of ['2026-01-14', '2026-01-16']) expect(daily(wide.rows, date)!['events.search.duration_avg']).toBe(day);
  });
});
