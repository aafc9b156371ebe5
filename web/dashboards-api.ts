// The dashboards API (web/client/view/dashboard-wire.ts): the list, a dashboard with its range and variables
// resolved, a panel's data frames, a page's panels in one streamed answer; the same for public dashboards (dashboards.public) under /api/public, without
// SQL in what is sent; a panel's answer names the failing checks of the metrics its SQL reads. 400 for a bad range or variable value, 404 for an unknown dashboard or panel.
import { basename } from 'node:path';
import type { Context, Hono } from 'hono';
import {
  DashboardNotFound, DashboardRequestError, dashboardJson, loadCatalog, panelData, panelsData, type DashboardContext, type DashboardFile, type PanelData,
} from '../dashboards/index.js';
import { stream } from 'hono/streaming';
import type { CheckResult } from '../checks/check.js';
import type { Masker } from './api.js';
import type { DashboardEntryJson, DashboardJson, PanelDataJson } from './client/view/dashboard-wire.js';
import { configuredChecks } from './checks-config.js';
import type { UiDeps } from './contract.js';
import { checksNamedBy, failingChecksOf, failingResults } from './panel-checks.js';
import { dashboardsSettings, viewRequest } from './pages/dashboard-source.js';

/** The list: every dashboard that loads, then every file that does not (uid '', title = the file's name, its error). */
export async function dashboardEntries(deps: UiDeps): Promise<DashboardEntryJson[]> {
  const settings = dashboardsSettings(deps);
  const catalog = await loadCatalog(settings.dir);
  const good = catalog.dashboards
    .map((d): DashboardEntryJson => ({ uid: d.uid, title: d.title, description: d.description, tags: d.tags, source: d.source, public: settings.public.includes(d.uid) }))
    .sort((a, b) => a.title.localeCompare(b.title));
  const broken = catalog.broken.map((b): DashboardEntryJson => ({ uid: '', title: basename(b.file), description: '', tags: [], source: b.source, public: false, error: b.error }));
  return [...good, ...broken];
}

/** How long a catalog read serves the dashboard and panel requests after it: a page's panels come in one burst. */
const CATALOG_REUSE_MS = 1000;
const recent = new Map<string, { readonly at: number; readonly catalog: ReturnType<typeof loadCatalog> }>();

/**
 * The catalog read at most CATALOG_REUSE_MS ago for `dir` (one read shared by the requests meanwhile: a page's
 * dozen panel requests read the folders and stat each file once, not a dozen times). A changed file shows from
 * the next second; the list (/api/dashboards) always reads the folders.
 */
function recentCatalog(dir: string | undefined): ReturnType<typeof loadCatalog> {
  const key = dir ?? '';
  const now = performance.now();
  const hit = recent.get(key);
  if (hit !== undefined && now - hit.at < CATALOG_REUSE_MS) return hit.catalog;
  const catalog = loadCatalog(dir);
  recent.set(key, { at: now, catalog });
  catalog.catch(() => {
    if (recent.get(key)?.catalog === catalog) recent.delete(key);
  });
  return catalog;
}

async function contextOf(deps: UiDeps): Promise<DashboardContext> {
  return { db: await deps.runtime.metricsDb(), settings: dashboardsSettings(deps), timeZone: deps.runtime.config.timeZone };
}

/** The dashboard `uid` (for a public route: only a public one), or DashboardNotFound. */
async function findDashboard(ctx: DashboardContext, uid: string, isPublic: boolean): Promise<DashboardFile> {
  const notFound = () => new DashboardNotFound(`no dashboard ${isPublic ? 'is public under' : 'has'} the uid '${uid}'`);
  if (isPublic && !ctx.settings.public.includes(uid)) throw notFound();
  const file = (await recentCatalog(ctx.settings.dir)).dashboards.find((d) => d.uid === uid);
  if (file === undefined) throw notFound();
  return file;
}

function panelId(text: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new DashboardNotFound(`panel id: '${text}' is not a panel id (a whole number)`);
  return Number(text);
}

/** A panel's answer with the failing checks of the metrics its SQL reads, when there are any. */
const withChecks = (data: PanelDataJson, checks: PanelDataJson['checks']): PanelDataJson => (checks === undefined || checks.length === 0 ? data : { ...data, checks });

