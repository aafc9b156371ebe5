// The hourly and daily writers on real PostgreSQL and on PGlite: idempotent reruns, last write wins, bad rows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetricRow } from '../metrics/row.js';
import { toDateHour } from '../metrics/time.js';
import { hoursInDay } from '../test/support/time.js';
import { BACKENDS, createTestMetricsDb, writeRows, writeRowsWith, type TestMetricsDb } from '../test/writers-backends.js';
import type { MetricsDb } from './metrics-db.js';
import { metricsTables } from './sql-identifiers.js';
import { dailyWriter, hourlyWriter } from './value-writer.js';
import { listMetrics } from './list-metrics.js';

async function dump(db: MetricsDb, table: 'hourly' | 'daily', withUpdatedAt = false): Promise<unknown[]> {
  const t = metricsTables(db.settings.schema);
  const hourly = table === 'hourly';
  const res = await db.query(
    `SELECT m.name, v.date::text AS date, ${hourly ? 'v.hour,' : ''} v.value ${withUpdatedAt ? ', v.updated_at::text AS updated_at' : ''}
     FROM ${hourly ? t.hourlyValue : t.dailyValue} v JOIN ${t.metric} m ON m.id = v.metric_id ORDER BY 1, 2${hourly ? ', 3' : ''}`,
  );
  return res.rows;
}

/** The dump's order: name, date, hour. */
function byKey(a: { name: string; date: string; hour?: number }, b: { name: string; date: string; hour?: number }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.date < b.date ? -1 : a.date > b.date ? 1 : (a.hour ?? 0) - (b.hour ?? 0);
}

const rows: MetricRow[] = [
  { dims: { date: '2026-01-01', hour: 0 }, metrics: { visits: 10, visitors: 4 } },
  { dims: { date: '2026-01-01', hour: 1 }, metrics: { visits: 12.5, visitors: 5 } },
  { dims: { date: '2026-01-01' }, metrics: { visits: 22.5, signups: 1 } },
  { dims: { date: '2026-01-02', hour: 23 }, metrics: { visits: 0 } },
];

