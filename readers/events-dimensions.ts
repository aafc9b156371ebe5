// Dimensions of the events reader: which column or properties key each names, and their metrics per bucket.
//
// `dimensions: ["campaign", { "name": "country", "column": "geo_country" }, { "name": "plan", "key": "Plan", "topN": 5 }]`
// A string names a column of the events table if it has one (one catalog query per read, only when a string is
// configured), else a key of the properties column (jsonb, `columns.properties`, default 'properties'); the
// object form says which (`column` or `key`) and may set its own `topN`. Metrics, per hour and per day:
//   events.<event>.by_<dimension>.<value>.count   events with that value
//   events.<event>.by_<dimension>.<value>.users   distinct users among them
// <value> is one of the top N values of the event and dimension (default 20), ranked by events over the whole
// local days of the read window; the other values are `other` (events summed, users counted distinct over
// them, never summed); NULL and blank values are `none` (outside the ranking). Values are normalised as event
// names are (metricNamePart, in SQL its twin of event-names.ts) and cut to 64 characters, in SQL, before they
// are ranked and counted: 'Summer Sale' and 'summer_sale' are one value. A value that normalises to `other` or
// `none` counts in that bucket.
import { metricNamePart } from '../metrics/metric-name.js';
import { OTHER_VALUE, NONE_VALUE, type DimensionSource, type ResolvedDimension, type TopValues } from './events-dimensions-sql.js';
import { ReaderError } from './reader-errors.js';

/** A dimension as configured: a column or properties key name, or which one explicitly (with its own top N). */
export type EventsDimension = string | { readonly name: string; readonly column?: string; readonly key?: string; readonly topN?: number };

export const DEFAULT_TOP_N = 20;
const MAX_TOP_N = 1000;

/** One row of the dimension statement. */
export interface DimensionRow {
  readonly date: string;
  readonly hour?: number | null;
  readonly event: string;
  readonly dimension: number;
  readonly value: string;
  readonly count: number | string;
  readonly users: number | string;
}

const nameOf = (d: EventsDimension): string => (typeof d === 'string' ? d : d.name);

/** Why `topN` is not a usable top N, or undefined. */
const topNProblem = (topN: unknown): string | undefined =>
  topN === undefined || (Number.isInteger(topN) && (topN as number) >= 1 && (topN as number) <= MAX_TOP_N) ? undefined : `must be an integer from 1 to ${MAX_TOP_N} (got ${String(topN)})`;

/** Checks the configured dimensions and top N; throws a TypeError naming the key at fault. */
export function checkDimensions(dimensions: unknown, topN: unknown): void {
  const top = topNProblem(topN);
  if (top !== undefined) throw new TypeError(`'topN' ${top}`);
  if (dimensions === undefined) return;
  if (!Array.isArray(dimensions)) throw new TypeError(`'dimensions' must be a list of names or { name, column | key, topN } objects`);
  const parts = new Map<string, string>();
  for (const [i, d] of (dimensions as unknown[]).entries()) {
    const what = `'dimensions[${i}]'`;
    const name: unknown = typeof d === 'string' ? d : (d as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || name.trim() === '') throw new TypeError(`${what} must be a name or an object with a 'name'`);
    if (typeof d === 'object' && d !== null) {
      const { column, key, topN: own } = d as { column?: unknown; key?: unknown; topN?: unknown };
      if (column !== undefined && key !== undefined) throw new TypeError(`${what} ('${name}'): give 'column' or 'key', not both`);
      for (const [field, value] of [['column', column], ['key', key]] as const) {
        if (value !== undefined && (typeof value !== 'string' || value === '')) throw new TypeError(`${what}.${field} must be a non-empty string`);
      }
      const problem = topNProblem(own);
      if (problem !== undefined) throw new TypeError(`${what}.topN ${problem}`);
    }
    const part = metricNamePart(name);
    const other = parts.get(part);
    if (other !== undefined) throw new TypeError(`dimensions '${other}' and '${name}' both become metric name part 'by_${part}'`);
    parts.set(part, name);
  }
}

