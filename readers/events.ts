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
// A duration aggregate that is not a finite double (NaN, ±Infinity, a mean beyond the double range) is a row
// error for that event, metric and bucket only; every other value (counts, users, other events) is produced.
// All aggregation runs in the source database (one GROUP BY statement per grain); the time column must be
// timestamptz, and buckets are local hours/dates of `window.timeZone` computed by PostgreSQL (AT TIME ZONE),
// so DST days have 23 or 25 hours (the repeated hour of a fall-back day is one bucket). Hours and days of the
// window without events get count 0 and users 0 for every event seen (or listed in `events`).
// A source with history: any window can be read (backfill). For the current window it also re-reads the
// `settleHours` hours before (default 1), so events that arrived after the previous run are counted.
// Event names become metric name parts (metricNamePart, metrics/metric-name.ts: 'Sign Up' -> 'sign_up');
// two names that become the same part are a row error for the second one. Rows with a NULL event name are
// ignored; an empty or all-whitespace name is a row error (once per raw name) and never a metric.
// With `dimensions` (a column, or a key of the properties jsonb column), also per hour and per day
// `events.<event>.by_<dimension>.<value>.count` and `.users` for the top N values (default 20) and `other`,
// `none`: see events-dimensions.ts. Without dimensions, the statements above are the only ones.
import { ConfigError } from '../graph/errors.js';
import { source, type NodeContext, type SourceNode } from '../graph/node.js';
import { distinctLocalHours } from '../metrics/local-hours.js';
import { metricNamePart } from '../metrics/metric-name.js';
import type { MetricRow } from '../metrics/row.js';
import { HOUR_MS, toDateHour } from '../metrics/time.js';
import { windowDates, windowDaysRange, type ReadWindow } from '../metrics/window.js';
import { quoteIdentifier, quoteTableName } from '../sql/identifiers.js';
import { checkDimensions, dimensionMetrics, namesToLookUp, resolveDimensions, topValuesOf, type Bucket, type DimensionRow, type EventsDimension } from './events-dimensions.js';
import { dimensionColumnsSql, dimensionsSql, type EventsTable, type ResolvedDimension } from './events-dimensions-sql.js';
import { ReaderError } from './reader-errors.js';
import { DEFAULT_SQL_SERVICE } from './sql-client.js';
import { readerQuery } from './sql-read.js';

export interface EventsColumns {
  /** Time of the event, timestamptz (default 'created_at'). */
  readonly time?: string;
  /** Event name (default 'event'). */
  readonly event?: string;
  /** User id, any type; nulls are not counted as users (default 'user_id'). */
  readonly user?: string;
  /** Duration of timed events, numeric; no default: without it no timings are read. */
  readonly duration?: string;
  /** Properties of the event, jsonb: where dimensions that are not columns are read (default 'properties'). */
  readonly properties?: string;
}

export interface EventsReaderOptions {
  readonly window: ReadWindow;
  /** Service name of the source database, a SqlClient (default 'website'). */
  readonly service?: string;
  /** Events table, `table` or `schema.table` (default 'events'). */
  readonly table?: string;
  readonly columns?: EventsColumns;
  /** Only these events (raw names as stored); default: every event. */
  readonly events?: readonly string[];
  /** Events that get duration metrics (raw names); default: every event with durations. */
  readonly timedEvents?: readonly string[];
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
}

export type EventsGrain = 'hour' | 'day';

export interface EventsQuery {
  readonly text: string;
  readonly params: unknown[];
}

interface AggregateRow {
  readonly date: string;
  readonly hour?: number | null;
  readonly event: string;
  readonly count: number | string;
  readonly users: number | string;
  readonly timed: number | string;
  /** numeric, as text: the driver never sees a value it cannot parse, JavaScript checks that it is finite. */
  readonly duration_avg: string | null;
  /** float8[]: median and 95th percentile (NaN and ±Infinity arrive as numbers). */
  readonly duration_pct: ReadonlyArray<number | string> | null;
}

const READER = 'events';
const PERCENTILES = ['duration_p50', 'duration_p95'] as const;
/** Decimals of the numeric mean: avg()'s ~16 digits, rounded to a double, are 1 ulp off in about 1 case in 3000. */
const MEAN_DECIMALS = 40;

