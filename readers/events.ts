// events reader: product events -> per event, per local hour and per local day: count, distinct users, timings.
//
// Metrics (hourly rows `{date, hour}` and daily rows `{date}`):
//   events.<event>.count          events in the hour / day
//   events.<event>.users          distinct non-null users; the daily figure is counted over the day, not summed
//   events.<event>.duration_avg   for timed events (a duration column is configured and the event has
//   events.<event>.duration_p50   durations in that hour / day): mean, median and 95th percentile
//   events.<event>.duration_p95   (percentile_cont), in the unit of the duration column
// The mean is computed in numeric (durations read through their text form, exact for float8 with PostgreSQL's
// default extra_float_digits): the sum is exact, so the same rows give the same double (the one nearest to the
// mean) whatever order they reach the aggregate, i.e. whatever window reads them. Percentiles run on float8: a
// duration a double cannot hold (numeric beyond ±1.8e308) counts as ±Infinity, one nearer 0 than 5e-324 as 0.
// A duration aggregate that is not a finite double (numeric durations beyond the double range) is a row error
// for that event, metric and bucket only; every other value (counts, users, other events) is produced.
// All aggregation runs in the source database (one GROUP BY statement per grain, one more when raw names
// share a metric name part); the time column must be timestamptz, and buckets are local hours/dates of
// `window.timeZone` computed by PostgreSQL (AT TIME ZONE), so DST days have 23 or 25 hours (the repeated hour
// of a fall-back day is one bucket). Hours and days of the window without events get count 0 and users 0 for
// every event seen (or listed in `events`).
// A source with history: any window can be read (backfill). For the current window it also re-reads the
// `settleHours` hours before (default 1), so events that arrived after the previous run are counted.
// Event names become metric name parts (metricNamePart, metrics/metric-name.ts: 'Sign Up' -> 'sign_up'). Raw
// names that become the same part are one event: read again together, grouped by that part (events-sql.ts),
// so counts are added, users counted distinct over all of them and durations taken over all of them; the run
// output says which raw names were merged into which metric (`onWarning`). Rows with a NULL event name are ignored; an empty or all-whitespace name is a row error
// (once per raw name) and never a metric. A source duration that is NaN, Infinity or -Infinity is a row error
// (`duration: not a finite number`, one per source row, counted from the daily rows when they are read, else
// the hourly ones) and is left out of the timings; the event's other values are written.
// With `dimensions` (a column, or a key of the properties jsonb column), also per hour and per day
// `events.<event>.by_<dimension>.<value>.count` and `.users` for the top N values (default 20) and `other`,
// `none`: see events-dimensions.ts. Without dimensions, the statements above are the only ones.
import { ConfigError } from '../graph/errors.js';
import { source, type NodeContext, type SourceNode } from '../graph/node.js';
import { eachDistinctLocalHour } from '../metrics/local-hours.js';
import type { MetricRow } from '../metrics/row.js';
import { HOUR_MS, toDateHour } from '../metrics/time.js';
import { windowDates, windowDaysRange, type ReadWindow } from '../metrics/window.js';
import { checkDimensions, dimensionMetrics, namesToLookUp, resolveDimensions, topValuesOf, type Bucket, type DimensionRow, type EventsDimension } from './events-dimensions.js';
import { dimensionColumnsSql, dimensionsSql, type ResolvedDimension } from './events-dimensions-sql.js';
import { reportNonFiniteDurations, setDuration } from './events-durations.js';
import { mergedKeys, mergeNotices, nameEvents, unionKeys } from './events-naming.js';
import { eventsSql, eventsTable, type AggregateRow, type EventKeys, type EventsGrain, type EventsSqlOptions } from './events-sql.js';
import { DEFAULT_SQL_SERVICE } from './sql-client.js';
import { ReaderError } from './reader-errors.js';
import { readerQuery } from './sql-read.js';

export { eventsSql, type EventsColumns, type EventsGrain, type EventsQuery } from './events-sql.js';

export interface EventsReaderOptions extends EventsSqlOptions {
  readonly window: ReadWindow;
  /** Service name of the source database, a SqlClient (default 'website'). */
  readonly service?: string;
  /** Produce hourly rows (default true). */
  readonly hourly?: boolean;
  /** Produce daily rows (default true). */
  readonly daily?: boolean;
  /** Current window only: also re-read this many complete hours before the current one (default 1). */
  readonly settleHours?: number;
  /** Per event, counts and users by the values of these columns or properties keys (events-dimensions.ts). */
  readonly dimensions?: readonly EventsDimension[];
  /** Values kept per event and dimension, the rest being `other` (default 20). */
  readonly topN?: number;
  /** Receives the notices of raw names merged into one metric (default: process.emitWarning, type 'ReaderWarning'). */
  readonly onWarning?: (message: string) => void;
}

