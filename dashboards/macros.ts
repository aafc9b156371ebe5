// What Grafana's backend does to a PostgreSQL panel's SQL after the frontend replaced the variables: the global
// substitutions of pkg/tsdb/grafana-postgresql-datasource/sqleng (Interpolate) and the PostgreSQL macro engine
// (macros.go), TimescaleDB off. Then grafanaSql: variables, then macros, with URL values kept out of the macros.
import { DashboardQueryError } from './errors.js';
import { formatInterval, goFloat, parseIntervalSeconds } from './intervals.js';
import { interpolateVariables, type Variables } from './variables.js';

export { formatInterval, goFloat, parseIntervalSeconds } from './intervals.js';

export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

/** How a `$__timeGroup(c, '1h', <fill>)` asks the result to be filled (sqleng.SetupFillmode). */
export interface FillMode {
  readonly intervalMs: number;
  readonly mode: 'null' | 'previous' | 'value';
  readonly value?: number;
}

/** Go's time.Format(time.RFC3339Nano) of a UTC time: fractional seconds without trailing zeros. */
export function rfc3339Nano(date: Date): string {
  return date.toISOString().replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits === '' ? 'Z' : `.${digits}Z`));
}

/** The backend's macro regex: a name, "(", anything but ")", ")". It stops at the FIRST closing parenthesis. */
export const MACRO_REGEX = /\$([_a-zA-Z0-9]+)\(([^)]*)\)/g;

export interface MacroCall {
  readonly name: string;
  /** The argument text as Grafana's regex sees it (up to the first ')'). */
  readonly args: string;
}

/** Every macro call in `sql`, as Grafana's regex finds them. */
export function macroCalls(sql: string): MacroCall[] {
  return [...sql.matchAll(MACRO_REGEX)].map((m) => ({ name: m[1]!, args: m[2]! }));
}

const unix = (date: Date): number => Math.floor(date.getTime() / 1000);
const unixNano = (date: Date): string => (BigInt(date.getTime()) * 1_000_000n).toString();

/** sqleng.SetupFillmode: NULL, previous, or a number. */
function fillMode(intervalSeconds: number, text: string): FillMode {
  const intervalMs = intervalSeconds * 1000;
  if (text === 'NULL') return { intervalMs, mode: 'null' };
  if (text === 'previous') return { intervalMs, mode: 'previous' };
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new DashboardQueryError(`error parsing fill value ${text}`);
  return { intervalMs, mode: 'value', value };
}

/** The group macros' common part: the interval in seconds (Go float), and the fill mode of a third argument. */
function groupInterval(name: string, args: readonly string[], fill: (mode: FillMode) => void): string {
  if (args.length < 2) throw new DashboardQueryError(`macro ${name} needs time column and interval and optional fill value`);
  let seconds: number;
  try {
    seconds = parseIntervalSeconds(args[1]!.replace(/^'+|'+$/g, ''));
  } catch {
    throw new DashboardQueryError(`error parsing interval ${args[1]}`);
  }
  if (args.length === 3) fill(fillMode(seconds, args[2]!));
  return goFloat(seconds);
}

function column(name: string, args: readonly string[]): string {
  if (args.length === 0) throw new DashboardQueryError(`missing time column argument for macro ${name}`);
  return args[0]!;
}

type Macro = (name: string, args: readonly string[], range: TimeRange, fill: (mode: FillMode) => void) => string;

