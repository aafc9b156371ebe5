// events reader: product events -> per event, per local hour and per local day: count, distinct users, timings.
//
// Metrics (hourly rows `{date, hour}` and daily rows `{date}`):
//   events.<event>.count          events in the hour / day
//   events.<event>.users          distinct non-null users; the daily figure is counted over the day, not summed
//   events.<event>.duration_avg   for timed events (a duration column is configured and the event has
//   events.<event>.duration_p50   durations in that hour / day): mean, median and 95th percentile
//   events.<event>.duration_p95   (percentile_cont), in the unit of the duration column
// All aggregation runs in the source database (one GROUP BY statement per grain); the time column must be
// timestamptz, and buckets are local hours/dates of `window.timeZone` computed by PostgreSQL (AT TIME ZONE),
// so DST days have 23 or 25 hours (the repeated hour of a fall-back day is one bucket). Hours and days of the
// window without events get count 0 and users 0 for every event seen (or listed in `events`).
// A source with history: any window can be read (backfill). For the current window it also re-reads the
// `settleHours` hours before (default 1), so events that arrived after the previous run are counted.
// Event names become metric name parts: lower-cased, characters other than [a-z0-9_-] replaced by '_';
// two names that become the same part are a row error for the second one.
import { ConfigError } from '../graph/errors.js';
import { source, type NodeContext, type SourceNode } from '../graph/node.js';
import type { MetricRow } from '../metrics/row.js';
import { toDateHour } from '../metrics/time.js';
import { windowDates, windowDaysRange, type ReadWindow } from '../metrics/window.js';
import { ReaderError } from './reader-errors.js';
import { DEFAULT_SQL_SERVICE } from './sql-client.js';
import { quoteIdentifier, quoteTableName } from './sql-identifiers.js';
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
  readonly duration_avg: number | string | null;
  readonly duration_p50: number | string | null;
  readonly duration_p95: number | string | null;
}

const READER = 'events';
const HOUR_MS = 3_600_000;

/** The metric name part of an event name: `Sign Up` -> `sign_up`. */
export function eventMetricName(event: string): string {
  return event.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
}

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
    duration = `${quoteIdentifier(c.duration)}::float8`;
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
  const text =
    `SELECT to_char(b.t, 'YYYY-MM-DD') AS date${hour}, b.e AS event, count(*)::float8 AS count, ` +
    `count(DISTINCT b.u)::float8 AS users, count(b.d)::float8 AS timed, avg(b.d)::float8 AS duration_avg, ` +
    `percentile_cont(0.5) WITHIN GROUP (ORDER BY b.d) AS duration_p50, ` +
    `percentile_cont(0.95) WITHIN GROUP (ORDER BY b.d) AS duration_p95 ` +
    `FROM (SELECT ${bucket} AS t, ${event}::text AS e, ${user} AS u, ${duration} AS d ` +
    `FROM ${quoteTableName(options.table ?? 'events')} ` +
    `WHERE ${time} >= $1::timestamptz AND ${time} < $2::timestamptz AND ${event} IS NOT NULL${filter}) b ` +
    `GROUP BY b.t, b.e ORDER BY b.t, b.e`;
  return { text, params };
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

function localHours(range: { from: number; to: number }, timeZone: string): Array<{ date: string; hour: number }> {
  const out: Array<{ date: string; hour: number }> = [];
  const seen = new Set<string>();
  for (let t = range.from; t < range.to; t += HOUR_MS) {
    const at = toDateHour(t, timeZone);
    const key = `${at.date}T${at.hour}`;
    if (!seen.has(key)) out.push(at);
    seen.add(key);
  }
  return out;
}

function checkOptions(options: EventsReaderOptions): void {
  const settle = options.settleHours ?? 1;
  if (!(Number.isInteger(settle) && settle >= 0)) throw new ConfigError(`events reader: 'settleHours' must be a non-negative integer (got ${String(options.settleHours)})`);
  for (const key of ['events', 'timedEvents'] as const) {
    const list = options[key];
    if (list !== undefined && !(Array.isArray(list) && list.every((e) => typeof e === 'string' && e !== ''))) {
      throw new ConfigError(`events reader: '${key}' must be a list of event names`);
    }
  }
  try {
    eventsSql('hour', { from: 0, to: 1 }, 'UTC', options);
  } catch (error) {
    throw new ConfigError(`events reader: ${(error as Error).message}`);
  }
}

/** Gives each raw event name its metric name part; a clash is a row error and the later name is dropped (''). */
function nameEvents(rows: readonly AggregateRow[], names: Map<string, string>, ctx: NodeContext): void {
  const taken = new Map<string, string>([...names].map(([raw, name]) => [name, raw]));
  for (const row of rows) {
    if (names.has(row.event)) continue;
    const name = eventMetricName(row.event);
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

/** Turns aggregate rows into one MetricRow per bucket, with zeros for quiet buckets. */
function* toMetricRows(rows: readonly AggregateRow[], buckets: ReadonlyArray<{ date: string; hour?: number }>, names: ReadonlyMap<string, string>): Generator<MetricRow> {
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
      metrics[`events.${name}.duration_avg`] = Number(row.duration_avg);
      metrics[`events.${name}.duration_p50`] = Number(row.duration_p50);
      metrics[`events.${name}.duration_p95`] = Number(row.duration_p95);
    }
  }
  const known = [...new Set([...names.values()].filter((n) => n !== ''))].sort();
  for (const bucket of buckets) {
    const metrics = byBucket.get(keyOf(bucket.date, bucket.hour)) ?? {};
    for (const name of known) {
      metrics[`events.${name}.count`] ??= 0;
      metrics[`events.${name}.users`] ??= 0;
    }
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
    const names = new Map<string, string>();
    nameEvents((options.events ?? []).map((event) => ({ event }) as AggregateRow), names, ctx);
    nameEvents(daily, names, ctx);
    nameEvents(hourly, names, ctx);
    if (options.hourly ?? true) yield* toMetricRows(hourly, localHours(ranges.hours, timeZone), names);
    if (options.daily ?? true) yield* toMetricRows(daily, ranges.dates.map((date) => ({ date })), names);
  }, `product events (${service})`);
}
