// The checks pages: /checks (every configured check and each metric it covers: status, failing buckets of the
// last 7 days, the last failure), and /checks/:check/:metric (the range picker, the chart box and the failing
// buckets' table; web/client/checks/check-page.ts draws them from the API). Read-only, as the API.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { BadRequest, type Masker } from '../api.js';
import { checksJson, CheckNotFound, checkTarget } from '../checks-api.js';
import { checksTable } from '../client/checks/checks-view.js';
import { controlsView } from '../client/dashboard/controls-view.js';
import type { CheckHistoryJson, ChecksJson } from '../client/view/checks-wire.js';
import type { UiDeps } from '../contract.js';
import { onlyParameters } from '../explorer-api.js';
import { UPLOT_STYLE } from './assets.js';
import { markup } from './markup.js';
import { layout, type Html } from './render.js';

const HTML_HEADERS = { 'Cache-Control': 'no-store' } as const;

function summary(list: ChecksJson): Html {
  const metrics = list.checks.flatMap((c) => c.metrics);
  const failing = metrics.filter((m) => m.latest?.status === 'fail').length;
  const warning = metrics.filter((m) => m.latest?.status === 'warn').length;
  const never = metrics.filter((m) => m.latest === null).length;
  return html`<p class="muted checks-summary" data-failing="${failing}">${list.checks.length} check${list.checks.length === 1 ? '' : 's'} on ${metrics.length} metric${metrics.length === 1 ? '' : 's'}:
<b class="${failing > 0 ? 'ck-text-fail' : ''}">${failing} failing</b>, ${warning} warning, ${never} never judged.</p>`;
}

/** `list` masked by the caller. */
export function checksPage(list: ChecksJson): Html {
  const body =
    list.checks.length === 0
      ? html`<p class="muted empty" id="no-checks">No checks configured: add <code>checks</code> to etl.config.json, see docs/checks.md.</p>`
      : html`${summary(list)}${markup(checksTable(list.checks, list.windowDays))}`;
  return layout(
    'Checks',
    { page: 'checks', nav: 'checks' },
    html`<div class="dash-head"><h1>Checks</h1><p class="muted">Each check on each metric it covers: the state of its latest judged bucket, the buckets that did not pass in the last ${list.windowDays} days and the last of them.</p></div>
${body}`,
  );
}

/** `history` masked by the caller (the results are the browser's to draw). */
export function checkPage(history: Omit<CheckHistoryJson, 'results'>): Html {
  const { check, metric } = history;
  const params = Object.entries(check.parameters).map(([k, v]) => html`<span>${k}: <b>${String(v)}</b></span> `);
  return layout(
    `${check.name} on ${metric}`,
    { page: 'check', nav: 'checks', stream: '/api/events?view=jobs', data: { check: check.name, metric }, styles: [UPLOT_STYLE] },
    html`<div class="dash-head"><p class="crumbs"><a href="/checks">Checks</a> /</p><h1>${check.name} <span class="muted">on</span> <a href="/metrics/${encodeURIComponent(metric)}">${metric}</a></h1>
<p class="muted metric-facts"><span>Type: <b>${check.type}</b></span> <span>Grain: <b>${check.grain}</b></span> <span>Severity: <b>${check.severity}</b></span> <span>Pattern: <b>${check.metric}</b></span> ${params}<span>Time zone: <b>${history.timeZone}</b></span></p></div>
${markup(controlsView({ range: history.range, variables: [] }))}
<article class="panel metric-chart check-chart" id="check-chart" data-state="loading"><header class="panel-head"><h3 class="panel-title">Value and expected band</h3><span class="chart-note muted small">shaded: the expected band; red points: buckets that did not pass</span></header><div class="panel-body"></div></article>
<h2>Failing buckets in the range</h2>
<div id="failures-box"><p class="muted">loading…</p></div>`,
  );
}

function problem(c: Context, text: string, status: 400 | 404): Response | Promise<Response> {
  const title = status === 404 ? 'Not found' : 'Bad request';
  return c.html(layout(title, { page: 'error', nav: 'checks' }, html`<h1>${title}</h1><p>${text}</p><p><a href="/checks">Checks</a></p>`), status, HTML_HEADERS);
}

async function checkPageFor(c: Context, deps: UiDeps, mask: Masker): Promise<Response> {
  try {
    onlyParameters(c.req.queries(), ['from', 'to']);
    // The page paints no result: the browser reads them (check-page.ts).
    const { view } = await checkTarget(deps, c.req.param('check') ?? '', c.req.param('metric') ?? '', c.req.query('from'), c.req.query('to'));
    return c.html(checkPage(mask(view)), 200, HTML_HEADERS);
  } catch (error) {
    if (error instanceof CheckNotFound) return problem(c, mask(error.message), 404);
    if (error instanceof BadRequest) return problem(c, mask(error.message), 400);
    throw error;
  }
}

export function registerCheckPages(app: Hono, deps: UiDeps, mask: Masker): void {
  app.get('/checks', async (c) => {
    try {
      onlyParameters(c.req.queries(), []);
    } catch (error) {
      if (error instanceof BadRequest) return problem(c, error.message, 400);
      throw error;
    }
    return c.html(checksPage(mask(await checksJson(deps))), 200, HTML_HEADERS);
  });
  app.get('/checks/:check/:metric', (c) => checkPageFor(c, deps, mask));
}
