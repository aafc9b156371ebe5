// The dashboards pages: /dashboards (the list), /dashboards/:uid and /public/:uid (a dashboard: the server paints
// its controls and grid, each panel's box and title; the browser module web/client/dashboard/page.ts fetches
// and draws the panels). A public page links nowhere else and reads the public API (body data-api).
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { DashboardRequestError } from '../../dashboards/index.js';
import type { Masker } from '../api.js';
import { controlsView } from '../client/dashboard/controls-view.js';
import { dashboardGrid } from '../client/dashboard/grid-view.js';
import { dashboardRow } from '../client/dashboard/list-view.js';
import { panelsOf } from '../client/dashboard/panel-spec.js';
import type { DashboardEntryJson, DashboardJson } from '../client/view/dashboard-wire.js';
import type { UiDeps } from '../contract.js';
import { dashboardEntries } from '../dashboards-api.js';
import { UPLOT_STYLE } from './assets.js';
import { readDashboard, viewRequest } from './dashboard-source.js';
import { markup } from './markup.js';
import { layout, type Html } from './render.js';

const HTML_HEADERS = { 'Cache-Control': 'no-store' } as const;

/** `entries` masked by the caller. */
export function dashboardsPage(entries: readonly DashboardEntryJson[]): Html {
  return layout(
    'Dashboards',
    { page: 'dashboards', nav: 'dashboards' },
    html`<h1>Dashboards</h1>
<table class="list dashboards">
<thead><tr><th>Dashboard</th><th>Description</th><th>Tags</th><th>From</th><th>Public</th></tr></thead>
<tbody id="dashboards">${markup(entries.map(dashboardRow))}</tbody>
</table>
${entries.length === 0 ? html`<p class="muted">No dashboards: put Grafana dashboard JSON files in the folder of <code>dashboards.dir</code>.</p>` : ''}`,
  );
}

/** `view` masked by the caller; `isPublic`: the page of /public/:uid. */
export function dashboardPage(view: DashboardJson, isPublic: boolean): Html {
  const api = isPublic ? '/api/public/dashboards' : '/api/dashboards';
  return layout(
    view.title,
    {
      page: 'dashboard',
      ...(isPublic ? { bare: true } : { stream: '/api/events?view=jobs', nav: 'dashboards' as const }),
      data: { api, uid: view.uid },
      styles: [UPLOT_STYLE],
    },
    html`<div class="dash-head"><h1>${view.title}</h1>${view.description === '' ? '' : html`<p class="muted">${view.description}</p>`}</div>
${markup(controlsView(view))}
${markup(dashboardGrid(panelsOf(view.dashboard), view.variables))}`,
  );
}

function missing(c: Context, text: string, status: 400 | 404): Response | Promise<Response> {
  return c.html(layout(status === 404 ? 'Not found' : 'Bad request', { page: 'error' }, html`<h1>${status === 404 ? 'Not found' : 'Bad request'}</h1><p>${text}</p>`), status, HTML_HEADERS);
}

async function servePage(c: Context, deps: UiDeps, mask: Masker, isPublic: boolean): Promise<Response> {
  const uid = c.req.param('uid') ?? '';
  try {
    const view = await readDashboard(deps, uid, viewRequest(c.req.queries(), isPublic));
    if (view === undefined) return missing(c, `No dashboard ${isPublic ? 'is public under' : 'has'} the uid ${uid}.`, 404);
    return c.html(dashboardPage(mask(view), isPublic), 200, HTML_HEADERS);
  } catch (error) {
    if (error instanceof DashboardRequestError) return missing(c, mask(error.message), 400);
    throw error;
  }
}

export function registerDashboardPages(app: Hono, deps: UiDeps, mask: Masker): void {
  app.get('/dashboards', async (c) => c.html(dashboardsPage(mask(await dashboardEntries(deps))), 200, HTML_HEADERS));
  app.get('/dashboards/:uid', (c) => servePage(c, deps, mask, false));
  app.get('/public/:uid', (c) => servePage(c, deps, mask, true));
}
