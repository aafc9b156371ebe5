// What Grafana does to a PostgreSQL panel's SQL before running it: template variables (frontend), then the
// global SQL substitutions and the PostgreSQL macro engine (backend), reproduced from Grafana's sources:
// public/app/features/templating/template_srv.ts + SqlDatasource.interpolateVariable (frontend),
// pkg/tsdb/sqleng Interpolate and pkg/tsdb/grafana-postgresql-datasource/macros.go (backend).

export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

/** A dashboard variable's current value as the SQL datasource interpolates it. */
export interface VariableValue {
  readonly value: string | readonly string[];
  readonly multi?: boolean;
  readonly includeAll?: boolean;
}

/** Grafana's template variable syntax: $name, [[name]] or [[name:format]], ${name}, ${name.path} or ${name:format}. */
const VARIABLE_REGEX = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

const quoteLiteral = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * Replaces the dashboard variables in `sql` as the SQL datasources do: a single-valued variable's text with
 * its quotes doubled (the SQL puts it in quotes itself: '$tz'), a multi-valued one as a list of quoted
 * literals. Unknown names (`$__timeFilter`, macros) are left for the backend. Formats (`:csv`) are refused.
 */
export function interpolateVariables(sql: string, variables: Readonly<Record<string, VariableValue>>): string {
  return sql.replace(VARIABLE_REGEX, (match, n1?: string, n2?: string, format2?: string, n3?: string, path?: string, format3?: string) => {
    const name = n1 ?? n2 ?? n3 ?? '';
    const variable = variables[name];
    if (variable === undefined) return match;
    if (format2 !== undefined || format3 !== undefined || path !== undefined) throw new Error(`variable formats are not reproduced here: ${match}`);
    const { value } = variable;
    if (typeof value === 'string') return variable.multi === true || variable.includeAll === true ? quoteLiteral(value) : value.replace(/'/g, "''");
    return value.map(quoteLiteral).join(',');
  });
}

/** Go's time.Format(time.RFC3339Nano) of a UTC time: fractional seconds without trailing zeros. */
export function rfc3339Nano(date: Date): string {
  return date.toISOString().replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits === '' ? 'Z' : `.${digits}Z`));
}

/** Go's %v of a float64 (strconv 'g', shortest): 3600 -> 3600, 1e6 -> 1e+06, 0.5 -> 0.5. */
export function goFloat(value: number): string {
  if (value === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, exp] = value.toExponential().split('e') as [string, string];
    const sign = exp.startsWith('-') ? '-' : '+';
    const digits = exp.replace(/^[+-]/, '');
    return `${mantissa}e${sign}${digits.padStart(2, '0')}`;
  }
  return String(value);
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** gtime.ParseInterval for the fixed units (months and years are calendar-dependent: refused). */
export function parseIntervalSeconds(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d|w)$/.exec(text);
  if (match === null) throw new Error(`error parsing interval ${text}`);
  return (Number(match[1]) * UNIT_MS[match[2]!]!) / 1000;
}

/** gtime.FormatInterval: the largest unit that fits, rounded down. */
export function formatInterval(ms: number): string {
  const units: [number, string][] = [[365 * 86_400_000, 'y'], [86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'm'], [1_000, 's'], [1, 'ms']];
  for (const [size, unit] of units) if (ms >= size) return `${Math.floor(ms / size)}${unit}`;
  return '1ms';
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

function evaluateMacro(name: string, args: readonly string[], range: TimeRange): string {
  const column = (): string => {
    if (args.length === 0 || args[0] === '') throw new Error(`missing time column argument for macro ${name}`);
    return args[0]!;
  };
  const from = range.from;
  const to = range.to;
  switch (name) {
    case '__time':
      return `${column()} AS "time"`;
    case '__timeEpoch':
      return `extract(epoch from ${column()}) as "time"`;
    case '__timeFilter':
      return `${column()} BETWEEN '${rfc3339Nano(from)}' AND '${rfc3339Nano(to)}'`;
    case '__timeFrom':
      return `'${rfc3339Nano(from)}'`;
    case '__timeTo':
      return `'${rfc3339Nano(to)}'`;
    case '__timeGroup': {
      if (args.length < 2) throw new Error(`macro ${name} needs time column and interval and optional fill value`);
      const seconds = goFloat(parseIntervalSeconds(args[1]!.replace(/^'+|'+$/g, '')));
      return `floor(extract(epoch from ${args[0]})/${seconds})*${seconds}`;
    }
    case '__timeGroupAlias':
      return `${evaluateMacro('__timeGroup', args, range)} AS "time"`;
    case '__unixEpochFilter':
      return `${column()} >= ${Math.floor(from.getTime() / 1000)} AND ${column()} <= ${Math.floor(to.getTime() / 1000)}`;
    default:
      throw new Error(`unknown macro "${name}"`);
  }
}

/**
 * The backend's expansion for a time range: the global substitutions ($__interval_ms, $__interval,
 * $__unixEpochFrom(), $__unixEpochTo()), then every `$__name(args)` by the PostgreSQL macro engine, args split
 * on ',' and trimmed of spaces; `$__timeGroup(...)` directly followed by ',' (first occurrence) gets the alias.
 */
export function expandMacros(sql: string, range: TimeRange, intervalMs = 3_600_000): string {
  let text = sql
    .replaceAll('$__interval_ms', String(intervalMs))
    .replaceAll('$__interval', formatInterval(intervalMs))
    .replaceAll('$__unixEpochFrom()', String(Math.floor(range.from.getTime() / 1000)))
    .replaceAll('$__unixEpochTo()', String(Math.floor(range.to.getTime() / 1000)));
  const original = text;
  text = original.replace(MACRO_REGEX, (match: string, rawName: string, rawArgs: string) => {
    let name = rawName;
    if (name === '__timeGroup') {
      const index = original.indexOf(match);
      if (index >= 0 && original[index + match.length] === ',') name = '__timeGroupAlias';
    }
    const args = rawArgs.split(',').map((arg) => arg.replace(/^ +| +$/g, ''));
    return evaluateMacro(name, args, range);
  });
  return text;
}

/** Variables, then macros: the SQL PostgreSQL receives from Grafana for this panel target. */
export function grafanaSql(rawSql: string, range: TimeRange, variables: Readonly<Record<string, VariableValue>>): string {
  return expandMacros(interpolateVariables(rawSql, variables), range);
}
