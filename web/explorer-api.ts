// The metric explorer's API (web/client/view/explorer-wire.ts): the metrics by prefix with their latest values and
// last 7 days, and one metric's hourly and daily series with the period before, its summary, and the same as CSV.
// Every query is the Grafana panel SQL of dashboards/explorer.ts, run read-only. 400 naming a bad or unknown
// parameter, 404 for an unknown metric.
import type { Context, Hono } from 'hono';
import {
  DashboardRequestError, explorerRange, findMetric, listExplorerMetrics, metricSeries, type ExplorerContext,
} from '../dashboards/index.js';
import { BadRequest, type Masker } from './api.js';
import { alignPair } from './client/explorer/align.js';
import type { MetricListJson, MetricSeriesJson } from './client/view/explorer-wire.js';
import type { UiDeps } from './contract.js';
import { dashboardsSettings } from './pages/dashboard-source.js';

export const DEFAULT_METRICS_LIMIT = 200;
export const MAX_METRICS_LIMIT = 1000;

/** The database, the dashboards' query limits and the ETL's zone. */
export async function explorerContext(deps: UiDeps): Promise<ExplorerContext> {
  const settings = dashboardsSettings(deps);
  return { db: await deps.runtime.metricsDb(), limits: { timeoutMs: settings.queryTimeoutMs, maxRows: settings.maxRows }, timeZone: deps.runtime.config.timeZone };
}

/** BadRequest naming every parameter of `query` that is not one of `allowed`. */
export function onlyParameters(query: Readonly<Record<string, unknown>>, allowed: readonly string[]): void {
  const unknown = Object.keys(query).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new BadRequest(`unknown parameter${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (this API reads ${allowed.length === 0 ? 'none' : allowed.join(', ')})`);
}

/** The list's limit: 1..1000, default 200. */
export function metricsLimit(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_METRICS_LIMIT;
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > MAX_METRICS_LIMIT) throw new BadRequest(`limit: '${text}' is not a whole number from 1 to ${MAX_METRICS_LIMIT}`);
  return Number(text);
}

/** GET /api/metrics's answer for `prefix` and `limit`. */
export async function metricList(ctx: ExplorerContext, prefix: string, limit: number): Promise<MetricListJson> {
  return { metrics: await listExplorerMetrics(ctx, prefix, limit, explorerRange('now-7d', 'now', ctx)) };
}

/** One metric's series for the URL's range; undefined for an unknown metric; DashboardRequestError for a bad range. */
export async function seriesJson(ctx: ExplorerContext, name: string, from: string | undefined, to: string | undefined): Promise<MetricSeriesJson | undefined> {
  const range = explorerRange(from, to, ctx);
  const metric = await findMetric(ctx.db, name);
  if (metric === undefined) return undefined;
  return { metric, range, timeZone: ctx.timeZone, ...(await metricSeries(ctx, name, range)) };
}

const cell = (value: number | null): string => (value === null ? '' : String(value));

/** The charts' values as CSV: time (ISO, UTC), grain (hourly or daily), value, previous; hourly rows first. */
export function seriesCsv(series: Pick<MetricSeriesJson, 'hourly' | 'daily'>): string {
  const lines = ['time,grain,value,previous'];
  for (const grain of ['hourly', 'daily'] as const) {
    const { times, value, previous } = alignPair(series[grain]);
    times.forEach((t, i) => lines.push(`${new Date(t).toISOString()},${grain},${cell(value[i]!)},${cell(previous[i]!)}`));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name for the download: the metric's name and range, other characters as '_'. */
function csvFileName(name: string, series: MetricSeriesJson): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace(':', '');
  return `${name}_${day(series.range.fromMs)}_${day(series.range.toMs)}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function registerExplorerApi(app: Hono, deps: UiDeps, mask: Masker): void {
  const series = async (c: Context): Promise<MetricSeriesJson | Response> => {
    onlyParameters(c.req.queries(), ['from', 'to']);
    const name = c.req.param('name') ?? '';
    try {
      const found = await seriesJson(await explorerContext(deps), name, c.req.query('from'), c.req.query('to'));
      return found === undefined ? c.json(mask({ error: `no metric is named '${name}'` }), 404) : mask(found);
    } catch (error) {
      throw error instanceof DashboardRequestError ? new BadRequest(`from, to: ${error.message}`) : error;
    }
  };
  app.get('/api/metrics', async (c) => {
    onlyParameters(c.req.queries(), ['prefix', 'limit']);
    const limit = metricsLimit(c.req.query('limit'));
    return c.json(mask(await metricList(await explorerContext(deps), c.req.query('prefix') ?? '', limit)));
  });
  app.get('/api/metrics/:name/series', async (c) => {
    const found = await series(c);
    return found instanceof Response ? found : c.json(found);
  });
  app.get('/api/metrics/:name/series.csv', async (c) => {
    const found = await series(c);
    if (found instanceof Response) return found;
    return c.body(seriesCsv(found), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${csvFileName(found.metric.name, found)}"`, 'Cache-Control': 'no-store' });
  });
}
