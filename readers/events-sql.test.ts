// events reader statements: the exact SQL text and parameters, plain and for merged names.
import { describe, expect, it } from 'vitest';
import { eventsSql } from './events-sql.js';

const TZ = 'Europe/Paris';

describe('events reader statements', () => {
  it('builds one parameterised GROUP BY statement per grain; merged names are read again, grouped by their part', () => {
    const options = { table: 'app.Events', columns: { time: 'at', event: 'name', user: 'uid', duration: 'ms' }, events: ['a'], timedEvents: ['b'] };
    const range = { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 2) };
    const q = eventsSql('hour', range, TZ, options);
    const from = (events: string) => `FROM "app"."Events" WHERE "at" >= $1::timestamptz AND "at" < $2::timestamptz AND "name" IS NOT NULL AND "name" = ANY(${events}::text[])`;
    const duration = `CASE WHEN "name" = ANY($4::text[]) THEN "ms" END`;
    const statement = (key: string, join: string) =>
      `SELECT to_char(b.t, 'YYYY-MM-DD') AS date, extract(hour FROM b.t)::int AS hour, b.e AS event, count(*)::float8 AS count, ` +
      `count(DISTINCT b.u)::float8 AS users, count(b.n)::float8 AS timed, (round(sum(b.n), 40) / count(b.n))::text AS duration_avg, ` +
      `percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY CASE WHEN abs(b.n) < 5e-324 THEN 0::float8 ` +
      `WHEN abs(b.n) <= 1.7976931348623157e308 THEN b.d::float8 WHEN b.n > 0 THEN 'Infinity'::float8 WHEN b.n < 0 THEN '-Infinity'::float8 END) AS duration_pct, ` +
      `count(*) FILTER (WHERE b.bad = 'NaN')::float8 AS nan_durations, count(*) FILTER (WHERE b.bad = 'Infinity')::float8 AS inf_durations, ` +
      `count(*) FILTER (WHERE b.bad = '-Infinity')::float8 AS neg_inf_durations ` +
      `FROM (SELECT a.t, ${key} AS e, a.u, a.d, CASE WHEN abs(a.x) >= 'Infinity' THEN NULL ELSE a.x END AS n, CASE WHEN abs(a.x) >= 'Infinity' THEN a.x::text END AS bad ` +
      `FROM (SELECT date_trunc('hour', "at" AT TIME ZONE $3) AS t, "name"::text AS e, "uid" AS u, ${duration} AS d, (${duration})::text::numeric AS x ${from('$5')}) a${join} OFFSET 0) b ` +
      `GROUP BY b.t, b.e ORDER BY b.t, b.e`;
    expect(q.text).toBe(statement('a.e', ''));
    expect(q.params).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', TZ, ['b'], ['a']]);
    const merged = eventsSql('hour', range, TZ, options, { raw: ['Sign Up', 'sign_up'], keys: ['sign_up', 'sign_up'] });
    expect(merged.text).toBe(statement('en.k', ' JOIN unnest($6::text[], $7::text[]) AS en(e, k) ON en.e = a.e'));
    expect(merged.params).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', TZ, ['b'], ['Sign Up', 'sign_up'], ['Sign Up', 'sign_up'], ['sign_up', 'sign_up']]);
  });
});
