// The anomaly judgement, one statement for every anomaly check of a grain over all its metrics and ended buckets:
// each value against the same bucket of its season (same local hour of the week or of the day, same weekday)
// over the check's history, by a robust z-score: median and MAD (scaled by 1.4826 to match a standard
// deviation under normal noise). Not mean and standard deviation: with 4 to 8 past points (four weeks of one
// hour of the week) one past outage or spike drags the mean and inflates the deviation enough to hide the
// next one; the median and the MAD ignore up to half the points being bad. The scale has floors: `minChange`
// of the median (a change smaller than that share is never anomalous, as Elementary's ignore-small-changes),
// so a flat history (MAD 0) does not fail on any small move; and for a count (a metric named `*.count`) the
// square root of the median, a Poisson count's own noise: 0 sign-ups in an hour that usually has 1 or 2 is
// no evidence of anything (a day of them is). A local hour holding two real hours (fall-back)
// is judged per real hour: its value, and past ones alike, divided by 2.
import { seasonalityOf, type AnomalyCheck, type Seasonality } from './check.js';
import { doubledHours, localHours } from './scope.js';
import { bucketStart, checkRows, fmt, grainTable, judgedList, metricsTables, Params, scopedValues, type JudgeInput, type Statement } from './sql-parts.js';
import { nextDate } from '../metrics/time.js';

/** Days between two past buckets alike. */
const STEP_DAYS: Record<Seasonality, number> = { 'hour-of-week': 7, 'day-of-week': 7, 'hour-of-day': 1, none: 1 };
/** MAD to a standard deviation's scale under normal noise. */
export const MAD_SCALE = 1.4826;

export function judgeAnomaly(input: JudgeInput<AnomalyCheck>): Statement | undefined {
  const { checks, grain, scope, timeZone, now } = input;
  const p = new Params();
  const tables = metricsTables(input.schema);
  const rows = checkRows(p, tables, checks, {
    step: ['int', (c) => STEP_DAYS[seasonalityOf(c)]],
    periods: ['int', (c) => Math.max(1, Math.floor(c.historyDays / STEP_DAYS[seasonalityOf(c)]))],
    threshold: ['float8', (c) => c.threshold],
    min_history: ['int', (c) => c.minHistory],
    direction: ['text', (c) => c.direction],
    min_change: ['float8', (c) => c.minChange],
  });
  const values = scopedValues(p, tables, grain, scope, timeZone, now);
  if (values === undefined) return undefined;
  const past = grainTable(tables, grain, 'h');
  let weight = (_alias: string): string => '1';
  if (grain === 'hourly') {
    const local = localHours(scope, timeZone)!;
    const longest = Math.max(...checks.map((c) => c.historyDays));
    const doubled = p.add(doubledHours(nextDate(local.firstDate, -longest - 1), local.lastDate, timeZone), 'int[]');
    weight = (alias) => `(CASE WHEN (${alias}.date - DATE '1970-01-01') * 25 + ${alias}.hour = ANY (${doubled}) THEN 2 ELSE 1 END)`;
  }
  const text = `WITH ${rows}, ${values},
    hist AS (
      SELECT t.*, ${weight('t')}::float8 AS weight, s.n, s.med, s.xs FROM t
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS med, array_agg(x) AS xs
        FROM (SELECT h.value / ${weight('h')} AS x FROM ${past.table} h
              WHERE h.metric_id = t.metric_id${grain === 'hourly' ? ' AND h.hour = t.hour' : ''}
                AND h.date = ANY (ARRAY(SELECT t.date - k * t.step FROM generate_series(1, t.periods) k))) past
      ) s
    ),
    -- MATERIALIZED: the scale computed once per bucket; inlined, its MAD subquery ran again at each of its 13 uses.
    scaled AS MATERIALIZED (
      SELECT hist.*, value / weight AS x,
        greatest(${MAD_SCALE} * coalesce((SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(x - hist.med)) FROM unnest(hist.xs) x), 0),
                 min_change * abs(coalesce(med, 0)) / threshold,
                 CASE WHEN metric LIKE '%.count' THEN sqrt(abs(coalesce(med, 0))) ELSE 0 END, 1e-9) AS scale
      FROM hist
    ),
    scored AS (SELECT scaled.*, CASE WHEN n >= min_history THEN (x - med) / scale END AS z FROM scaled)
    SELECT ${judgedList({
      bucket_start: bucketStart(p, timeZone, grain, 'scored'),
      status: `CASE WHEN z < -threshold AND direction <> 'up' OR z > threshold AND direction <> 'down' THEN severity ELSE 'pass' END`,
      expected_low: 'CASE WHEN z IS NOT NULL THEN (med - threshold * scale) * weight END',
      expected_high: 'CASE WHEN z IS NOT NULL THEN (med + threshold * scale) * weight END',
      score: 'z',
      reason: `CASE WHEN z IS NULL THEN format('not judged: %s past values of the %s needed', n, min_history)
        ELSE format('%s %s the expected %s..%s (median %s of %s past values, score %s)', ${fmt('value')},
          CASE WHEN z < -threshold THEN 'is below' WHEN z > threshold THEN 'is above' ELSE 'is within' END,
          ${fmt('(med - threshold * scale) * weight')}, ${fmt('(med + threshold * scale) * weight')}, ${fmt('med * weight')}, n, ${fmt('z')}) END`,
    })}
    FROM scored`;
  return { text, params: p.values };
}