/**
 * A numeric duration `n` (with `d`, the same value in the column's own type) as float8, without the cast that
 * fails: NaN stays NaN, beyond the largest double is ±Infinity, below the smallest one is 0, NULL stays NULL.
 */
const asFloat8 = (n: string, d: string): string =>
  `CASE WHEN ${n} = 'NaN' THEN 'NaN'::float8 WHEN abs(${n}) < 5e-324 THEN 0::float8 ` +
  `WHEN abs(${n}) <= 1.7976931348623157e308 THEN ${d}::float8 ` +
  `WHEN ${n} > 0 THEN 'Infinity'::float8 WHEN ${n} < 0 THEN '-Infinity'::float8 END`;

/**
 * The aggregate statement of one grain over instants [from, to). Parameters: $1 from, $2 to (timestamptz),
 * $3 time zone, then the `events` list and the `timedEvents` list (text[]) when given.
 */
export function eventsSql(grain: EventsGrain, range: { from: number; to: number }, timeZone: string, options: Omit<EventsReaderOptions, 'window'> = {}): EventsQuery {
  const c = options.columns ?? {};
  const time = quoteIdentifier(c.time ?? 'created_at');
  const event = quoteIdentifier(c.event ?? 'event');
  const user = quoteIdentifier(c.user ?? 'user_id');
  const params: unknown[] = [new Date(range.from).toISOString(), new Date(range.to).toISOString(), timeZone];
  let duration = 'NULL::float8';
  if (c.duration !== undefined) {
    duration = quoteIdentifier(c.duration);
    if (options.timedEvents !== undefined) {
      params.push([...options.timedEvents]);
      duration = `CASE WHEN ${event} = ANY($${params.length}::text[]) THEN ${duration} END`;
    }
  }
  let filter = '';
  if (options.events !== undefined) {
    params.push([...options.events]);
    filter = ` AND ${event} = ANY($${params.length}::text[])`;
  }
  const bucket = `date_trunc('${grain}', ${time} AT TIME ZONE $3)`;
  const hour = grain === 'hour' ? `, extract(hour FROM b.t)::int AS hour` : '';
  // a: the rows of the range; b: the duration also as numeric, so the sum is exact and the mean independent of
  // row order; its quotient carries MEAN_DECIMALS decimals, so the double nearest to it is the nearest to the mean.
  const text =
    `SELECT to_char(b.t, 'YYYY-MM-DD') AS date${hour}, b.e AS event, count(*)::float8 AS count, ` +
    `count(DISTINCT b.u)::float8 AS users, count(b.n)::float8 AS timed, ` +
    `(round(sum(b.n), ${MEAN_DECIMALS}) / count(b.n))::text AS duration_avg, ` +
    `percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY ${asFloat8('b.n', 'b.d')}) AS duration_pct ` +
    `FROM (SELECT a.t, a.e, a.u, a.d, a.d::text::numeric AS n ` +
    `FROM (SELECT ${bucket} AS t, ${event}::text AS e, ${user} AS u, ${duration} AS d ` +
    `FROM ${quoteTableName(options.table ?? 'events')} ` +
    `WHERE ${time} >= $1::timestamptz AND ${time} < $2::timestamptz AND ${event} IS NOT NULL${filter}) a) b ` +
    `GROUP BY b.t, b.e ORDER BY b.t, b.e`;
  return { text, params };
}

/** The events table and its columns, defaults filled, as the dimension statements read them. */
function eventsTable(options: Omit<EventsReaderOptions, 'window'>): EventsTable {
  const c = options.columns ?? {};
  const { table = 'events', events } = options;
  return { table, time: c.time ?? 'created_at', event: c.event ?? 'event', user: c.user ?? 'user_id', properties: c.properties ?? 'properties', events };
}

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
async function readDimensions(options: EventsReaderOptions, ranges: ReturnType<typeof eventsRanges>, query: Query): Promise<DimensionReads | undefined> {
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
  const day = dimensionsSql('day', ranges.days, timeZone, table, dimensions);
  const daily = await query<DimensionRow>(day.text, day.params);
  if (!(options.hourly ?? true)) return { dimensions, daily, hourly: [] };
  const hour = dimensionsSql('hour', ranges.hours, timeZone, table, dimensions, topValuesOf(daily));
  return { dimensions, daily, hourly: await query<DimensionRow>(hour.text, hour.params) };
}