const MACROS: Readonly<Record<string, Macro>> = {
  __time: (n, a) => `${column(n, a)} AS "time"`,
  __timeEpoch: (n, a) => `extract(epoch from ${column(n, a)}) as "time"`,
  __timeFilter: (n, a, r) => `${column(n, a)} BETWEEN '${rfc3339Nano(r.from)}' AND '${rfc3339Nano(r.to)}'`,
  __timeFrom: (_n, _a, r) => `'${rfc3339Nano(r.from)}'`,
  __timeTo: (_n, _a, r) => `'${rfc3339Nano(r.to)}'`,
  __timeGroup: (n, a, _r, f) => {
    const s = groupInterval(n, a, f);
    return `floor(extract(epoch from ${a[0]})/${s})*${s}`;
  },
  __timeGroupAlias: (n, a, r, f) => `${MACROS.__timeGroup!('__timeGroup', a, r, f)} AS "time"`,
  __unixEpochFilter: (n, a, r) => `${column(n, a)} >= ${unix(r.from)} AND ${a[0]} <= ${unix(r.to)}`,
  __unixEpochNanoFilter: (n, a, r) => `${column(n, a)} >= ${unixNano(r.from)} AND ${a[0]} <= ${unixNano(r.to)}`,
  __unixEpochNanoFrom: (_n, _a, r) => unixNano(r.from),
  __unixEpochNanoTo: (_n, _a, r) => unixNano(r.to),
  __unixEpochGroup: (n, a, _r, f) => {
    const s = groupInterval(n, a, f);
    return `floor((${a[0]})/${s})*${s}`;
  },
  __unixEpochGroupAlias: (n, a, r, f) => `${MACROS.__unixEpochGroup!('__unixEpochGroup', a, r, f)} AS "time"`,
};

export interface ExpandedSql {
  readonly sql: string;
  /** Set when a group macro asked for missing buckets to be filled. */
  readonly fill?: FillMode;
}

/**
 * The backend's expansion for a time range: the global substitutions ($__interval_ms, $__interval,
 * $__unixEpochFrom(), $__unixEpochTo()), then every `$__name(args)` by the PostgreSQL macro engine, args split
 * on ',' and trimmed of spaces; `$__timeGroup(...)` directly followed by ',' (its first occurrence) gets the
 * alias (Grafana < 5.3 compatibility). An unknown macro is an error, as in Grafana.
 */
export function expandSql(sql: string, range: TimeRange, intervalMs = 3_600_000): ExpandedSql {
  const original = sql
    .replaceAll('$__interval_ms', String(intervalMs))
    .replaceAll('$__interval', formatInterval(intervalMs))
    .replaceAll('$__unixEpochFrom()', String(unix(range.from)))
    .replaceAll('$__unixEpochTo()', String(unix(range.to)));
  let fill: FillMode | undefined;
  const text = original.replace(MACRO_REGEX, (match: string, rawName: string, rawArgs: string) => {
    let name = rawName;
    if (name === '__timeGroup') {
      const index = original.indexOf(match);
      if (index >= 0 && original[index + match.length] === ',') name = '__timeGroupAlias';
    }
    const macro = MACROS[name];
    if (macro === undefined) throw new DashboardQueryError(`unknown macro "${name}"`);
    return macro(name, rawArgs.split(',').map((arg) => arg.replace(/^ +| +$/g, '')), range, (mode) => (fill = mode));
  });
  return fill === undefined ? { sql: text } : { sql: text, fill };
}

/** expandSql's text only. */
export function expandMacros(sql: string, range: TimeRange, intervalMs = 3_600_000): string {
  return expandSql(sql, range, intervalMs).sql;
}

const HOLD_OPEN = '\uE000';
const HOLD_CLOSE = '\uE001';
const HELD = /\uE000(\d+)\uE001/g;

/**
 * Variables, then macros: the SQL PostgreSQL receives from Grafana for a panel target. Values that are not
 * the file's own (a textbox's text, a query variable's option) are held out while the macros are expanded,
 * then written back, so a URL value can never be read as a macro (whose expansion could close its quotes).
 */
export function prepareSql(rawSql: string, range: TimeRange, variables: Variables, intervalMs = 3_600_000): ExpandedSql {
  if (rawSql.includes(HOLD_OPEN) || rawSql.includes(HOLD_CLOSE)) throw new DashboardQueryError('the SQL holds reserved characters (U+E000, U+E001)');
  const held: string[] = [];
  const hold = (text: string): string => `${HOLD_OPEN}${held.push(text) - 1}${HOLD_CLOSE}`;
  const expanded = expandSql(interpolateVariables(rawSql, variables, { range, hold }), range, intervalMs);
  return { ...expanded, sql: expanded.sql.replace(HELD, (_, index: string) => held[Number(index)]!) };
}

/** prepareSql's text: what Grafana sends PostgreSQL for this SQL, range and variables. */
export function grafanaSql(rawSql: string, range: TimeRange, variables: Variables, intervalMs = 3_600_000): string {
  return prepareSql(rawSql, range, variables, intervalMs).sql;
}
