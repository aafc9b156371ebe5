// The events reader's aggregate statement: per bucket and event, count, users and timings, all in SQL.
//
// It groups by raw event name; given raw names that share a metric name part ('Sign Up' and 'sign_up', found
// by the reader in the rows grouped by raw name), it reads only those and groups them by that part instead
// (counts added, users counted distinct over all of them, durations over all of them). Durations that are
// NaN, Infinity or -Infinity in the source are left out of the timings and counted per kind (the reader
// reports them).
import { quoteIdentifier, quoteTableName } from '../sql/identifiers.js';

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
  /** Anonymous id (a browser's, before sign-up); with it, a row's person is its user, else its anonymous id (no default). */
  readonly anonymous?: string;
}

/**
 * How the readers count people (`users`): 'raw', each id as it is in the row; else stitched, an id linked to a user
 * by an identity table counts as that user (in every bucket, before and after the link). 'stitched': the
 * collector's `identities` table next to the events table (columns anonymous_id, user_id); or a table and its columns.
 */
export type EventsIdentity =
  | 'raw'
  | 'stitched'
  | { readonly table: string; readonly columns?: { readonly anonymous?: string; readonly user?: string } };

/** Defaults of the events table and its columns (the configuration reference shows them). */
export const DEFAULT_EVENTS_TABLE = 'events';
export const DEFAULT_EVENTS_COLUMNS = Object.freeze({ time: 'created_at', event: 'event', user: 'user_id', properties: 'properties' });
/** Columns of an identity table, by default (the collector's `identities` has these). */
export const DEFAULT_IDENTITY_COLUMNS = Object.freeze({ anonymous: 'anonymous_id', user: 'user_id' });

/** The collector's identity table (writers/migrations.ts, version 6), in the schema of its events table. */
export const IDENTITIES_TABLE = 'identities';

/** What the statements read: the table, its columns, the event lists (raw names as stored). */
export interface EventsSqlOptions {
  /** Events table, `table` or `schema.table` (default 'events'). */
  readonly table?: string;
  readonly columns?: EventsColumns;
  /** Only these events (raw names as stored); default: every event. */
  readonly events?: readonly string[];
  /** Events that get duration metrics (raw names); default: every event with durations. */
  readonly timedEvents?: readonly string[];
  /** Events whose raw name starts with this are not read (the collector's `$identify`, `$group`, `$alias`: '$'). */
  readonly excludePrefix?: string;
  /** How people are counted (default 'raw'). */
  readonly identity?: EventsIdentity;
}

/** An identity table as the statements join it: anonymous id -> user id. */
export interface IdentityTable {
  readonly table: string;
  readonly anonymous: string;
  readonly user: string;
}

/** The events table as the statements read it (raw names, quoted where used). */
export interface EventsTable {
  readonly table: string;
  readonly time: string;
  readonly event: string;
  readonly user: string;
  readonly properties: string;
  /** Anonymous id column: a row without a user counts as this id. */
  readonly anonymous?: string | undefined;
  /** Stitched: ids linked by this table count as their user. */
  readonly identity?: IdentityTable | undefined;
  /** Only these raw event names. */
  readonly events?: readonly string[] | undefined;
  /** Not the raw names starting with this. */
  readonly excludePrefix?: string | undefined;
}

export type EventsGrain = 'hour' | 'day';

export interface EventsQuery {
  readonly text: string;
  readonly params: unknown[];
}

/** Raw event names (`raw`) and the metric name part each is read under (`keys`), as two parallel lists. */
export interface EventKeys {
  readonly raw: readonly string[];
  readonly keys: readonly string[];
}

/** One row of the aggregate statement: one bucket and one event (a raw name, or the part of merged ones). */
export interface AggregateRow {
  readonly date: string;
  readonly hour?: number | null;
  readonly event: string;
  readonly count: number | string;
  readonly users: number | string;
  /** Finite durations. */
  readonly timed: number | string;
  /** numeric, as text: the driver never sees a value it cannot parse, JavaScript checks that it is finite. */
  readonly duration_avg: string | null;
  /** float8[]: median and 95th percentile (±Infinity for a numeric beyond the double range). */
  readonly duration_pct: ReadonlyArray<number | string> | null;
  /** Source durations that are not finite, per kind; left out of the timings. */
  readonly nan_durations: number | string;
  readonly inf_durations: number | string;
  readonly neg_inf_durations: number | string;
}