export function registerDashboardsApi(app: Hono, deps: UiDeps, mask: Masker): void {
  /** What is wrong with the request itself: 400 or 404 with its message; anything else is thrown on. */
  const refused = (c: Context, error: unknown): Response => {
    if (error instanceof DashboardRequestError) return c.json(mask({ error: error.message }), 400);
    if (error instanceof DashboardNotFound) return c.json(mask({ error: error.message }), 404);
    throw error;
  };
  const answer = async (c: Context, work: (ctx: DashboardContext) => Promise<object>): Promise<Response> => {
    const ctx = await contextOf(deps);
    try {
      return c.json(mask(await work(ctx)), 200);
    } catch (error) {
      return refused(c, error);
    }
  };
  const dashboard = (isPublic: boolean) => (c: Context) =>
    answer(c, async (ctx): Promise<DashboardJson> => dashboardJson(await findDashboard(ctx, c.req.param('uid') ?? '', isPublic), viewRequest(c.req.queries(), isPublic), ctx));
  const panel = (isPublic: boolean) => (c: Context) =>
    answer(c, async (ctx): Promise<PanelDataJson> => {
      const file = await findDashboard(ctx, c.req.param('uid') ?? '', isPublic);
      const { sql, ...data } = await panelData(file, panelId(c.req.param('panelId') ?? ''), viewRequest(c.req.queries(), isPublic), ctx);
      return isPublic ? data : withChecks(data, await failingChecksOf(ctx.db, configuredChecks(deps), sql));
    });

  // Several panels in one answer (`?id=1&id=2&...`): one line of PanelDataJson each (NDJSON), as soon as each is ready.
  const panels = (isPublic: boolean) => async (c: Context) => {
    const ctx = await contextOf(deps);
    let ready: AsyncIterable<PanelData>;
    let failing: readonly CheckResult[] = [];
    try {
      const file = await findDashboard(ctx, c.req.param('uid') ?? '', isPublic);
      const ids = (c.req.queries('id') ?? []).flatMap((list) => list.split(',')).filter((id) => id !== '').map(panelId);
      if (ids.length === 0) throw new DashboardRequestError('id: name the panels (?id=1&id=2)');
      ready = await panelsData(file, ids, viewRequest(c.req.queries(), isPublic), ctx);
      if (!isPublic) failing = await failingResults(ctx.db, configuredChecks(deps));
    } catch (error) {
      return refused(c, error);
    }
    c.header('Content-Type', 'application/x-ndjson; charset=utf-8');
    c.header('Cache-Control', 'no-store');
    return stream(c, async (out) => {
      for await (const { sql, ...data } of ready) {
        const answer = isPublic ? data : withChecks(data, checksNamedBy(failing, sql));
        await out.write(`${JSON.stringify(mask(answer))}\n`);
      }
    });
  };

  app.get('/api/dashboards', async (c) => c.json(mask({ dashboards: await dashboardEntries(deps) })));
  app.get('/api/dashboards/:uid/panels', panels(false));
  app.get('/api/public/dashboards/:uid/panels', panels(true));
  app.get('/api/dashboards/:uid', dashboard(false));
  app.get('/api/dashboards/:uid/panels/:panelId', panel(false));
  app.get('/api/public/dashboards/:uid', dashboard(true));
  app.get('/api/public/dashboards/:uid/panels/:panelId', panel(true));
}

/** The paths a visitor without the token may GET when `publicUids` are public: their pages, their API, the static assets. */
export function publicPath(publicUids: readonly string[]): (path: string) => boolean {
  const uids = new Set(publicUids);
  return (path) => {
    if (uids.size === 0) return false;
    if (path.startsWith('/assets/') && !path.includes('..')) return true;
    const match = /^\/(?:public|api\/public\/dashboards)\/([^/]+)(?:\/panels(?:\/\d{1,9})?)?$/.exec(path);
    return match !== null && (!path.startsWith('/public/') || !path.includes('/panels')) && uids.has(decodeURIComponent(match[1]!));
  };
}