/** Local hours ([from, to) instants) and dates the reader covers: the window, plus settle hours when current. */
export function eventsRanges(options: EventsReaderOptions): { hours: { from: number; to: number }; days: { from: number; to: number }; dates: string[] } {
  const { window } = options;
  const settle = window.isCurrent ? (options.settleHours ?? 1) : 0;
  const hours = { from: window.hours.from - settle * HOUR_MS, to: window.hours.to };
  const firstDate = toDateHour(hours.from, window.timeZone).date;
  const widened: ReadWindow = firstDate < window.days.from ? { ...window, days: { from: firstDate, to: window.days.to } } : window;
  return { hours, days: windowDaysRange(widened), dates: windowDates(widened) };
}

function checkOptions(options: EventsReaderOptions): void {
  const settle = options.settleHours ?? 1;
  if (!(Number.isInteger(settle) && settle >= 0)) throw new ConfigError(`events reader: 'settleHours' must be a non-negative integer (got ${String(options.settleHours)})`);
  for (const key of ['events', 'timedEvents'] as const) {
    const list = options[key];
    if (list !== undefined && !(Array.isArray(list) && list.every((e) => typeof e === 'string' && e.trim() !== ''))) {
      throw new ConfigError(`events reader: '${key}' must be a list of event names`);
    }
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

/** An event name that is empty or only whitespace: it names nothing and cannot become a metric name part. */
const isEmptyName = (event: string): boolean => event.trim() === '';

/** Empty event names (see isEmptyName) are a row error, once per raw name, and are dropped (''). */
function skipEmptyNames(rows: readonly AggregateRow[], names: Map<string, string>, ctx: NodeContext): void {
  const found = new Map<string, { count: number; dates: Set<string>; row: AggregateRow }>();
  for (const row of rows) {
    if (!isEmptyName(row.event) || names.has(row.event)) continue;
    const seen = found.get(row.event) ?? { count: 0, dates: new Set<string>(), row };
    found.set(row.event, seen);
    seen.count += Number(row.count);
    seen.dates.add(row.date);
  }
  for (const [event, { count, dates, row }] of found) {
    const sorted = [...dates].sort();
    const on = sorted.length === 1 ? `on ${sorted[0]}` : `from ${sorted[0]} to ${sorted.at(-1)}`;
    const what = `${JSON.stringify(event)}: ${count} event${count === 1 ? '' : 's'} ${on}`;
    ctx.reportError(new ReaderError(READER, `reader '${READER}': an event has an empty name (${what}) — skipped`), row);
    names.set(event, '');
  }
}

/** Gives each raw event name its metric name part; a clash is a row error and the later name is dropped (''). */
function nameEvents(rows: readonly AggregateRow[], names: Map<string, string>, ctx: NodeContext): void {
  const taken = new Map<string, string>([...names].map(([raw, name]) => [name, raw]));
  for (const row of rows) {
    if (names.has(row.event)) continue;
    const name = metricNamePart(row.event);
    const other = taken.get(name);
    if (other !== undefined) {
      ctx.reportError(new ReaderError(READER, `reader '${READER}': events '${other}' and '${row.event}' both become metric name 'events.${name}'; '${row.event}' skipped`), row);
      names.set(row.event, '');
      continue;
    }
    names.set(row.event, name);
    taken.set(name, row.event);
  }
}

/** How a value that is not a finite double reads in an error: NaN, Infinity, or a decimal too large, shortened. */
function describeNonFinite(value: number | string | null): string {
  const text = String(value);
  const decimal = /^(-?)(\d+)(?:\.\d*)?$/.exec(text);
  if (decimal === null) return text.length > 40 ? `${text.slice(0, 40)}…` : text;
  const sign = decimal[1] ?? '';
  const whole = decimal[2] ?? '';
  const mantissa = `${whole.slice(0, 1)}.${whole.slice(1, 6)}`.replace(/\.?0*$/, '');
  return `${sign}${mantissa}e+${whole.length - 1} (beyond the range of a double)`;
}

/**
 * Sets one duration metric when its value is a finite double; otherwise reports a row error naming the event,
 * the metric and the bucket, and leaves the metric out.
 */
function setDuration(metrics: Record<string, number>, key: string, value: number | string | null | undefined, row: AggregateRow, ctx: NodeContext): void {
  const number = value === null || value === undefined ? Number.NaN : Number(value);
  if (Number.isFinite(number)) {
    metrics[key] = number;
    return;
  }
  const bucket = row.hour === undefined || row.hour === null ? row.date : `${row.date} hour ${row.hour}`;
  const reason = `not a finite number: ${describeNonFinite(value ?? null)}`;
  ctx.reportError(new ReaderError(READER, `reader '${READER}': metric '${key}' of event '${row.event}' on ${bucket}: ${reason}; skipped`), row);
}

/** Turns aggregate rows into one MetricRow per bucket, with zeros for quiet buckets (and the dimension metrics). */
function* toMetricRows(
  rows: readonly AggregateRow[],
  buckets: readonly Bucket[],
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
    metrics[`events.${name}.count`] = Number(row.count);
    metrics[`events.${name}.users`] = Number(row.users);
    if (Number(row.timed) > 0) {
      setDuration(metrics, `events.${name}.duration_avg`, row.duration_avg, row, ctx);
      PERCENTILES.forEach((metric, i) => setDuration(metrics, `events.${name}.${metric}`, row.duration_pct?.[i], row, ctx));
    }
  }
  const known = [...new Set([...names.values()].filter((n) => n !== ''))].sort();
  for (const bucket of buckets) {
    const metrics = byBucket.get(keyOf(bucket.date, bucket.hour)) ?? {};
    for (const name of known) {
      metrics[`events.${name}.count`] ??= 0;
      metrics[`events.${name}.users`] ??= 0;
    }
    addDimensions?.(bucket, metrics);
    if (Object.keys(metrics).length === 0) continue;
    yield { dims: bucket.hour === undefined ? { date: bucket.date } : { date: bucket.date, hour: bucket.hour }, metrics };
  }
}

export function eventsReader(options: EventsReaderOptions): SourceNode<MetricRow> {
  checkOptions(options);
  const service = options.service ?? DEFAULT_SQL_SERVICE;
  const { timeZone } = options.window;
  return source(async function* read(ctx) {
    const ranges = eventsRanges(options);
    const query = async (grain: EventsGrain, range: { from: number; to: number }): Promise<AggregateRow[]> => {
      const q = eventsSql(grain, range, timeZone, options);
      return readerQuery<AggregateRow>(READER, ctx, service, q.text, q.params);
    };
    // Days first: they cover every hour read, so every event seen gets its zeros in quiet hours too.
    const daily = (options.daily ?? true) ? await query('day', ranges.days) : [];
    const hourly = (options.hourly ?? true) ? await query('hour', ranges.hours) : [];
    const dimensions = await readDimensions(options, ranges, async <R>(text: string, params: unknown[]) => readerQuery<R>(READER, ctx, service, text, params));
    const names = new Map<string, string>();
    nameEvents((options.events ?? []).map((event) => ({ event }) as AggregateRow), names, ctx);
    for (const rows of [daily, hourly]) {
      skipEmptyNames(rows, names, ctx);
      nameEvents(rows, names, ctx);
    }
    const by = (rows: readonly DimensionRow[] | undefined) => (dimensions === undefined || rows === undefined ? undefined : dimensionMetrics(rows, dimensions.daily, dimensions.dimensions, names));
    if (options.hourly ?? true) yield* toMetricRows(hourly, distinctLocalHours(ranges.hours, timeZone), names, ctx, by(dimensions?.hourly));
    if (options.daily ?? true) yield* toMetricRows(daily, ranges.dates.map((date) => ({ date })), names, ctx, by(dimensions?.daily));
  }, `product events (${service})`);
}
