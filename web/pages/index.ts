// The HTML pages of the monitoring UI: /jobs (and / redirects there), /jobs/:job, /runs, /runs/:id, /dashboards (./dashboards.ts), /metrics (./explorer.ts), and the
// browser modules and style under /assets/. Read through the deps as the API reads (run store, registry,
// schedules); first paint on the server (every text masked, then escaped), one EventSource per live page.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { RECORD_STATUSES } from '../../runs/run-store.js';
import { maskDeep } from '../../secrets/mask.js';
import { createMasker, type Masker } from '../api.js';
import type { JobSummary, RegisterPages, UiDeps } from '../contract.js';
import { decorateSvg, jobGraphSvg } from '../graph-svg.js';
import { jobSummaries } from '../jobs-summary.js';
import { calendarView } from '../partition-view.js';
import { registerAssets } from './assets.js';
import { registerDashboardPages } from './dashboards.js';
import { registerExplorerPages } from './explorer.js';
import { registerCheckPages } from './checks.js';
import { jobPage } from './job.js';
import { jobsPage } from './jobs.js';
import { queuePage } from './queue.js';
import { queueCounts } from '../queue-counts.js';
import { layout } from './render.js';
import { runPage } from './run.js';
import { parseRunsQuery, RUNS_PAGE_SIZE, runsFilter, runsPage } from './runs.js';

const HTML_HEADERS = { 'Cache-Control': 'no-store' } as const;

function notFound(c: Context, what: string): Response | Promise<Response> {
  return c.html(layout('Not found', { page: 'error' }, html`<h1>Not found</h1><p>${what}</p><p><a href="/jobs">Jobs</a></p>`), 404, HTML_HEADERS);
}

/** The API's masker (URL passwords, the process's secret variables, the token); URL passwords alone when the runtime has no configuration. */
function pageMasker(deps: UiDeps): Masker {
  try {
    return createMasker(deps);
  } catch {
    return <T>(value: T): T => maskDeep(value);
  }
}

export const registerPages: RegisterPages = (app: Hono, deps: UiDeps): void => {
  const mask = pageMasker(deps);
  const loadSummaries = async (): Promise<JobSummary[]> => mask(await jobSummaries(deps));
  app.get('/', (c) => c.redirect('/jobs'));

  registerAssets(app);

  app.get('/jobs', async (c) => c.html(jobsPage(await loadSummaries()), 200, HTML_HEADERS));

  app.get('/queue', async (c) => c.html(queuePage(await queueCounts(deps)), 200, HTML_HEADERS));

  registerDashboardPages(app, deps, mask);
  registerExplorerPages(app, deps, mask);
  registerCheckPages(app, deps, mask);

  app.get('/jobs/:job', async (c) => {
    const name = c.req.param('job');
    const registry = await deps.runtime.registry();
    const job = registry.get(name);
    if (job === undefined) return notFound(c, `No job is named ${name}.`);
    const store = (await deps.runtime.runStorage()).runs;
    const status = RECORD_STATUSES.find((s) => s === c.req.query('status'));
    const [summaries, gridRuns, trendRuns, svg, calendar] = await Promise.all([
      loadSummaries(),
      store.list({ job: name, limit: 50, ...(status ? { status } : {}) }),
      store.list({ job: name, limit: 100 }),
      jobGraphSvg(registry, name, false),
      calendarView(deps.runtime, name, { from: c.req.query('from'), to: c.req.query('to') }),
    ]);
    const summary = summaries.find((s) => s.name === name);
    if (summary === undefined) return notFound(c, `No job is named ${name}.`);
    let nodeNames: string[] = [];
    try {
      nodeNames = job.build({}).nodes().map((n) => n.name);
    } catch {
      nodeNames = [];
    }
    const page = { summary, nodeNames, gridRuns: mask(gridRuns), trendRuns, status, svg: svg === undefined ? undefined : decorateSvg(svg) };
    return c.html(jobPage(calendar === undefined ? page : { ...page, calendar: mask(calendar) }), 200, HTML_HEADERS);
  });

  app.get('/runs', async (c) => {
    const q = parseRunsQuery(c.req.query());
    const [registry, { runs: store }] = await Promise.all([deps.runtime.registry(), deps.runtime.runStorage()]);
    const page = await store.list(runsFilter(q, RUNS_PAGE_SIZE + 1));
    return c.html(runsPage(registry.names(), q, mask(page)), 200, HTML_HEADERS);
  });

  app.get('/runs/:id', async (c) => {
    const idText = c.req.param('id');
    if (!/^\d+$/.test(idText)) return notFound(c, 'No such run.');
    const store = (await deps.runtime.runStorage()).runs;
    const found = await store.get(Number(idText));
    if (found === undefined) return notFound(c, `No run #${idText}.`);
    const run = mask(found);
    const registry = await deps.runtime.registry();
    const svg = await jobGraphSvg(registry, run.job);
    return c.html(runPage(run, svg === undefined ? undefined : decorateSvg(svg, run.nodes)), 200, HTML_HEADERS);
  });
};
