// The freshness and missing judgements, one statement per check type and grain over all their metrics:
// freshness looks at the end of each metric's latest stored bucket at `now` (its result is the bucket of
// `now`); missing fails each bucket of the scope, ended more than `grace` ago and after the metric's first
// value, that holds no value (a local hour a spring-forward day skips is no bucket; a repeated one is one).
import type { FreshnessCheck, MissingCheck } from './check.js';
import { bucketStart, checkRows, fmt, grainTable, judgedList, metricsTables, Params, type JudgeInput, type Statement } from './sql-parts.js';
import { toDateHour } from '../metrics/time.js';

export function judgeFreshness(input: JudgeInput<FreshnessCheck>): Statement {
  const { checks, grain, timeZone, now } = input;
  const p = new Params();
  const tables = metricsTables(input.schema);
  const rows = checkRows(p, tables, checks, { max_age: ['float8', (c) => c.maxAgeMs / 1000] });
  const past = grainTable(tables, grain, 'h');
  const at = toDateHour(now, timeZone);
  const tz = p.add(timeZone, 'text');
  const latest = grain === 'hourly'
    ? `SELECT (h.date + (h.hour + 1) * interval '1 hour') AT TIME ZONE ${tz} AS ended FROM ${past.table} h WHERE h.metric_id = m.metric_id ORDER BY h.date DESC, h.hour DESC LIMIT 1`
    : `SELECT (h.date + 1)::timestamp AT TIME ZONE ${tz} AS ended FROM ${past.table} h WHERE h.metric_id = m.metric_id ORDER BY h.date DESC LIMIT 1`;
  const text = `WITH ${rows},
    aged AS (
      SELECT m.*, ${p.add(at.date, 'date')} AS date, ${grain === 'hourly' ? p.add(at.hour, 'int') : '24'} AS hour, l.ended,
        extract(epoch FROM ${p.add(new Date(now).toISOString(), 'timestamptz')} - l.ended)::float8 AS age
      FROM m LEFT JOIN LATERAL (${latest}) l ON true
    )
    SELECT ${judgedList({
      hour: 'hour::smallint',
      bucket_start: bucketStart(p, timeZone, grain, 'aged'),
      status: `CASE WHEN age IS NULL OR age > max_age THEN severity ELSE 'pass' END`,
      value: 'greatest(age, 0)',
      expected_low: '0::float8',
      expected_high: 'max_age',
      score: 'greatest(age, 0) / max_age',
      reason: `CASE WHEN age IS NULL THEN 'no value stored yet'
        ELSE format('latest value ended %s h ago (at most %s h)', ${fmt('greatest(age, 0) / 3600')}, ${fmt('max_age / 3600')}) END`,
    })}
    FROM aged`;
  return { text, params: p.values };
}

export function judgeMissing(input: JudgeInput<MissingCheck>): Statement | undefined {
  const { checks, grain, scope, timeZone, now } = input;
  const p = new Params();
  const tables = metricsTables(input.schema);
  const rows = checkRows(p, tables, checks, { grace: ['float8', (c) => c.graceMs / 1000] });
  const { table } = grainTable(tables, grain, 'v');
  const tz = p.add(timeZone, 'text');
  let buckets: string;
  if (grain === 'hourly') {
    if (scope.hours === undefined || !(scope.hours.to > scope.hours.from)) return undefined;
    buckets = `SELECT DISTINCT (g AT TIME ZONE ${tz})::date AS date, extract(hour FROM g AT TIME ZONE ${tz})::int AS hour
      FROM generate_series(${p.add(new Date(scope.hours.from).toISOString(), 'timestamptz')}, ${p.add(new Date(scope.hours.to - 1).toISOString(), 'timestamptz')}, interval '1 hour') g`;
  } else {
    if (scope.days === undefined) return undefined;
    buckets = `SELECT g::date AS date, 24 AS hour FROM generate_series(${p.add(scope.days.from, 'date')}::timestamp, ${p.add(scope.days.to, 'date')}::timestamp, interval '1 day') g`;
  }
  const ends = grain === 'hourly' ? `(b.date + (b.hour + 1) * interval '1 hour') AT TIME ZONE ${tz}` : `(b.date + 1)::timestamp AT TIME ZONE ${tz}`;
  const text = `WITH ${rows},
    b AS (${buckets}),
    started AS (SELECT m.*, (SELECT min(f.date) FROM ${table} f WHERE f.metric_id = m.metric_id) AS first_date FROM m),
    due AS (
      SELECT started.*, b.date, b.hour FROM started JOIN b ON b.date >= started.first_date
      WHERE ${ends} + grace * interval '1 second' <= ${p.add(new Date(now).toISOString(), 'timestamptz')}
    ),
    seen AS (SELECT due.*, v.value FROM due LEFT JOIN ${table} v ON v.metric_id = due.metric_id AND v.date = due.date${grain === 'hourly' ? ' AND v.hour = due.hour' : ''})
    SELECT ${judgedList({
      hour: 'hour::smallint',
      bucket_start: bucketStart(p, timeZone, grain, 'seen'),
      status: `CASE WHEN value IS NULL THEN severity ELSE 'pass' END`,
      expected_low: 'NULL::float8',
      expected_high: 'NULL::float8',
      score: 'NULL::float8',
      reason: `CASE WHEN value IS NULL THEN 'no value stored for this bucket' ELSE format('%s stored', ${fmt('value')}) END`,
    })}
    FROM seen`;
  return { text, params: p.values };
}
