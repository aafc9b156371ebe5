// The metric explorer's pages: /metrics (for a browser asking for HTML; Prometheus gets its text there, see
// server.ts) lists every metric by prefix with its latest values and a sparkline; /metrics/:name paints the range
// picker, the two chart boxes, the summary, the CSV link and the panels' Grafana JSON; the browser modules of
// web/client/explorer/ draw the charts from the API.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { DashboardRequestError, explorerRange, findMetric, metricDashboard, type MetricInfo } from '../../dashboards/index.js';
import type { Masker } from '../api.js';
import { BadRequest } from '../api.js';
import { controlsView } from '../client/dashboard/controls-view.js';
import { metricRows, searchForm } from '../client/explorer/list-view.js';
import { chartBox, rangeQuery, seriesPath, summaryView } from '../client/explorer/metric-view.js';
import type { MetricListJson, MetricSeriesJson } from '../client/view/explorer-wire.js';
import type { UiDeps } from '../contract.js';
import { explorerContext, metricList, metricsLimit, onlyParameters } from '../explorer-api.js';
import { UPLOT_STYLE } from './assets.js';
import { markup } from './markup.js';
import { layout, type Html } from './render.js';

const HTML_HEADERS = { 'Cache-Control': 'no-store' } as const;

/** `list` masked by the caller. */
export function metricsListPage(list: MetricListJson, prefix: string): Html {
  return layout(
    'Metrics',
    { page: 'metrics', nav: 'metrics' },
    html`<div class="dash-head"><h1>Metrics</h1><p class="muted">Every metric with its latest hourly and daily value and its daily values of the last 7 days.</p></div>
${markup(searchForm(prefix))}
<table class="list metrics">
<thead><tr><th>Metric</th><th>Unit</th><th>Source</th><th class="num">Latest hourly</th><th class="num">Latest daily</th><th>Last 7 days</th></tr></thead>
<tbody id="metrics">${markup(metricRows(list.metrics, prefix))}</tbody>
</table>`,
  );
}

type PageRange = MetricSeriesJson['range'];

function facts(metric: MetricInfo, timeZone: string): Html {
  const items: Array<[string, string | null]> = [['Unit', metric.unit], ['Kind', metric.kind], ['Source', metric.source], ['Time zone', timeZone]];
  return html`<p class="muted metric-facts">${items.filter(([, v]) => v !== null && v !== '').map(([k, v]) => html`<span>${k}: <b>${v}</b></span> `)}</p>`;
}

/** `metric` and `dashboard` masked by the caller. */
export function metricPage(metric: MetricInfo, range: PageRange, timeZone: string, dashboard: object): Html {
  const query = rangeQuery(range);
  return layout(
    metric.name,
    { page: 'metric', nav: 'metrics', stream: '/api/events?view=jobs', data: { metric: metric.name }, styles: [UPLOT_STYLE] },
    html`<div class="dash-head"><p class="crumbs"><a href="/metrics">Metrics</a> /</p><h1>${metric.name}</h1>${metric.description ? html`<p class="muted">${metric.description}</p>` : ''}${facts(metric, timeZone)}</div>
${markup(controlsView({ range, variables: [] }))}
<div class="metric-charts">${markup(chartBox('hourly', 'Hourly'), chartBox('daily', 'Daily'))}</div>
<div class="metric-foot">
${markup(summaryView(undefined))}
<p class="metric-links"><a id="csv" class="button" href="${seriesPath(metric.name, query, true)}" download>Download CSV</a>
<span class="muted small">the charts' values: time, grain, value, previous (the period before, moved forward)</span></p>
</div>
<details class="panel-json"><summary>As Grafana dashboard JSON (the SQL these numbers come from)</summary>
<pre class="log" id="panel-json">${JSON.stringify(dashboard, null, 2)}</pre></details>`,
  );
}

function problem(c: Context, text: string, status: 400 | 404): Response | Promise<Response> {
  const title = status === 404 ? 'Not found' : 'Bad request';
  return c.html(layout(title, { page: 'error', nav: 'metrics' }, html`<h1>${title}</h1><p>${text}</p><p><a href="/metrics">Metrics</a></p>`), status, HTML_HEADERS);
}

async function listPage(c: Context, deps: UiDeps, mask: Masker): Promise<Response> {
  try {
    onlyParameters(c.req.queries(), ['prefix', 'limit']);
    const prefix = c.req.query('prefix') ?? '';
    const list = await metricList(await explorerContext(deps), prefix, metricsLimit(c.req.query('limit')));
    return c.html(metricsListPage(mask(list), prefix), 200, HTML_HEADERS);
  } catch (error) {
    if (error instanceof BadRequest) return problem(c, error.message, 400);
    throw error;
  }
}

async function metricPageFor(c: Context, deps: UiDeps, mask: Masker): Promise<Response> {
  const name = c.req.param('name') ?? '';
  const ctx = await explorerContext(deps);
  try {
    onlyParameters(c.req.queries(), ['from', 'to']);
    const range = explorerRange(c.req.query('from'), c.req.query('to'), ctx);
    const metric = await findMetric(ctx.db, name);
    if (metric === undefined) return problem(c, `No metric is named ${name}.`, 404);
    const dashboard = metricDashboard(name, ctx.db.settings.schema, ctx.timeZone);
    return c.html(metricPage(mask(metric), range, ctx.timeZone, mask(dashboard)), 200, HTML_HEADERS);
  } catch (error) {
    if (error instanceof BadRequest || error instanceof DashboardRequestError) return problem(c, mask(error.message), 400);
    throw error;
  }
}

export function registerExplorerPages(app: Hono, deps: UiDeps, mask: Masker): void {
  app.get('/metrics', (c) => listPage(c, deps, mask));
  app.get('/metrics/:name', (c) => metricPageFor(c, deps, mask));
}
