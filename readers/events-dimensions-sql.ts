// The events reader's dimension statement: per bucket, event, dimension and value (top N, `other`, `none`): count, users.
import { quoteTableName } from '../sql/identifiers.js';
import { isBlankSql, metricNameSql } from './event-names.js';
import { eventsColumn, eventsFromSql, personSql, type EventKeys, type EventsTable } from './events-sql.js';

export type { EventsTable } from './events-sql.js';

/** The name of the bucket of NULL and blank values, and of the values outside the top N of their event. */
export const NONE_VALUE = 'none';
export const OTHER_VALUE = 'other';
/** Longest value name part: longer normalised values are cut (so `a…` values sharing 64 characters are one). */
export const MAX_VALUE_LENGTH = 64;

/** Where a dimension's values are: a column of the table, or a key of its properties (jsonb) column. */
export type DimensionSource = { readonly column: string } | { readonly key: string };

export interface ResolvedDimension {
  /** Metric name part after `by_`, already normalised. */
  readonly name: string;
  readonly source: DimensionSource;
  readonly topN: number;
}

/** The top values of each event and dimension (1-based index into the dimensions), as three parallel lists. */
export interface TopValues {
  readonly events: string[];
  readonly dimensions: number[];
  readonly values: string[];
}

export interface DimensionsStatement {
  readonly text: string;
  readonly params: unknown[];
}

/** The value name part of a raw text value: `none` when NULL or blank, else normalised and cut. */
const valueName = (raw: string): string =>
  `CASE WHEN ${raw} IS NULL OR ${isBlankSql(raw)} THEN '${NONE_VALUE}' ELSE left(${metricNameSql(raw)}, ${MAX_VALUE_LENGTH}) END`;

/**
 * The statement of one grain over instants [from, to). Parameters: $1 from, $2 to, $3 time zone, then the
 * `events` list, the property keys, and either the top N of each dimension (int[]: the top values are ranked
 * in the statement, over its own range, by count then name) or the top values (`top`, e.g. those ranked by the
 * daily statement over the whole days of the window). Values outside the top are `other`: their events
 * summed, their users counted distinct in SQL. Events are grouped by raw name, except the raw names of
 * `merge`, grouped by their key ('Sign Up' and 'sign_up' as 'sign_up'), as the aggregate statement groups
 * them. Rows: date, hour (hourly), event (raw name or key), dimension (1-based), value, count, users.
 */
export function dimensionsSql(
  grain: 'hour' | 'day',
  range: { from: number; to: number },
  timeZone: string,
  table: EventsTable,
  dimensions: readonly ResolvedDimension[],
  top?: TopValues,
  merge?: EventKeys,
): DimensionsStatement {
  if (dimensions.length === 0) throw new TypeError('no dimensions');
  const params: unknown[] = [new Date(range.from).toISOString(), new Date(range.to).toISOString(), timeZone];
  const param = (value: unknown, type: string): string => {
    params.push(value);
    return `$${params.length}::${type}`;
  };
  const from = eventsFromSql(table, params);
  const raws = dimensions.map((d, i) => {
    const raw = 'column' in d.source ? `${eventsColumn(d.source.column)}::text` : `${eventsColumn(table.properties)} ->> ${param(d.source.key, 'text')}`;
    return `${raw} AS v${i + 1}`;
  });
  const pairs = dimensions.map((_, i) => `(${i + 1}, x.v${i + 1})`).join(', ');
  const merged = merge !== undefined && merge.raw.length > 0;
  const keys = merged ? ` LEFT JOIN unnest(${param([...merge.raw], 'text[]')}, ${param([...merge.keys], 'text[]')}) AS en(e, k) ON en.e = x.e` : '';
  // x: the rows of the range, one per event (raw name, or key of merged names) and dimension, with the raw value;
  // m: each distinct raw value's name (normalised once per value, not per row); c: events per raw value.
  const rows =
    `SELECT x.t, ${merged ? 'coalesce(en.k, x.e)' : 'x.e'} AS e, x.u, d.k, d.v FROM (SELECT date_trunc('${grain}', ${eventsColumn(table.time)} AT TIME ZONE $3) AS t, ` +
    `${eventsColumn(table.event)}::text AS e, ${personSql(table)} AS u, ${raws.join(', ')} ${from}) x${keys} ` +
    `CROSS JOIN LATERAL (VALUES ${pairs}) AS d(k, v)`;
  const names = `SELECT s.v, ${valueName('s.v')} AS n FROM (SELECT DISTINCT v FROM ${top === undefined ? 'c' : 'x'} WHERE v IS NOT NULL) s`;
  const ranked =
    top === undefined
      ? `c AS (SELECT x.e, x.k, x.v, count(*) AS c FROM x GROUP BY x.e, x.k, x.v), m AS (${names}), ` +
        `r AS (SELECT s.e, s.k, s.n FROM (SELECT c.e, c.k, m.n, row_number() OVER (PARTITION BY c.e, c.k ORDER BY sum(c.c) DESC, m.n COLLATE "C") AS rank ` +
        `FROM c JOIN m ON m.v = c.v WHERE m.n NOT IN ('${NONE_VALUE}', '${OTHER_VALUE}') GROUP BY c.e, c.k, m.n) s ` +
        `WHERE s.rank <= (${param(dimensions.map((d) => d.topN), 'int[]')})[s.k])`
      : `m AS (${names}), r AS (SELECT * FROM unnest(${param(top.events, 'text[]')}, ${param(top.dimensions, 'int[]')}, ${param(top.values, 'text[]')}) AS r(e, k, n))`;
  const hour = grain === 'hour' ? `, extract(hour FROM x.t)::int AS hour` : '';
  const text =
    `WITH x AS (${rows}), ${ranked} ` +
    `SELECT to_char(x.t, 'YYYY-MM-DD') AS date${hour}, x.e AS event, x.k AS dimension, ` +
    `CASE WHEN r.n IS NOT NULL THEN r.n WHEN m.n IS NULL THEN '${NONE_VALUE}' WHEN m.n = '${NONE_VALUE}' THEN m.n ELSE '${OTHER_VALUE}' END AS value, ` +
    `count(*)::float8 AS count, count(DISTINCT x.u)::float8 AS users ` +
    `FROM x LEFT JOIN m ON m.v = x.v LEFT JOIN r ON r.e = x.e AND r.k = x.k AND r.n = m.n ` +
    `GROUP BY x.t, x.e, x.k, value ORDER BY x.t, x.e, x.k, value`;
  return { text, params };
}

/** The statement telling which of `names` are columns of `table` (resolved as the reader's statements resolve it). */
export function dimensionColumnsSql(table: string, names: readonly string[]): DimensionsStatement {
  return {
    text:
      `SELECT to_regclass($1) IS NOT NULL AS found, ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a ` +
      `WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped AND a.attname = ANY($2::text[])) AS columns`,
    params: [quoteTableName(table), [...names]],
  };
}