/** The names that need the catalog to say whether they are columns: dimensions given as a bare name. */
export function namesToLookUp(dimensions: readonly EventsDimension[]): string[] {
  return dimensions.flatMap((d) => (typeof d === 'string' || (d.column === undefined && d.key === undefined) ? [nameOf(d)] : []));
}

/**
 * Each dimension's source and top N, given the columns of the table among the looked-up names (`columns`,
 * undefined when nothing was looked up) and whether the table was found. A properties key on a table that was
 * found without its properties column is an error naming the dimension.
 */
export function resolveDimensions(
  dimensions: readonly EventsDimension[],
  topN: number | undefined,
  lookup: { readonly found: boolean; readonly columns: readonly string[] } | undefined,
  table: { readonly name: string; readonly properties: string },
): ResolvedDimension[] {
  const columns = new Set(lookup?.columns ?? []);
  return dimensions.map((d) => {
    const name = nameOf(d);
    const explicit: { column?: string; key?: string; topN?: number } = typeof d === 'string' ? {} : d;
    let source: DimensionSource;
    if (explicit.column !== undefined) source = { column: explicit.column };
    else if (explicit.key !== undefined) source = { key: explicit.key };
    else if (columns.has(name)) source = { column: name };
    else {
      if (lookup?.found === true && !columns.has(table.properties)) {
        throw new ReaderError('events', `reader 'events': dimension '${name}' is not a column of ${table.name}, which has no properties column '${table.properties}' (columns.properties)`);
      }
      source = { key: name };
    }
    return { name: metricNamePart(name), source, topN: explicit.topN ?? topN ?? DEFAULT_TOP_N };
  });
}

/** The top values in rows of a statement that ranked them: every value but `other` and `none`. */
export function topValuesOf(rows: readonly DimensionRow[]): TopValues {
  const seen = new Set<string>();
  const top: TopValues = { events: [], dimensions: [], values: [] };
  for (const row of rows) {
    const key = JSON.stringify([row.event, row.dimension, row.value]);
    if (row.value === OTHER_VALUE || row.value === NONE_VALUE || seen.has(key)) continue;
    seen.add(key);
    top.events.push(row.event);
    top.dimensions.push(Number(row.dimension));
    top.values.push(row.value);
  }
  return top;
}

export type Bucket = { readonly date: string; readonly hour?: number };

/**
 * Adds the dimension metrics of a bucket to its metrics: the counts of `rows`, and 0 for every value that the
 * event and dimension have in `known` (the rows of the whole window) but not in this bucket. Events without a
 * metric name part (`names` gives '' or nothing) are left out, as their other metrics are.
 */
export function dimensionMetrics(
  rows: readonly DimensionRow[],
  known: readonly DimensionRow[],
  dimensions: readonly ResolvedDimension[],
  names: ReadonlyMap<string, string>,
): (bucket: Bucket, metrics: Record<string, number>) => void {
  const prefix = (row: DimensionRow): string | undefined => {
    const name = names.get(row.event);
    const dimension = dimensions[Number(row.dimension) - 1];
    return name === undefined || name === '' || dimension === undefined ? undefined : `events.${name}.by_${dimension.name}.${row.value}`;
  };
  const keyOf = (date: string, hour: number | null | undefined): string => (hour === undefined || hour === null ? date : `${date}T${hour}`);
  const byBucket = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const at = prefix(row);
    if (at === undefined) continue;
    const key = keyOf(row.date, row.hour);
    const metrics = byBucket.get(key) ?? {};
    byBucket.set(key, metrics);
    metrics[`${at}.count`] = Number(row.count);
    metrics[`${at}.users`] = Number(row.users);
  }
  const zeros = [...new Set(known.map(prefix).filter((p) => p !== undefined))].sort();
  return (bucket, metrics) => {
    Object.assign(metrics, byBucket.get(keyOf(bucket.date, bucket.hour)));
    for (const at of zeros) {
      metrics[`${at}.count`] ??= 0;
      metrics[`${at}.users`] ??= 0;
    }
  };
}
