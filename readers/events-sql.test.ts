// events reader statements: the exact SQL text and parameters, plain, for merged names, and stitched by an identity table.
import { describe, expect, it } from 'vitest';
import { eventsSql } from './events-sql.js';

const TZ = 'Europe/Paris';

describe('events reader statements', () => {
  it('builds one parameterised GROUP BY statement per grain; merged names are read again, grouped by their part', () => {
    const options = { table: 'app.Events', columns: { time: 'at', event: 'name', user: 'uid', duration: 'ms' }, events: ['a'], timedEvents: ['b'] };
    const range = { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 2) };
    const q = eventsSql('hour', range, TZ, options);
    const from = (events: string, join = '') => `FROM "app"."Events" e${join} WHERE e."at" >= $1::timestamptz AND e."at" < $2::timestamptz AND e."name" IS NOT NULL AND e."name" = ANY(${events}::text[])`;
    const duration = `CASE WHEN e."name" = ANY($4::text[]) THEN e."ms" END`;
    const statement = (key: string, join: string, user = 'e."uid"', identity = '') =>
      `SELECT to_char(b.t, 'YYYY-MM-DD') AS date, extract(hour FROM b.t)::int AS hour, b.e AS event, count(*)::float8 AS count, ` +
      `count(DISTINCT b.u)::float8 AS users, count(b.n)::float8 AS timed, (round(sum(b.n), 40) / count(b.n))::text AS duration_avg, ` +
      `percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY CASE WHEN abs(b.n) < 5e-324 THEN 0::float8 ` +
      `WHEN abs(b.n) <= 1.7976931348623157e308 THEN b.d::float8 WHEN b.n > 0 THEN 'Infinity'::float8 WHEN b.n < 0 THEN '-Infinity'::float8 END) AS duration_pct, ` +
      `count(*) FILTER (WHERE b.bad = 'NaN')::float8 AS nan_durations, count(*) FILTER (WHERE b.bad = 'Infinity')::float8 AS inf_durations, ` +
      `count(*) FILTER (WHERE b.bad = '-Infinity')::float8 AS neg_inf_durations ` +
      `FROM (SELECT a.t, ${key} AS e, a.u, a.d, CASE WHEN abs(a.x) >= 'Infinity' THEN NULL ELSE a.x END AS n, CASE WHEN abs(a.x) >= 'Infinity' THEN a.x::text END AS bad ` +
      `FROM (SELECT date_trunc('hour', e."at" AT TIME ZONE $3) AS t, e."name"::text AS e, ${user} AS u, ${duration} AS d, (${duration})::text::numeric AS x ${from('$5', identity)}) a${join} OFFSET 0) b ` +
      `GROUP BY b.t, b.e ORDER BY b.t, b.e`;
    expect(q.text).toBe(statement('a.e', ''));
    expect(q.params).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', TZ, ['b'], ['a']]);
    const merged = eventsSql('hour', range, TZ, options, { raw: ['Sign Up', 'sign_up'], keys: ['sign_up', 'sign_up'] });
    expect(merged.text).toBe(statement('en.k', ' JOIN unnest($6::text[], $7::text[]) AS en(e, k) ON en.e = a.e'));
    expect(merged.params).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', TZ, ['b'], ['Sign Up', 'sign_up'], ['Sign Up', 'sign_up'], ['sign_up', 'sign_up']]);

    // Stitched: the identity table joined on the row's id (its user, else its anonymous id), its user counted first.
    const own = eventsSql('hour', range, TZ, { ...options, columns: { ...options.columns, anonymous: 'anon' }, identity: { table: 'app.links', columns: { anonymous: 'device', user: 'account' } } });
    const id = `coalesce(e."uid"::text, e."anon"::text)`;
    expect(own.text).toBe(statement('a.e', '', `coalesce(i."account"::text, (${id})::text)`, ` LEFT JOIN "app"."links" i ON i."device"::text = (${id})::text`));
    // 'stitched': the collector's identities table in the events table's schema, joined on the user column as it is.
    const collected = eventsSql('hour', range, TZ, { ...options, identity: 'stitched' });
    expect(collected.text).toBe(statement('a.e', '', `coalesce(i."user_id"::text, (e."uid")::text)`, ` LEFT JOIN "app"."identities" i ON i."anonymous_id"::text = (e."uid")::text`));
    expect(eventsSql('hour', range, TZ, { ...options, identity: 'raw' }).text).toBe(q.text);
  });
});