const READER = 'events';
const PERCENTILES = ['duration_p50', 'duration_p95'] as const;

interface DimensionReads {
  readonly dimensions: readonly ResolvedDimension[];
  readonly daily: readonly DimensionRow[];
  readonly hourly: readonly DimensionRow[];
}

type Query = <R>(text: string, params: unknown[]) => Promise<R[]>;

/**
 * The dimension rows, when dimensions are configured: bare names looked up in the catalog (one statement), then
 * the daily statement, which ranks the values over the window's whole local days (they cover every hour read:
 * run even when no daily rows are produced), then the hourly one with those top values as parameters.
 */
async function readDimensions(options: EventsReaderOptions, ranges: ReturnType<typeof eventsRanges>, merge: EventKeys, query: Query): Promise<DimensionReads | undefined> {
  const configured = options.dimensions ?? [];
  if (configured.length === 0) return undefined;
  const table = eventsTable(options);
  const lookUp = namesToLookUp(configured);
  let lookup: { found: boolean; columns: string[] } | undefined;
  if (lookUp.length > 0) {
    const q = dimensionColumnsSql(table.table, [...lookUp, table.properties]);
    [lookup] = await query<{ found: boolean; columns: string[] }>(q.text, q.params);
  }
  const dimensions = resolveDimensions(configured, options.topN, lookup, { name: table.table, properties: table.properties });
  const { timeZone } = options.window;
  const day = dimensionsSql('day', ranges.days, timeZone, table, dimensions, undefined, merge);
  const daily = await query<DimensionRow>(day.text, day.params);
  if (!(options.hourly ?? true)) return { dimensions, daily, hourly: [] };
  const hour = dimensionsSql('hour', ranges.hours, timeZone, table, dimensions, topValuesOf(daily), merge);
  return { dimensions, daily, hourly: await query<DimensionRow>(hour.text, hour.params) };
}

/** Hours before the current window read again by a current read (late events), by default. */
export const DEFAULT_SETTLE_HOURS = 1;

/** Local hours ([from, to) instants) and dates the reader covers: the window, plus settle hours when current. */
export function eventsRanges(options: EventsReaderOptions): { hours: { from: number; to: number }; days: { from: number; to: number }; dates: string[] } {
  const { window } = options;
  const settle = window.isCurrent ? (options.settleHours ?? DEFAULT_SETTLE_HOURS) : 0;
  const hours = { from: window.hours.from - settle * HOUR_MS, to: window.hours.to };
  const firstDate = toDateHour(hours.from, window.timeZone).date;
  const widened: ReadWindow = firstDate < window.days.from ? { ...window, days: { from: firstDate, to: window.days.to } } : window;
  return { hours, days: windowDaysRange(widened), dates: windowDates(widened) };
}

function checkOptions(options: EventsReaderOptions): void {
  const settle = options.settleHours ?? DEFAULT_SETTLE_HOURS;
  if (!(Number.isInteger(settle) && settle >= 0)) throw new ConfigError(`events reader: 'settleHours' must be a non-negative integer (got ${String(options.settleHours)})`);
  for (const key of ['events', 'timedEvents'] as const) {
    const list = options[key];
    if (list !== undefined && !(Array.isArray(list) && list.every((e) => typeof e === 'string' && e.trim() !== ''))) {
      throw new ConfigError(`events reader: '${key}' must be a list of event names`);
    }
  }
  const identity = options.identity;
  if (!(identity === undefined || identity === 'raw' || identity === 'stitched' || (typeof identity === 'object' && identity !== null && typeof identity.table === 'string'))) {
    throw new ConfigError(`events reader: 'identity' must be 'raw', 'stitched' or { table, columns: { anonymous, user } } (got ${JSON.stringify(identity)})`);
  }
  try {
    checkDimensions(options.dimensions, options.topN);
    eventsSql('hour', { from: 0, to: 1 }, 'UTC', options);
    const dimensions = options.dimensions ?? [];
    const table = eventsTable(options);
    if (dimensions.length > 0) dimensionsSql('hour', { from: 0, to: 1 }, 'UTC', table, resolveDimensions(dimensions, options.topN, undefined, { name: table.table, properties: table.properties }));
  } catch (error) {
    throw new ConfigError(`events reader: ${(error as Error).message}`);
  }
}

