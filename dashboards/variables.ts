// Template variables in a panel's SQL as Grafana's frontend replaces them (template_srv.ts, the format registry
// of public/app/features/templating, and SqlDatasource.interpolateVariable for the SQL datasources' default),
// made safe for values that come from a URL: such values only ever reach the SQL with their quotes doubled.
import { DashboardQueryError } from './errors.js';

/** A dashboard variable's current value as the SQL datasource interpolates it. */
export interface VariableValue {
  readonly value: string | readonly string[];
  readonly multi?: boolean;
  readonly includeAll?: boolean;
  /**
   * The value comes from the dashboard file itself (an option of a custom, constant or interval variable):
   * formats that do not quote (`:raw`, `:csv`, `:pipe`) may write it as it is. Otherwise (a textbox's text, a
   * query variable's option from the database) every format doubles its single quotes.
   */
  readonly trusted?: boolean;
  /** Written as it is, no format applied (Grafana's custom "All" value). Only for values of the file. */
  readonly verbatim?: boolean;
}

export type Variables = Readonly<Record<string, VariableValue>>;

/** Grafana's variable syntax: $name, [[name]] or [[name:format]], ${name}, ${name.path} or ${name:format}. */
export const VARIABLE_REGEX = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

const doubled = (value: string): string => value.replace(/'/g, "''");
/** A PostgreSQL string literal: quotes doubled (standard_conforming_strings is on: a backslash is an ordinary character). */
export const quoteLiteral = (value: string): string => `'${doubled(value)}'`;
const quoteIdentifierLike = (value: string): string => `"${value.replace(/"/g, '""')}"`;
const regexEscape = (value: string): string => value.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');

const list = (value: string | readonly string[]): readonly string[] => (typeof value === 'string' ? [value] : value);

/** The SQL datasources' own formatting (no `:format`): one value with its quotes doubled, several as quoted literals. */
function sqlDefault(variable: VariableValue): string {
  const { value } = variable;
  if (typeof value === 'string') return variable.multi === true || variable.includeAll === true ? quoteLiteral(value) : doubled(value);
  return value.map(quoteLiteral).join(',');
}

/** Formats that quote each value themselves: safe for any value. */
const QUOTING: Readonly<Record<string, (values: readonly string[]) => string>> = {
  sqlstring: (values) => values.map(quoteLiteral).join(','),
  // Grafana escapes a quote as \' here; in PostgreSQL that ends the literal, so quotes are doubled instead.
  singlequote: (values) => values.map(quoteLiteral).join(','),
  doublequote: (values) => values.map(quoteIdentifierLike).join(','),
};

/** Formats that write the values as they are (Grafana's format registry). */
const PLAIN: Readonly<Record<string, (values: readonly string[], single: boolean) => string>> = {
  raw: (values) => values.join(','),
  text: (values) => values.join(' + '),
  csv: (values) => values.join(','),
  pipe: (values) => values.join('|'),
  distributed: (values) => values.join(','),
  glob: (values, single) => (single ? values[0]! : `{${values.join(',')}}`),
  regex: (values, single) => (single ? regexEscape(values[0]!) : `(${values.map(regexEscape).join('|')})`),
  json: (values, single) => JSON.stringify(single ? values[0] : values),
  percentencode: (values, single) => encodeURIComponent(single ? values[0]! : `{${values.join(',')}}`),
  queryparam: (values) => values.map((v) => `var-${encodeURIComponent(v)}`).join('&'),
};

/** `variable` written with `format` (undefined: the SQL datasource's default); `name` only names it in errors. */
export function formatVariable(name: string, variable: VariableValue, format?: string): string {
  if (variable.verbatim === true) return list(variable.value).join(',');
  if (format === undefined) return sqlDefault(variable);
  const values = list(variable.value);
  const quoting = QUOTING[format];
  if (quoting !== undefined) return quoting(values);
  const plain = PLAIN[format];
  if (plain === undefined) throw new DashboardQueryError(`variable '${name}': format '${format}' is not one Grafana knows (csv, sqlstring, raw, singlequote, doublequote, pipe, ...)`);
  // A value from a URL may hold a quote: doubled, it stays inside the literal the SQL puts it in.
  return plain(variable.trusted === true ? values : values.map(doubled), typeof variable.value === 'string');
}

/** `${__from}` / `${__to}` and their `:date`, `:date:iso`, `:date:seconds` formats (Grafana's time range variables). */
function rangeVariable(ms: number, format: string | undefined): string | undefined {
  if (format === undefined || format === 'raw') return String(ms);
  if (format === 'date' || format === 'date:iso') return new Date(ms).toISOString();
  if (format === 'date:seconds') return String(Math.floor(ms / 1000));
  return undefined;
}

export interface InterpolateOptions {
  /** The range, for `${__from}` and `${__to}`. */
  readonly range?: { readonly from: Date; readonly to: Date };
  /**
   * Receives the text of every value that is not the file's own (not `trusted`) and returns what to write
   * instead (a placeholder put back after the macros are expanded, so no URL text is read as a macro).
   */
  readonly hold?: (text: string) => string;
}

/**
 * Replaces the dashboard variables in `sql` as Grafana's SQL datasources do. Unknown names (`$__timeFilter`,
 * the macros) are left for the backend. A `${name.path}` (an object's field) is refused.
 */
export function interpolateVariables(sql: string, variables: Variables, options: InterpolateOptions = {}): string {
  return sql.replace(VARIABLE_REGEX, (match, n1?: string, n2?: string, f2?: string, n3?: string, path?: string, f3?: string) => {
    const name = n1 ?? n2 ?? n3 ?? '';
    const format = f2 ?? f3;
    if ((name === '__from' || name === '__to') && options.range !== undefined && variables[name] === undefined) {
      const text = rangeVariable(options.range[name === '__from' ? 'from' : 'to'].getTime(), format);
      if (text !== undefined) return text;
    }
    const variable = variables[name];
    if (variable === undefined) return match;
    if (path !== undefined) throw new DashboardQueryError(`variable '${name}': field paths (${match}) are not supported`);
    const text = formatVariable(name, variable, format);
    return variable.trusted === true || options.hold === undefined ? text : options.hold(text);
  });
}
