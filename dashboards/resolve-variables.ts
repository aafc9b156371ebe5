// A dashboard's template variables resolved for one request: the URL's `var-<name>` values checked against
// each variable's options (a query or custom variable's value must be one of them: 400 otherwise), a textbox's
// free text kept as text (its quotes doubled wherever it reaches SQL), "All", multi-values, and query variables
// run like a panel's query. The `tz` textbox defaults to the configured time zone.
import { BadVariableValue, DashboardQueryError } from './errors.js';
import type { TimeRange } from './macros.js';
import { customOptions, filterByRegex, rowOptions, sortOptions, uniqueOptions, type VariableOption } from './variable-options.js';
import type { Variables, VariableValue } from './variables.js';

export const ALL_VALUE = '$__all';
const TYPES = ['textbox', 'custom', 'constant', 'query', 'interval', 'datasource', 'adhoc'] as const;
export type VariableType = (typeof TYPES)[number];

/** A variable as the dashboard JSON answer gives it (fits web/client/view/dashboard-wire.ts's VariableJson). */
export interface ResolvedVariable {
  readonly name: string;
  readonly label: string;
  readonly type: VariableType;
  readonly hide: number;
  readonly multi: boolean;
  readonly includeAll: boolean;
  readonly options: readonly VariableOption[];
  readonly current: readonly string[];
  readonly error?: string;
}

export interface VariableRequest {
  /** The URL's `var-<name>` values, by name. */
  readonly url: Readonly<Record<string, readonly string[]>>;
  readonly range: TimeRange;
  /** The configured time zone: the `tz` textbox's value when the URL gives none. */
  readonly timeZone: string;
  /** A public view: every variable, textboxes included, only takes one of its options. */
  readonly strict: boolean;
  /** Runs a query variable's SQL (variables so far already known): its rows, or a DashboardQueryError. */
  readonly query: (rawSql: string, variables: Variables) => Promise<Record<string, unknown>[]>;
}

type Json = Readonly<Record<string, unknown>>;
const str = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));

/** The file's current value(s) of a variable. */
function fileCurrent(v: Json): string[] {
  const value = (v.current as Json | undefined)?.value;
  if (Array.isArray(value)) return value.map(str);
  return value === undefined ? [] : [str(value)];
}

async function optionsOf(v: Json, type: VariableType, known: Variables, request: VariableRequest): Promise<{ options: VariableOption[]; error?: string }> {
  if (type === 'custom' || type === 'interval') {
    if (str(v.query) !== '' || !Array.isArray(v.options)) return { options: customOptions(str(v.query)) };
    return { options: (v.options as Json[]).map((o) => ({ text: str(o.text), value: str(o.value) })) };
  }
  if (type === 'constant') return { options: [{ text: str(v.query), value: str(v.query) }] };
  if (type !== 'query') return { options: [] };
  try {
    const rows = await request.query(str(typeof v.query === 'object' && v.query !== null ? (v.query as Json).rawSql ?? (v.query as Json).query : v.query), known);
    return { options: uniqueOptions(sortOptions(filterByRegex(rowOptions(rows), str(v.regex) || undefined), v.sort)) };
  } catch (error) {
    if (!(error instanceof DashboardQueryError)) throw error;
    return { options: [], error: error.message };
  }
}

/** The chosen value(s): the URL's (checked), else the file's current if still an option, else the first option. */
function chosen(name: string, v: Json, type: VariableType, options: readonly VariableOption[], request: VariableRequest, error?: string): string[] {
  const asked = request.url[name];
  const multi = v.multi === true;
  const includeAll = v.includeAll === true;
  const allowed = new Set(options.map((o) => o.value));
  if (asked !== undefined && asked.length > 0) {
    if (asked.length > 1 && !multi) throw new BadVariableValue(name, 'takes one value, the URL gives several');
    const free = type === 'textbox' && !request.strict;
    for (const value of asked) {
      if (free || (value === ALL_VALUE && includeAll) || allowed.has(value)) continue;
      throw new BadVariableValue(name, error !== undefined ? `cannot check '${value}': its options failed to load (${error})` : `'${value}' is not one of its options`);
    }
    return asked.includes(ALL_VALUE) ? [ALL_VALUE] : [...asked];
  }
  const current = fileCurrent(v).filter((value) => allowed.has(value) || (value === ALL_VALUE && includeAll));
  if (current.length > 0) return current;
  return options.length > 0 ? [options[0]!.value] : [];
}

/** The value the SQL receives: "All" as the custom all value (verbatim) or every option; file options trusted. */
function sqlValue(v: Json, type: VariableType, current: readonly string[], options: readonly VariableOption[]): VariableValue {
  const multi = v.multi === true;
  const includeAll = v.includeAll === true;
  const trusted = type === 'custom' || type === 'constant' || type === 'interval';
  if (current[0] === ALL_VALUE) {
    if (typeof v.allValue === 'string' && v.allValue !== '') return { value: v.allValue, verbatim: true, trusted: true };
    return { value: options.map((o) => o.value), multi, includeAll, trusted };
  }
  return { value: multi ? [...current] : (current[0] ?? ''), multi, includeAll, trusted };
}

function textboxOptions(v: Json, request: VariableRequest): VariableOption[] {
  const fallback = v.name === 'tz' ? request.timeZone : str(v.query) || (fileCurrent(v)[0] ?? '');
  const asked = request.url[str(v.name)];
  const value = !request.strict && asked !== undefined && asked.length > 0 ? asked[0]! : fallback;
  return [{ text: value, value }];
}

/** Every variable of the dashboard, in order (a query variable may use the ones before it), and their SQL values. */
export async function resolveVariables(dashboard: Json, request: VariableRequest): Promise<{ variables: ResolvedVariable[]; values: Variables }> {
  const list = ((dashboard.templating as Json | undefined)?.list ?? []) as Json[];
  const values: Record<string, VariableValue> = {};
  const variables: ResolvedVariable[] = [];
  for (const v of list) {
    const name = str(v.name);
    const type = (TYPES as readonly string[]).includes(str(v.type)) ? (str(v.type) as VariableType) : 'adhoc';
    const { options, error } = type === 'textbox' ? { options: textboxOptions(v, request), error: undefined } : await optionsOf(v, type, values, request);
    const current = chosen(name, v, type, options, request, error);
    values[name] = sqlValue(v, type, current, options);
    variables.push({
      name, label: str(v.label) || name, type, hide: typeof v.hide === 'number' ? v.hide : 0,
      multi: v.multi === true, includeAll: v.includeAll === true, options, current, ...(error === undefined ? {} : { error }),
    });
  }
  return { variables, values };
}