/** Turns aggregate rows into one MetricRow per bucket, with zeros for quiet buckets (and the dimension metrics). */
function* toMetricRows(
  rows: readonly AggregateRow[],
  buckets: Iterable<Bucket>,
  names: ReadonlyMap<string, string>,
  ctx: NodeContext,
  addDimensions?: (bucket: Bucket, metrics: Record<string, number>) => void,
): Generator<MetricRow> {
  const byBucket = new Map<string, Record<string, number>>();
  const keyOf = (date: string, hour: number | null | undefined): string => (hour === undefined || hour === null ? date : `${date}T${hour}`);
  for (const row of rows) {
    const name = names.get(row.event);
    if (name === undefined || name === '') continue;
    const key = keyOf(row.date, row.hour);
    const metrics = byBucket.get(key) ?? {};
    byBucket.set(key, metrics);
    if (metrics[`events.${name}.count`] !== undefined) {
      // Merged names are read grouped by their part, so this does not happen; if it did, never replace a value.
      ctx.reportError(new ReaderError(READER, `reader '${READER}': event '${row.event}' gives events.${name} on ${key} a second time; skipped`), row);
      continue;
    }
    metrics[`events.${name}.count`] = Number(row.count);
    metrics[`events.${name}.users`] = Number(row.users);
    if (Number(row.timed) > 0) {
      setDuration(metrics, `events.${name}.duration_avg`, row.duration_avg, row, ctx);
      PERCENTILES.forEach((metric, i) => setDuration(metrics, `events.${name}.${metric}`, row.duration_pct?.[i], row, ctx));
    }
  }
  const known = [...new Set([...names.values()].filter((n) => n !== ''))].sort();
  // Made once: a ten-year read has 87,600 hours.
  const zeros = known.flatMap((name) => [`events.${name}.count`, `events.${name}.users`]);
  for (const bucket of buckets) {
    const metrics = byBucket.get(keyOf(bucket.date, bucket.hour)) ?? {};
    for (const metric of zeros) metrics[metric] ??= 0;
    addDimensions?.(bucket, metrics);
    if (Object.keys(metrics).length === 0) continue;
    yield { dims: bucket.hour === undefined ? { date: bucket.date } : { date: bucket.date, hour: bucket.hour }, metrics };
  }
}

/**
 * The aggregate rows of one grain: grouped by raw name, then, when raw names share a metric name part, those
 * names read again grouped by that part (their rows replace the raw ones). Returns the rows and the merges.
 */
async function readGrain(grain: EventsGrain, range: { from: number; to: number }, options: EventsReaderOptions, query: Query): Promise<{ rows: AggregateRow[]; merged: EventKeys }> {
  const { timeZone } = options.window;
  const first = eventsSql(grain, range, timeZone, options);
  const rows = await query<AggregateRow>(first.text, first.params);
  const merged = mergedKeys(rows);
  if (merged.raw.length === 0) return { rows, merged };
  const again = eventsSql(grain, range, timeZone, options, merged);
  const raw = new Set(merged.raw);
  return { rows: [...rows.filter((r) => !raw.has(r.event)), ...(await query<AggregateRow>(again.text, again.params))], merged };
}

export function eventsReader(options: EventsReaderOptions): SourceNode<MetricRow> {
  checkOptions(options);
  const service = options.service ?? DEFAULT_SQL_SERVICE;
  const { timeZone } = options.window;
  const none: EventKeys = { raw: [], keys: [] };
  return source(async function* read(ctx) {
    const ranges = eventsRanges(options);
    const query: Query = async <R>(text: string, params: unknown[]) => readerQuery<R>(READER, ctx, service, text, params);
    // Days first: they cover every hour read, so every event seen gets its zeros in quiet hours too.
    const daily = (options.daily ?? true) ? await readGrain('day', ranges.days, options, query) : { rows: [], merged: none };
    const hourly = (options.hourly ?? true) ? await readGrain('hour', ranges.hours, options, query) : { rows: [], merged: none };
    const merged = unionKeys(daily.merged, hourly.merged);
    const dimensions = await readDimensions(options, ranges, merged, query);
    const names = nameEvents(options.events ?? [], [daily.rows, hourly.rows], ctx);
    const warn = options.onWarning ?? ((message: string) => process.emitWarning(message, 'ReaderWarning'));
    for (const notice of mergeNotices(merged)) warn(notice);
    reportNonFiniteDurations((options.daily ?? true) ? daily.rows : hourly.rows, names, ctx);
    const by = (rows: readonly DimensionRow[] | undefined) => (dimensions === undefined || rows === undefined ? undefined : dimensionMetrics(rows, dimensions.daily, dimensions.dimensions, names));
    if (options.hourly ?? true) yield* toMetricRows(hourly.rows, eachDistinctLocalHour(ranges.hours, timeZone), names, ctx, by(dimensions?.hourly));
    if (options.daily ?? true) yield* toMetricRows(daily.rows, ranges.dates.map((date) => ({ date })), names, ctx, by(dimensions?.daily));
  }, `product events (${service})`);
}
