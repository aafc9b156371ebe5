// A panel's data for one request (dashboard, panel id, range, URL variables): every target of the panel with
// the variables resolved, Grafana's macros expanded, run read-only on the metrics database and shaped as data
// frames; and a dashboard as the browser renders it (variables resolved; no SQL in a public view).
import type { MetricsDb } from '../writers/metrics-db.js';
import type { DashboardFile } from './catalog.js';
import { DashboardNotFound, DashboardQueryError } from './errors.js';
import { toFrame, type Frame } from './frames.js';
import { calculateIntervalMs, panelResolution, parseIntervalMs } from './intervals.js';
import { prepareSql, type TimeRange } from './macros.js';
import { resolveVariables, type ResolvedVariable } from './resolve-variables.js';
import { recordsOf, runReadOnly } from './run-query.js';
import type { DashboardsSettings } from './settings.js';
import { parseTimeRange, type ResolvedRange } from './time-range.js';
import type { Variables } from './variables.js';

type Json = Readonly<Record<string, unknown>>;

/** What every request needs: the database, the settings, the configured zone. */
export interface DashboardContext {
  readonly db: MetricsDb;
  readonly settings: DashboardsSettings;
  /** The configured time zone (dates and hours of the metrics; `$tz`'s default; `/d` rounding). */
  readonly timeZone: string;
  /** Epoch ms of "now" (tests). */
  readonly now?: number;
}

export interface ViewRequest {
  /** The URL's from/to (default: the dashboard's `time`). */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** The URL's `var-<name>` values. */
  readonly variables: Readonly<Record<string, readonly string[]>>;
  /** A public view: variables restricted to their options, no SQL in the answer. */
  readonly public: boolean;
}

export interface PanelData {
  readonly panelId: number;
  readonly frames: readonly Frame[];
  readonly error?: string;
  readonly truncated?: boolean;
  readonly intervalMs: number;
  /** The SQL each target ran (variables and macros expanded): what it reads, for the caller (never sent to a public view). */
  readonly sql: readonly string[];
}

export interface DashboardView {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly dashboard: Json;
  readonly range: ResolvedRange;
  readonly refreshMs: number | null;
  readonly timeZone: string;
  readonly variables: readonly ResolvedVariable[];
  readonly public: boolean;
}

/** Every panel of the dashboard, those inside (collapsed) rows included. */
export function allPanels(json: Json): Json[] {
  const top = Array.isArray(json.panels) ? (json.panels as Json[]) : [];
  return top.flatMap((p) => [p, ...(Array.isArray(p.panels) ? (p.panels as Json[]) : [])]);
}

/** The dashboard's zone: its own `timezone` when an IANA zone, UTC for 'utc', else the configured one ('browser'). */
export function dashboardZone(json: Json, configured: string): string {
  const zone = typeof json.timezone === 'string' ? json.timezone : '';
  if (zone === 'utc') return 'UTC';
  return zone === '' || zone === 'browser' ? configured : zone;
}

function rangeOf(json: Json, request: ViewRequest, ctx: DashboardContext): ResolvedRange {
  const time = (json.time ?? {}) as Json;
  const from = request.from || (typeof time.from === 'string' ? time.from : 'now-6h');
  const to = request.to || (typeof time.to === 'string' ? time.to : 'now');
  const weekStart = typeof json.weekStart === 'string' ? json.weekStart : undefined;
  return parseTimeRange(from, to, { timeZone: dashboardZone(json, ctx.timeZone), ...(ctx.now === undefined ? {} : { now: ctx.now }), ...(weekStart === undefined ? {} : { weekStart }) });
}

const asRange = (r: ResolvedRange): TimeRange => ({ from: new Date(r.fromMs), to: new Date(r.toMs) });
const limits = (ctx: DashboardContext) => ({ timeoutMs: ctx.settings.queryTimeoutMs, maxRows: ctx.settings.maxRows });

async function variablesFor(json: Json, range: ResolvedRange, request: ViewRequest, ctx: DashboardContext) {
  const timeRange = asRange(range);
  const intervalMs = calculateIntervalMs(range.fromMs, range.toMs, 1920);
  return resolveVariables(json, {
    url: request.variables,
    range: timeRange,
    timeZone: ctx.timeZone,
    strict: request.public,
    query: async (rawSql, known) => recordsOf((await runReadOnly(ctx.db, prepareSql(rawSql, timeRange, known, intervalMs).sql, limits(ctx))).table),
  });
}

/** Does `text` name the variable `name` (`$name`, `${name...}`, `[[name...]]`)? A longer name starting alike counts too (harmless). */
const names = (text: string, name: string): boolean => text.includes(`$${name}`) || text.includes(`\${${name}`) || text.includes(`[[${name}`);

/**
 * The dashboard as one panel's data needs it: a query variable is left out when neither the panel's SQL nor a
 * variable kept after it names it and the URL gives it no value (to check), since its query would run on every
 * panel request for nothing. The others stay, so a URL value is checked as for the whole dashboard.
 */
function variablesOfPanel(json: Json, targets: readonly Json[], request: ViewRequest): Json {
  const templating = (json.templating ?? {}) as Json;
  const list = Array.isArray(templating.list) ? (templating.list as Json[]) : [];
  const texts = targets.map((t) => (typeof t.rawSql === 'string' ? t.rawSql : ''));
  const kept: Json[] = [];
  for (const v of [...list].reverse()) {
    const name = typeof v.name === 'string' ? v.name : '';
    if (v.type === 'query' && (request.variables[name]?.length ?? 0) === 0 && !texts.some((t) => names(t, name))) continue;
    kept.unshift(v);
    texts.push(JSON.stringify(v)); // a query variable may use the ones before it
  }
  return kept.length === list.length ? json : { ...json, templating: { ...templating, list: kept } };
}