/** Decimals of the numeric mean: avg()'s ~16 digits, rounded to a double, are 1 ulp off in about 1 case in 3000. */
const MEAN_DECIMALS = 40;
/** NaN, Infinity or -Infinity: NaN sorts above Infinity in numeric, so one comparison says it. */
const nonFinite = (x: string): string => `abs(${x}) >= 'Infinity'`;

/**
 * A numeric duration `n` (with `d`, the same value in the column's own type) as float8, without the cast that
 * fails: beyond the largest double is ±Infinity, below the smallest one is 0, NULL stays NULL.
 */
const asFloat8 = (n: string, d: string): string =>
  `CASE WHEN abs(${n}) < 5e-324 THEN 0::float8 WHEN abs(${n}) <= 1.7976931348623157e308 THEN ${d}::float8 ` +
  `WHEN ${n} > 0 THEN 'Infinity'::float8 WHEN ${n} < 0 THEN '-Infinity'::float8 END`;

/** The identity table of `identity` for the events table `table` ('stitched': `identities` in its schema). */
export function identityTable(identity: EventsIdentity | undefined, table: string): IdentityTable | undefined {
  if (identity === undefined || identity === 'raw') return undefined;
  if (identity === 'stitched') {
    const dot = table.indexOf('.');
    return { table: dot < 0 ? IDENTITIES_TABLE : `${table.slice(0, dot)}.${IDENTITIES_TABLE}`, ...DEFAULT_IDENTITY_COLUMNS };
  }
  return { table: identity.table, anonymous: identity.columns?.anonymous ?? DEFAULT_IDENTITY_COLUMNS.anonymous, user: identity.columns?.user ?? DEFAULT_IDENTITY_COLUMNS.user };
}

/** The events table and its columns, defaults filled, as the statements read them. */
export function eventsTable(options: EventsSqlOptions): EventsTable {
  const c = options.columns ?? {};
  const { table = DEFAULT_EVENTS_TABLE, events, excludePrefix } = options;
  const identity = identityTable(options.identity, table);
  return { table, time: c.time ?? DEFAULT_EVENTS_COLUMNS.time, event: c.event ?? DEFAULT_EVENTS_COLUMNS.event, user: c.user ?? DEFAULT_EVENTS_COLUMNS.user, properties: c.properties ?? DEFAULT_EVENTS_COLUMNS.properties, anonymous: c.anonymous, identity, events, excludePrefix };
}

/** A column of the events table in the statements (the table is `e`: an identity table may have columns of the same name). */
export const eventsColumn = (name: string): string => `e.${quoteIdentifier(name)}`;

/** The row's id before stitching: the user, else (with an anonymous column) the anonymous id. */
function rowIdSql(table: EventsTable): string {
  const user = eventsColumn(table.user);
  return table.anonymous === undefined ? user : `coalesce(${user}::text, ${eventsColumn(table.anonymous)}::text)`;
}

/**
 * The person a row counts as (`users` counts it distinct; NULL is no one): its id, or, stitched, the user the
 * identity table links that id to (`i`, joined by eventsFromSql). Stitched ids are compared as text.
 */
export function personSql(table: EventsTable): string {
  if (table.identity === undefined) return rowIdSql(table);
  return `coalesce(i.${quoteIdentifier(table.identity.user)}::text, (${rowIdSql(table)})::text)`;
}

/**
 * `FROM <table> e [LEFT JOIN <identity table> i] WHERE <range and event filter>` over $1 from, $2 to; the
 * `events` list as a new parameter.
 */
