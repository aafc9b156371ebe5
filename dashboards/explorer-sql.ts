// The metric explorer's queries as a Grafana PostgreSQL panel has them: macros ($__timeFrom(), $__timeTo(),
// $__timeFilter, $__time), the `tz` variable (the ETL's zone) and `$metric` / `$prefix` / `$limit` variables,
// for the metrics database's schema `s` (bare when a plain name, quoted otherwise).
import { quoteIdentifier } from '../sql/identifiers.js';

/** The schema as SQL: `etl` as Grafana's shipped dashboards write it, any other name quoted. */
export function schemaSql(schema: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(schema) ? schema : quoteIdentifier(schema);
}

const HOUR_TIME = `(v.date + v.hour * interval '1 hour') AT TIME ZONE '$tz'`;
const DAY_TIME = `v.date::timestamp AT TIME ZONE '$tz'`;
const FROM_DATE = `($__timeFrom()::timestamptz AT TIME ZONE '$tz')::date`;
const TO_DATE = `($__timeTo()::timestamptz AT TIME ZONE '$tz')::date`;
/** The range's length in whole hours / days (at least one): how far the previous period is moved to align. */
const SPAN = `extract(epoch from $__timeTo()::timestamptz - $__timeFrom()::timestamptz)`;
export const HOURS_SHIFT = `greatest(1, round(${SPAN} / 3600))::int`;
export const DAYS_SHIFT = `greatest(1, round(${SPAN} / 86400))::int`;

/** The metric's values of one table in the range, as a series named `alias`. */
function valuesSql(s: string, table: 'hourly_value' | 'daily_value', time: string, alias: string): string {
  return `WITH points AS (
  SELECT ${time} AS time, v.value
  FROM ${s}.${table} v
  JOIN ${s}.metric m ON m.id = v.metric_id
  WHERE m.name = '$metric'
    AND v.date BETWEEN ${FROM_DATE} AND ${TO_DATE}
)
SELECT $__time(time), value AS ${alias}
FROM points
WHERE $__timeFilter(time)
ORDER BY time`;
}

/** The metric's hourly values in the range. */
export const hourlySql = (s: string): string => valuesSql(s, 'hourly_value', HOUR_TIME, 'hourly');

/** The hourly values of the same-length period before, moved forward by the range's length in hours. */
export function previousHourlySql(s: string): string {
  return `WITH shift AS (
  SELECT make_interval(hours => ${HOURS_SHIFT}) AS span
), points AS (
  SELECT (${HOUR_TIME}) + shift.span AS time, v.value
  FROM ${s}.hourly_value v
  JOIN ${s}.metric m ON m.id = v.metric_id
  CROSS JOIN shift
  WHERE m.name = '$metric'
    AND v.date BETWEEN (($__timeFrom()::timestamptz - shift.span) AT TIME ZONE '$tz')::date AND (($__timeTo()::timestamptz - shift.span) AT TIME ZONE '$tz')::date
)
SELECT $__time(time), value AS previous
FROM points
WHERE $__timeFilter(time)
ORDER BY time`;
}

/** The metric's daily values in the range (a day at its local midnight). */
export const dailySql = (s: string): string => valuesSql(s, 'daily_value', DAY_TIME, 'daily');

/** The daily values of the same-length period before, moved forward by the range's length in whole days. */
export function previousDailySql(s: string): string {
  return `WITH shift AS (
  SELECT ${DAYS_SHIFT} AS days
), points AS (
  SELECT (v.date + shift.days)::timestamp AT TIME ZONE '$tz' AS time, v.value
  FROM ${s}.daily_value v
  JOIN ${s}.metric m ON m.id = v.metric_id
  CROSS JOIN shift
  WHERE m.name = '$metric'
    AND v.date + shift.days BETWEEN ${FROM_DATE} AND ${TO_DATE}
)
SELECT $__time(time), value AS previous
FROM points
WHERE $__timeFilter(time)
ORDER BY time`;
}

/** Min, max, sum and count of the hourly and of the daily values in the range (the charts' current series). */
export function summarySql(s: string): string {
  const grain = (name: string, table: string, time: string) => `SELECT '${name}' AS grain, min(p.value) AS min, max(p.value) AS max, sum(p.value) AS sum, count(*) AS count
FROM (
  SELECT ${time} AS time, v.value
  FROM ${s}.${table} v
  JOIN ${s}.metric m ON m.id = v.metric_id
  WHERE m.name = '$metric'
    AND v.date BETWEEN ${FROM_DATE} AND ${TO_DATE}
) AS p
WHERE $__timeFilter(p.time)`;
  return `${grain('hourly', 'hourly_value', HOUR_TIME)}
UNION ALL
${grain('daily', 'daily_value', DAY_TIME)}`;
}

/**
 * Every metric whose name starts with `$prefix` (literally, as `etl metrics --prefix`), with its latest hourly
 * and daily values and its daily values of the range's last 7 local days, oldest first; `$limit` rows at most.
 */
export function metricListSql(s: string): string {
  return `SELECT m.name, m.unit, m.source,
  (h.date + h.hour * interval '1 hour') AT TIME ZONE '$tz' AS hourly_at, h.value AS hourly_value,
  d.date::text AS daily_date, d.value AS daily_value,
  coalesce(spark.daily, '{}') AS spark
FROM ${s}.metric m
LEFT JOIN LATERAL (
  SELECT v.date, v.hour, v.value FROM ${s}.hourly_value v
  WHERE v.metric_id = m.id ORDER BY v.date DESC, v.hour DESC LIMIT 1
) AS h ON true
LEFT JOIN LATERAL (
  SELECT v.date, v.value FROM ${s}.daily_value v
  WHERE v.metric_id = m.id ORDER BY v.date DESC LIMIT 1
) AS d ON true
LEFT JOIN LATERAL (
  SELECT array_agg(v.value ORDER BY v.date) AS daily FROM ${s}.daily_value v
  WHERE v.metric_id = m.id AND v.date > ${TO_DATE} - 7 AND v.date <= ${TO_DATE}
) AS spark ON true
WHERE starts_with(m.name, '$prefix')
ORDER BY m.name
LIMIT $limit`;
}
