// The range and change judgements, one statement per check type and grain over all metrics and ended buckets:
// range fails a value outside [min, max]; change fails a value that dropped (or rose) more than the share
// allowed from the metric's previous stored value of the same grain (the latest before it: a gap is skipped).
import type { ChangeCheck, RangeCheck } from './check.js';
import { bucketStart, checkRows, fmt, grainTable, judgedList, metricsTables, Params, scopedValues, type JudgeInput, type Statement } from './sql-parts.js';

export function judgeRange(input: JudgeInput<RangeCheck>): Statement | undefined {
  const { checks, grain, scope, timeZone, now } = input;
  const p = new Params();
  const tables = metricsTables(input.schema);
  const rows = checkRows(p, tables, checks, { min: ['float8', (c) => c.min ?? null], max: ['float8', (c) => c.max ?? null] });
  const values = scopedValues(p, tables, grain, scope, timeZone, now);
  if (values === undefined) return undefined;
  const text = `WITH ${rows}, ${values}
    SELECT ${judgedList({
      bucket_start: bucketStart(p, timeZone, grain, 't'),
      status: `CASE WHEN value < min OR value > max THEN severity ELSE 'pass' END`,
      expected_low: 'min',
      expected_high: 'max',
      score: 'NULL::float8',
      reason: `CASE WHEN value < min THEN format('%s is below the minimum %s', ${fmt('value')}, ${fmt('min')})
        WHEN value > max THEN format('%s is above the maximum %s', ${fmt('value')}, ${fmt('max')})
        ELSE format('%s is within %s..%s', ${fmt('value')}, coalesce(${fmt('min')}, '-inf'), coalesce(${fmt('max')}, 'inf')) END`,
    })}
    FROM t`;
  return { text, params: p.values };
}

export function judgeChange(input: JudgeInput<ChangeCheck>): Statement | undefined {
  const { checks, grain, scope, timeZone, now } = input;
  const p = new Params();
  const tables = metricsTables(input.schema);
  const rows = checkRows(p, tables, checks, { max_drop: ['float8', (c) => c.maxDrop ?? null], max_rise: ['float8', (c) => c.maxRise ?? null] });
  const values = scopedValues(p, tables, grain, scope, timeZone, now);
  if (values === undefined) return undefined;
  const past = grainTable(tables, grain, 'h');
  const before = grain === 'hourly' ? '(h.date, h.hour) < (t.date, t.hour) ORDER BY h.date DESC, h.hour DESC' : 'h.date < t.date ORDER BY h.date DESC';
  const text = `WITH ${rows}, ${values},
    prev AS (
      SELECT t.*, pv.value AS previous,
        CASE WHEN pv.value <> 0 THEN (t.value - pv.value) / abs(pv.value) END AS change
      FROM t LEFT JOIN LATERAL (SELECT h.value FROM ${past.table} h WHERE h.metric_id = t.metric_id AND ${before} LIMIT 1) pv ON true
    )
    SELECT ${judgedList({
      bucket_start: bucketStart(p, timeZone, grain, 'prev'),
      status: `CASE WHEN change < -max_drop OR change > max_rise THEN severity ELSE 'pass' END`,
      expected_low: 'CASE WHEN max_drop IS NOT NULL THEN previous - abs(previous) * max_drop END',
      expected_high: 'CASE WHEN max_rise IS NOT NULL THEN previous + abs(previous) * max_rise END',
      score: 'change',
      reason: `CASE WHEN previous IS NULL THEN 'not judged: no previous value'
        WHEN change IS NULL THEN format('not judged: the previous value is 0 (now %s)', ${fmt('value')})
        ELSE format('%s is %s%% %s the previous value %s', ${fmt('value')}, ${fmt('abs(change) * 100')}, CASE WHEN change < 0 THEN 'below' ELSE 'above' END, ${fmt('previous')}) END`,
    })}
    FROM prev`;
  return { text, params: p.values };
}