export function eventsFromSql(table: EventsTable, params: unknown[]): string {
  const time = eventsColumn(table.time);
  const event = eventsColumn(table.event);
  let filter = '';
  if (table.events !== undefined) {
    params.push([...table.events]);
    filter = ` AND ${event} = ANY($${params.length}::text[])`;
  }
  if (table.excludePrefix !== undefined && table.excludePrefix !== '') {
    params.push(table.excludePrefix);
    filter += ` AND NOT starts_with(${event}, $${params.length}::text)`;
  }
  const id = table.identity;
  const join = id === undefined ? '' : ` LEFT JOIN ${quoteTableName(id.table)} i ON i.${quoteIdentifier(id.anonymous)}::text = (${rowIdSql(table)})::text`;
  return `FROM ${quoteTableName(table.table)} e${join} WHERE ${time} >= $1::timestamptz AND ${time} < $2::timestamptz AND ${event} IS NOT NULL${filter}`;
}

/**
 * The aggregate statement of one grain over instants [from, to). Parameters: $1 from, $2 to (timestamptz),
 * $3 time zone, then the `timedEvents` list and the `events` list (text[]) when given. With `merge`, only its
 * raw names are read (they replace the `events` list), grouped by their keys: two more text[] parameters.
 */
export function eventsSql(grain: EventsGrain, range: { from: number; to: number }, timeZone: string, options: EventsSqlOptions = {}, merge?: EventKeys): EventsQuery {
  const table = merge === undefined ? eventsTable(options) : { ...eventsTable(options), events: merge.raw };
  const event = eventsColumn(table.event);
  const params: unknown[] = [new Date(range.from).toISOString(), new Date(range.to).toISOString(), timeZone];
  let duration = 'NULL::float8';
  if (options.columns?.duration !== undefined) {
    duration = eventsColumn(options.columns.duration);
    if (options.timedEvents !== undefined) {
      params.push([...options.timedEvents]);
      duration = `CASE WHEN ${event} = ANY($${params.length}::text[]) THEN ${duration} END`;
    }
  }
  const from = eventsFromSql(table, params);
  let key = 'a.e';
  let join = '';
  if (merge !== undefined) {
    params.push([...merge.raw], [...merge.keys]);
    key = 'en.k';
    join = ` JOIN unnest($${params.length - 1}::text[], $${params.length}::text[]) AS en(e, k) ON en.e = a.e`;
  }
  const hour = grain === 'hour' ? `, extract(hour FROM b.t)::int AS hour` : '';
  const kind = (k: string): string => `count(*) FILTER (WHERE b.bad = '${k}')::float8`;
  // a: the rows of the range, the duration also as numeric (x); b: grouped by raw name or key, non-finite
  // durations set apart, computed once per row (OFFSET 0 keeps them from being inlined into every aggregate).
  // The sum is exact, so the mean is independent of row order; its quotient carries MEAN_DECIMALS decimals, so
  // the double nearest to it is the nearest to the mean.
  const text =
    `SELECT to_char(b.t, 'YYYY-MM-DD') AS date${hour}, b.e AS event, count(*)::float8 AS count, ` +
    `count(DISTINCT b.u)::float8 AS users, count(b.n)::float8 AS timed, ` +
    `(round(sum(b.n), ${MEAN_DECIMALS}) / count(b.n))::text AS duration_avg, ` +
    `percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY ${asFloat8('b.n', 'b.d')}) AS duration_pct, ` +
    `${kind('NaN')} AS nan_durations, ${kind('Infinity')} AS inf_durations, ${kind('-Infinity')} AS neg_inf_durations ` +
    `FROM (SELECT a.t, ${key} AS e, a.u, a.d, CASE WHEN ${nonFinite('a.x')} THEN NULL ELSE a.x END AS n, ` +
    `CASE WHEN ${nonFinite('a.x')} THEN a.x::text END AS bad ` +
    `FROM (SELECT date_trunc('${grain}', ${eventsColumn(table.time)} AT TIME ZONE $3) AS t, ${event}::text AS e, ` +
    `${personSql(table)} AS u, ${duration} AS d, (${duration})::text::numeric AS x ${from}) a${join} OFFSET 0) b ` +
    `GROUP BY b.t, b.e ORDER BY b.t, b.e`;
  return { text, params };
}