interface TargetResult {
  readonly frame?: Frame;
  readonly error?: string;
  readonly truncated: boolean;
  readonly sql?: string;
}

async function runTarget(target: Json, range: TimeRange, values: Variables, intervalMs: number, ctx: DashboardContext): Promise<TargetResult> {
  const refId = typeof target.refId === 'string' ? target.refId : 'A';
  try {
    if (typeof target.rawSql !== 'string' || target.rawSql.trim() === '') return { truncated: false };
    const { sql, fill } = prepareSql(target.rawSql, range, values, intervalMs);
    const { table, truncated } = await runReadOnly(ctx.db, sql, limits(ctx));
    return { frame: toFrame(table, target.format === 'table' ? 'table' : 'time_series', refId, range, fill), truncated, sql };
  } catch (error) {
    if (error instanceof DashboardQueryError) return { error: `${refId}: ${error.message}`, truncated: false };
    throw error;
  }
}

const targetsOf = (panel: Json): Json[] => (Array.isArray(panel.targets) ? (panel.targets as Json[]) : []).filter((t) => t.hide !== true);

function findPanel(dashboard: DashboardFile, panelId: number): Json {
  const panel = allPanels(dashboard.json).find((p) => p.id === panelId && p.type !== 'row');
  if (panel === undefined) throw new DashboardNotFound(`dashboard '${dashboard.uid}' has no panel ${panelId}`);
  return panel;
}

/** One panel's targets run (in parallel) with the range and variables already resolved. */
async function runPanel(panel: Json, range: ResolvedRange, values: Variables, ctx: DashboardContext): Promise<PanelData> {
  const minInterval = typeof panel.interval === 'string' ? panel.interval : undefined;
  const intervalMs = calculateIntervalMs(range.fromMs, range.toMs, panelResolution(panel), minInterval);
  const results = await Promise.all(targetsOf(panel).map((t) => runTarget(t, asRange(range), values, intervalMs, ctx)));
  const error = results.find((r) => r.error !== undefined)?.error;
  const truncated = results.some((r) => r.truncated);
  return {
    panelId: panel.id as number, frames: results.flatMap((r) => (r.frame === undefined ? [] : [r.frame])), intervalMs, sql: results.flatMap((r) => (r.sql === undefined ? [] : [r.sql])),
    ...(error === undefined ? {} : { error }), ...(truncated ? { truncated } : {}),
  };
}

/** The panel's frames: every target (hidden ones skipped); the first failing target's error. 404 for an unknown panel. */
export async function panelData(dashboard: DashboardFile, panelId: number, request: ViewRequest, ctx: DashboardContext): Promise<PanelData> {
  const panel = findPanel(dashboard, panelId);
  const range = rangeOf(dashboard.json, request, ctx);
  const { values } = await variablesFor(variablesOfPanel(dashboard.json, targetsOf(panel), request), range, request, ctx);
  return runPanel(panel, range, values, ctx);
}

/**
 * Several panels of one dashboard, as one page asks for them: the range and the variables resolved once (a query
 * variable only when one of these panels, or a variable they keep, names it), the panels' queries all started,
 * each panel given as soon as its data is ready. What is wrong with the request itself (an unknown panel: 404; a
 * bad range or variable value: 400) throws before anything is given.
 */
export async function panelsData(dashboard: DashboardFile, panelIds: readonly number[], request: ViewRequest, ctx: DashboardContext): Promise<AsyncIterable<PanelData>> {
  const panels = [...new Set(panelIds)].map((id) => findPanel(dashboard, id));
  const range = rangeOf(dashboard.json, request, ctx);
  const { values } = await variablesFor(variablesOfPanel(dashboard.json, panels.flatMap(targetsOf), request), range, request, ctx);
  return inCompletionOrder(panels.map((panel) => runPanel(panel, range, values, ctx)));
}

/** The values of `promises` in the order they settle (a rejection is thrown where it falls). */
async function* inCompletionOrder<T>(promises: readonly Promise<T>[]): AsyncGenerator<T> {
  const settled: (() => T)[] = [];
  let wake: (() => void) | undefined;
  for (const promise of promises) {
    promise.then(
      (value) => void settled.push(() => value),
      (error: unknown) => void settled.push(() => { throw error; }),
    ).finally(() => wake?.());
  }
  for (let given = 0; given < promises.length; given++) {
    while (settled.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    yield settled.shift()!();
  }
}

const SQL_KEYS = new Set(['rawSql', 'query', 'definition']);

/** A copy of the dashboard JSON without any SQL text (`rawSql`, a variable's `query` and `definition`). */
export function withoutSql<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutSql) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !SQL_KEYS.has(key)).map(([key, inner]) => [key, withoutSql(inner)])) as T;
}

function refreshMs(json: Json): number | null {
  if (typeof json.refresh !== 'string' || json.refresh === '') return null;
  try {
    return parseIntervalMs(json.refresh);
  } catch {
    return null;
  }
}

/** The dashboard to render: its JSON (no SQL when public), the range asked and resolved, the variables resolved. */
export async function dashboardJson(dashboard: DashboardFile, request: ViewRequest, ctx: DashboardContext): Promise<DashboardView> {
  const range = rangeOf(dashboard.json, request, ctx);
  const { variables } = await variablesFor(dashboard.json, range, request, ctx);
  return {
    uid: dashboard.uid, title: dashboard.title, description: dashboard.description,
    dashboard: request.public ? withoutSql(dashboard.json) : dashboard.json,
    range, refreshMs: refreshMs(dashboard.json), timeZone: dashboardZone(dashboard.json, ctx.timeZone),
    variables, public: request.public,
  };
}