describe.each(BACKENDS)('writers on %s', (backend) => {
  let test: TestMetricsDb;
  beforeEach(async () => {
    test = await createTestMetricsDb(backend);
  });
  afterEach(async () => {
    await test.drop();
  });

  it('writes hourly rows to hourly_value and daily rows to daily_value, counting values written', async () => {
    const run = await writeRows(test.db, rows, { hourly: hourlyWriter(), daily: dailyWriter() });
    expect(run.status).toBe('succeeded');
    const [, hourly, daily] = run.nodes;
    expect(hourly).toMatchObject({ name: 'hourly', in: 4, out: 5, err: 0 });
    expect(daily).toMatchObject({ name: 'daily', in: 4, out: 2, err: 0 });
    expect(await dump(test.db, 'hourly')).toEqual([
      { name: 'visitors', date: '2026-01-01', hour: 0, value: 4 },
      { name: 'visitors', date: '2026-01-01', hour: 1, value: 5 },
      { name: 'visits', date: '2026-01-01', hour: 0, value: 10 },
      { name: 'visits', date: '2026-01-01', hour: 1, value: 12.5 },
      { name: 'visits', date: '2026-01-02', hour: 23, value: 0 },
    ]);
    expect(await dump(test.db, 'daily')).toEqual([
      { name: 'signups', date: '2026-01-01', value: 1 },
      { name: 'visits', date: '2026-01-01', value: 22.5 },
    ]);
  });

  it('leaves identical tables (updated_at included) when the same rows are written again', async () => {
    const many: MetricRow[] = [];
    for (let h = 0; h < 24; h++) for (let m = 0; m < 30; m++) many.push({ dims: { date: '2026-02-01', hour: h }, metrics: { [`m${m}`]: h * 100 + m + 0.25 } });
    for (let m = 0; m < 30; m++) many.push({ dims: { date: '2026-02-01' }, metrics: { [`m${m}`]: m } });
    const first = await writeRows(test.db, many, { hourly: hourlyWriter({ batchSize: 100 }), daily: dailyWriter({ batchSize: 7 }) });
    expect(first.status).toBe('succeeded');
    const before = { hourly: await dump(test.db, 'hourly', true), daily: await dump(test.db, 'daily', true) };
    const metricsBefore = (await test.db.query(`SELECT * FROM ${metricsTables('etl').metric} ORDER BY id`)).rows;
    expect(before.hourly).toHaveLength(720);
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (const copyWhenFresh of [true, false]) {
      const again = await writeRows(test.db, many, {
        hourly: hourlyWriter({ batchSize: 100, copyWhenFresh }),
        daily: dailyWriter({ batchSize: 7, copyWhenFresh }),
      });
      expect(again.status).toBe('succeeded');
      expect(again.nodes[1]).toMatchObject({ in: 750, out: 720, err: 0 });
    }
    expect({ hourly: await dump(test.db, 'hourly', true), daily: await dump(test.db, 'daily', true) }).toEqual(before);
    expect((await test.db.query(`SELECT * FROM ${metricsTables('etl').metric} ORDER BY id`)).rows).toEqual(metricsBefore);
  });

  it('replaces a value on conflict (last write wins), also for the same key twice in one batch', async () => {
    const paths: string[] = [];
    const onBatch = ({ path }: { path: string }) => void paths.push(path);
    // Fresh keys, duplicated within the batch: the COPY path keeps the later row.
    await writeRows(
      test.db,
      [
        { dims: { date: '2026-03-01', hour: 5 }, metrics: { a: 1, b: 1 } },
        { dims: { date: '2026-03-01', hour: 5 }, metrics: { a: 2 } },
        { dims: { date: '2026-03-01' }, metrics: { a: 7 } },
        { dims: { date: '2026-03-01' }, metrics: { a: 8 } },
      ],
      { hourly: hourlyWriter({ onBatch }), daily: dailyWriter() },
    );
    expect(paths).toEqual(['copy']);
    expect(await dump(test.db, 'hourly')).toEqual([
      { name: 'a', date: '2026-03-01', hour: 5, value: 2 },
      { name: 'b', date: '2026-03-01', hour: 5, value: 1 },
    ]);
    expect(await dump(test.db, 'daily')).toEqual([{ name: 'a', date: '2026-03-01', value: 8 }]);
    // Existing keys, duplicated within the batch: the upsert path keeps the later row too.
    const run = await writeRows(
      test.db,
      [
        { dims: { date: '2026-03-01', hour: 5 }, metrics: { a: 3 } },
        { dims: { date: '2026-03-01', hour: 5 }, metrics: { a: 4, b: 9 } },
        { dims: { date: '2026-03-01', hour: 5 }, metrics: { b: 10 } },
        { dims: { date: '2026-03-01' }, metrics: { a: 9 } },
      ],
      { hourly: hourlyWriter({ onBatch }), daily: dailyWriter() },
    );
    expect(run.status).toBe('succeeded');
    expect(paths).toEqual(['copy', 'upsert']);
    expect(await dump(test.db, 'hourly')).toEqual([
      { name: 'a', date: '2026-03-01', hour: 5, value: 4 },
      { name: 'b', date: '2026-03-01', hour: 5, value: 10 },
    ]);
    expect(await dump(test.db, 'daily')).toEqual([{ name: 'a', date: '2026-03-01', value: 9 }]);
  });

  it('counts each bad row with its reason, writes the good rows of the same batch, and fails the run', async () => {
    const long = 'x'.repeat(201);
    const bad: Array<[unknown, string]> = [
      [{ dims: { date: '2026-04-01', hour: 1 }, metrics: { v: Number.NaN } }, 'metric "v": value NaN is not a finite number'],
      [{ dims: { date: '2026-04-01', hour: 1 }, metrics: { w: Number.POSITIVE_INFINITY } }, 'metric "w": value Infinity is not a finite number'],
      [{ dims: { date: '2026-04-01', hour: 1 }, metrics: { w: Number.NEGATIVE_INFINITY } }, 'metric "w": value -Infinity is not a finite number'],
      [{ dims: { date: '2026-04-01', hour: 1 }, metrics: { w: null } }, 'metric "w": value null is not a finite number'],
      [{ dims: { date: '2026-04-01', hour: 1 }, metrics: { w: 'twelve' } }, 'metric "w": value "twelve" is not a finite number'],
      [{ dims: { date: '2026-04-01', hour: 1 }, metrics: { w: '' } }, 'metric "w": value "" is not a finite number'],
      [{ dims: { hour: 1 }, metrics: { w: 1 } }, 'dims.date is missing'],
      [{ dims: { date: '2026-02-30', hour: 1 }, metrics: { w: 1 } }, 'dims.date "2026-02-30" is not a real YYYY-MM-DD date'],
      [{ dims: { date: '2026-4-1', hour: 1 }, metrics: { w: 1 } }, 'dims.date "2026-4-1" is not a real YYYY-MM-DD date'],
      [{ dims: { date: '2026-04-01', hour: 24 }, metrics: { w: 1 } }, 'dims.hour 24 is not an integer from 0 to 23'],
      [{ dims: { date: '2026-04-01', hour: -1 }, metrics: { w: 1 } }, 'dims.hour -1 is not an integer from 0 to 23'],
      [{ dims: { date: '2026-04-01', hour: 1.5 }, metrics: { w: 1 } }, 'dims.hour 1.5 is not an integer from 0 to 23'],
      [{ dims: { date: '2026-04-01', hour: 1 }, metrics: { '': 1 } }, 'metric "": metric name is empty'],
      [{ dims: { date: '2026-04-01', hour: 1 }, metrics: { [long]: 1 } }, `metric "${long}": metric name is longer than 200 characters (201)`],
      [{ dims: { date: '2026-04-01' }, metrics: { d: Number.NaN } }, 'metric "d": value NaN is not a finite number'],
      [{ dims: { date: '2026-13-01' }, metrics: { d: 1 } }, 'dims.date "2026-13-01" is not a real YYYY-MM-DD date'],
      [{ metrics: { d: 1 } }, 'row is not a {dims, metrics} pair (dims is missing)'],
    ];
    const good: unknown[] = [
      { dims: { date: '2026-04-01', hour: 1 }, metrics: { ok: 1, v: Number.NaN, w: '2.5' } },
      { dims: { date: '2026-04-01' }, metrics: { ok: 3 } },
    ];
    const input = [good[0], ...bad.map(([row]) => row), good[1]];
    const run = await writeRowsWith(test.db, input, { hourly: hourlyWriter(), daily: dailyWriter() }, { maxErrorExamples: 100 });
    expect(run.status).toBe('failed');
    const errors = run.nodes.flatMap((n) => n.errors.map((e) => e.error));
    expect(errors.sort()).toEqual(['InvalidRowError: metric "v": value NaN is not a finite number', ...bad.map(([, reason]) => `InvalidRowError: ${reason}`)].sort());
    expect(run.nodes[1]).toMatchObject({ name: 'hourly', out: 2, err: 15 });
    expect(run.nodes[2]).toMatchObject({ name: 'daily', out: 1, err: 3 });
    expect(await dump(test.db, 'hourly')).toEqual([
      { name: 'ok', date: '2026-04-01', hour: 1, value: 1 },
      { name: 'w', date: '2026-04-01', hour: 1, value: 2.5 },
    ]);
    expect(await dump(test.db, 'daily')).toEqual([{ name: 'ok', date: '2026-04-01', value: 3 }]);
    const names = (await test.db.query<{ name: string }>(`SELECT name FROM ${metricsTables('etl').metric} ORDER BY name`)).rows.map((r) => r.name);
    expect(names).not.toContain('');
    expect(names).not.toContain(long);
  });

  it('lets two writers create the same new metric names at once: no duplicate, no error', async () => {
    const other = await test.another();
    const names = Array.from({ length: 60 }, (_, i) => `new.metric.${i}`);
    const rowsA: MetricRow[] = names.map((name, i) => ({ dims: { date: '2026-05-01', hour: i % 24 }, metrics: { [name]: i } }));
    const rowsB: MetricRow[] = [...names].reverse().map((name, i) => ({ dims: { date: '2026-05-02' }, metrics: { [name]: i } }));
    const [a, b] = await Promise.all([
      writeRows(test.db, rowsA, { hourly: hourlyWriter({ batchSize: 7 }) }),
      writeRows(other, rowsB, { daily: dailyWriter({ batchSize: 5 }) }),
    ]);
    expect([a.status, a.error, b.status, b.error]).toEqual(['succeeded', null, 'succeeded', null]);
    const t = metricsTables('etl');
    const res = await test.db.query<{ n: string | number; d: string | number }>(`SELECT count(*) AS n, count(DISTINCT name) AS d FROM ${t.metric}`);
    expect(Number(res.rows[0]!.n)).toBe(60);
    expect(Number(res.rows[0]!.d)).toBe(60);
    expect(await dump(test.db, 'hourly')).toHaveLength(60);
    expect(await dump(test.db, 'daily')).toHaveLength(60);
  });

  it('buckets the DST days of Europe/Paris right: 23 hours on 2026-03-29, 25 on 2026-10-25', async () => {
    const zone = 'Europe/Paris';
    expect([hoursInDay('2026-03-29', zone), hoursInDay('2026-10-25', zone)]).toEqual([23, 25]);
    const counts = new Map<string, { date: string; hour: number; n: number }>();
    const count = (from: number, to: number) => {
      for (let t = from; t < to; t += 10 * 60_000) {
        const { date, hour } = toDateHour(t, zone);
        const key = `${date} ${hour}`;
        const bucket = counts.get(key) ?? { date, hour, n: 0 };
        bucket.n += 1;
        counts.set(key, bucket);
      }
    };
    count(Date.UTC(2026, 2, 28, 23), Date.UTC(2026, 2, 29, 22)); // the local day 2026-03-29 (UTC+1 then UTC+2)
    count(Date.UTC(2026, 9, 24, 22), Date.UTC(2026, 9, 25, 23)); // the local day 2026-10-25 (UTC+2 then UTC+1)
    const events = [...counts.values()].map(({ date, hour, n }) => ({ dims: { date, hour }, metrics: { 'events.per_hour': n } }));
    const run = await writeRows(test.db, events, { hourly: hourlyWriter() });
    expect(run.status).toBe('succeeded');
    const t = metricsTables('etl');
    const perDay = await test.db.query<{ date: string; hours: string; events: number; hour2: number | null }>(
      `SELECT date::text AS date, string_agg(hour::text, ',' ORDER BY hour) AS hours, sum(value) AS events,
              max(value) FILTER (WHERE hour = 2) AS hour2
       FROM ${t.hourlyValue} GROUP BY date ORDER BY date`,
    );
    const allHours = Array.from({ length: 24 }, (_, h) => h);
    expect(perDay.rows).toEqual([
      { date: '2026-03-29', hours: allHours.filter((h) => h !== 2).join(','), events: 23 * 6, hour2: null },
      { date: '2026-10-25', hours: allHours.join(','), events: 25 * 6, hour2: 12 },
    ]);
  });

  it('stores the same exact values by binary COPY, by MERGE and by INSERT ... ON CONFLICT, dates before 2000 included', async () => {
    const values = [0.1 + 0.2, -0.5, 1.7976931348623157e300, 5e-324, 0, 2 ** 53 + 2, 123456789.123456789];
    const dates = ['1970-01-01', '1999-12-31', '2000-01-01', '2000-03-01', '2026-02-28', '2099-12-31'];
    const input = (bump: number): MetricRow[] =>
      dates.flatMap((date, d) => [
        { dims: { date, hour: d }, metrics: Object.fromEntries(values.map((v, i) => [`v${i}`, v * bump + 0])) },
        { dims: { date }, metrics: Object.fromEntries(values.map((v, i) => [`v${i}`, v * bump + 0])) },
      ]);
    const expected = (bump: number) => ({
      hourly: dates.flatMap((date, d) => values.map((v, i) => ({ name: `v${i}`, date, hour: d, value: v * bump + 0 }))).sort(byKey),
      daily: dates.flatMap((date) => values.map((v, i) => ({ name: `v${i}`, date, value: v * bump + 0 }))).sort(byKey),
    });
    const paths: string[] = [];
    const onBatch = ({ statement }: { statement: string }) => void paths.push(statement);
    for (const [bump, merge] of [[1, true], [3, true], [-1, false]] as const) {
      const run = await writeRows(test.db, input(bump), { hourly: hourlyWriter({ onBatch, merge }), daily: dailyWriter({ onBatch, merge }) });
      expect(run.status, run.error ?? '').toBe('succeeded');
      expect({ hourly: await dump(test.db, 'hourly'), daily: await dump(test.db, 'daily') }).toEqual(expected(bump));
    }
    expect(paths).toEqual(['copy', 'copy', 'merge', 'merge', 'insert', 'insert']);
  });

  it('stores metric names that look like SQL injection verbatim, as data', async () => {
    const names = [
      `x'); DROP TABLE etl.metric; --`,
      `"; DELETE FROM etl.hourly_value; --`,
      `back\\slash \\N`,
      `{brace,comma}`,
      `tab\tnew\nline`,
      `%_like`,
      `émoji ✓ 🚀`,
      `$1::text`,
    ];
    const input: MetricRow[] = names.map((name, i) => ({ dims: { date: '2026-06-01', hour: i }, metrics: { [name]: i + 1 } }));
    input.push(...names.map((name, i) => ({ dims: { date: '2026-06-02', hour: i }, metrics: { [name]: i + 10 } })));
    const first = await writeRows(test.db, input.slice(0, names.length), { hourly: hourlyWriter() }); // COPY path
    const second = await writeRows(test.db, input, { hourly: hourlyWriter({ copyWhenFresh: false }) }); // upsert path
    expect([first.status, second.status]).toEqual(['succeeded', 'succeeded']);
    const stored = await dump(test.db, 'hourly');
    expect(stored).toHaveLength(names.length * 2);
    expect(new Set(stored.map((r) => (r as { name: string }).name))).toEqual(new Set(names));
    const listed = await listMetrics(test.db, { prefix: '%' });
    expect(listed.map((m) => m.name)).toEqual(['%_like']);
    expect(listed[0]!.hourly).toEqual({ date: '2026-06-02', hour: 5, value: 15 });
  });
});
