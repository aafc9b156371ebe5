// The dashboards pages in the machine's Chromium (playwright-core): the real UI (startUi) on a real PostgreSQL
// metrics database filled with known values by the real writers. The shipped dashboard renders every panel with
// no error; each timeseries chart holds exactly its API frames (read from uPlot's own data; a stacked panel their
// running sums, its tooltip their own values) and a known hourly value, its legend the series and never the x
// values; each stat its expected value; a legend as a table with calcs and a percent stack; range and variable changes go to the URL and change the data; a user
// dashboard with one bad panel shows its error in that box only; a run finishing refreshes a panel live; screenshots.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../config/index.js';
import { runRecordedJob } from '../execution/run-recorded-job.js';
import { graphBuilder, runGraph, sink, source } from '../graph/index.js';
import { defineJob } from '../jobs/job.js';
import { JobRegistry, type AnyJob } from '../jobs/registry.js';
import type { MetricRow } from '../metrics/row.js';
import type { EtlRuntime } from '../runtime/runtime.js';
import type { RunStorage } from '../runs/run-storage.js';
import { sqlRunStorage } from '../runs/sql-run-storage.js';
import { createTestMetricsDb, type TestMetricsDb } from '../test/writers-backends.js';
import { dailyWriter, hourlyWriter, METRICS_DB_SERVICE } from '../writers/index.js';
import type { FrameJson, PanelDataJson } from './client/view/dashboard-wire.js';
import type { UiDeps } from './contract.js';
import { startUi, type RunningUi } from './server.js';

const SCREENSHOTS = resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
interface ShippedPanel {
  readonly id: number;
  readonly type: string;
  readonly panels?: readonly ShippedPanel[];
  readonly fieldConfig?: { readonly defaults?: { readonly custom?: { readonly stacking?: { readonly mode?: string } } } };
}
const SHIPPED = JSON.parse(readFileSync(resolve(import.meta.dirname, '..', 'dashboards', 'business-metrics.json'), 'utf8')) as { uid: string; panels: ShippedPanel[] };
const UID = SHIPPED.uid;
/** The ids of the shipped panels whose series stack (custom.stacking.mode 'normal'). */
const STACKED = new Set(
  SHIPPED.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.fieldConfig?.defaults?.custom?.stacking?.mode === 'normal').map((p) => String(p.id)),
);
const BROKEN_UID = 'one-bad-panel';
const DAY = 86_400_000;
/** In the page: the dashboard read and no open panel still loading. */
const ALL_DRAWN = `document.body.dataset.dashState === 'ready' && document.querySelectorAll('#dash .dash-section:not([data-collapsed="true"]) article.panel[data-state="loading"]').length === 0`;

/** Days before today (UTC), oldest first: k = 0, 1, 2 for 3, 2 and 1 days ago. */
const PAST = [3, 2, 1].map((ago) => new Date(Date.now() - ago * DAY).toISOString().slice(0, 10));
const TODAY = new Date().toISOString().slice(0, 10);
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const hourMs = (date: string, h: number) => Date.parse(`${date}T${String(h).padStart(2, '0')}:00:00Z`);

const HOURLY: Record<string, (k: number, h: number) => number> = {
  'objects.users.count': (k, h) => 1000 + 24 * k + h,
  'objects.paying_users.count': (k, h) => 100 + 24 * k + h,
  'spider.total': () => 10,
  'spider.active': (_, h) => h % 5,
  'spider.idle': (_, h) => 10 - (h % 5),
  'http.requests.shop': (k, h) => 100 * h + k,
  'http.requests.blog': () => 24,
  'events.search.duration_p95': (_, h) => 200.5 + h,
  'events.page_view.count': (k, h) => 20 + h + k,
  'events.signup.count': (_, h) => (h % 2 === 0 ? 1 : 0),
};
const SIGNUPS = [3, 5, 2];
const SIGNUPS_TODAY = 9;
const DAILY: Record<string, (k: number) => number> = {
  'events.signup.count': (k) => SIGNUPS[k]!,
  'events.signup.users': (k) => SIGNUPS[k]! - 1,
  'events.login.users': (k) => 10 + k,
  'events.page_view.users': (k) => 50 + k,
  'events.page_view.by_campaign.spring.count': (k) => 10 + k,
  'events.signup.by_campaign.spring.count': () => 1,
  'ga.sessions': (k) => 200 + 10 * k,
  'ga.new_users': (k) => 20 + k,
};

/** A user dashboard: one panel with SQL that fails, one that works, a text panel. */
const BROKEN_DASHBOARD = {
  uid: BROKEN_UID, title: 'One bad panel', tags: ['test'], time: { from: 'now-7d', to: 'now' }, templating: { list: [] },
  panels: [
    { id: 1, type: 'timeseries', title: 'Bad SQL', gridPos: { x: 0, y: 0, w: 12, h: 8 }, targets: [{ refId: 'A', format: 'time_series', rawSql: 'SELECT now() AS time, no_such_column FROM etl.metric' }] },
    { id: 2, type: 'stat', title: 'Forty-two', gridPos: { x: 12, y: 0, w: 6, h: 8 }, options: { reduceOptions: { calcs: ['lastNotNull'] } }, targets: [{ refId: 'A', format: 'table', rawSql: 'SELECT 42 AS answer' }] },
    { id: 3, type: 'text', title: 'Note', gridPos: { x: 18, y: 0, w: 6, h: 8 }, options: { content: 'Plain text, drawn as text.' } },
    {
      id: 4, type: 'timeseries', title: 'Shares', gridPos: { x: 0, y: 8, w: 16, h: 8 },
      fieldConfig: { defaults: { unit: 'short', custom: { stacking: { mode: 'percent', group: 'A' }, fillOpacity: 30 } }, overrides: [] },
      options: { legend: { showLegend: true, displayMode: 'table', placement: 'right', calcs: ['mean', 'max'] }, tooltip: { mode: 'multi', sort: 'none' } },
      targets: [{ refId: 'A', format: 'time_series', rawSql: "SELECT now() - x * interval '1 hour' AS time, x::float8 AS a, (x * x)::float8 AS b FROM generate_series(1, 3) AS x ORDER BY 1" }],
    },
  ],
};

const load = defineJob({
  name: 'load',
  description: 'Stands for a read job writing metrics',
  services: [],
  build: () => {
    const b = graphBuilder('load');
    b.source('rows', source(() => [1])).to('sink', sink(() => undefined));
    return b.build();
  },
});

let metrics: TestMetricsDb;
let storage: RunStorage;
let ui: RunningUi;
let browser: Browser;
let userDir: string;

async function write(rows: MetricRow[]): Promise<void> {
  const b = graphBuilder('fixture');
  const input = b.source('values', source(() => rows));
  input.to('hourly', hourlyWriter());
  input.to('daily', dailyWriter());
  const run = await runGraph(b.build(), { services: { [METRICS_DB_SERVICE]: metrics.db } });
  expect(run.status).toBe('succeeded');
}

function fixtureRows(): MetricRow[] {
  const rows: MetricRow[] = [];
  PAST.forEach((date, k) => {
    for (const h of HOURS) rows.push({ dims: { date, hour: h }, metrics: Object.fromEntries(Object.entries(HOURLY).map(([n, f]) => [n, f(k, h)])) });
    rows.push({ dims: { date }, metrics: Object.fromEntries(Object.entries(DAILY).map(([n, f]) => [n, f(k)])) });
  });
  rows.push({ dims: { date: TODAY }, metrics: { 'events.signup.count': SIGNUPS_TODAY } });
  return rows;
}

async function newPage(colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme });
  page.on('pageerror', (error) => {
    throw error;
  });
  return page;
}

/**
 * Polls `expression` in the page until it is truthy (page.waitForFunction evaluates a text with eval, which the
 * UI's CSP forbids; page.evaluate does not).
 */
async function waitFor(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`still false after ${timeoutMs} ms: ${expression}`);
    await page.waitForTimeout(50);
  }
}

/** Opens `path` and waits until the page has drawn every open panel. */
async function openDashboard(page: Page, path: string): Promise<void> {
  await page.goto(`${ui.url}${path}`);
  await waitFor(page, ALL_DRAWN, 20_000);
}

async function panelStates(page: Page): Promise<Record<string, string>> {
  return page.evaluate(`Object.fromEntries([...document.querySelectorAll('#dash article.panel')].map((b) => [b.querySelector('.panel-title')?.textContent ?? '', b.dataset.state + (b.dataset.error ? ': ' + b.dataset.error : '')]))`);
}

/** The CSS selector of the box of the panel titled `title` (ids may change with the dashboard file; titles say what is meant). */
async function box(page: Page, title: string): Promise<string> {
  const id = await page.evaluate(`[...document.querySelectorAll('#dash article.panel')].find((b) => b.querySelector('.panel-title')?.textContent === ${JSON.stringify(title)})?.id`);
  if (typeof id !== 'string') throw new Error(`no panel titled ${title}`);
  return `#${id}`;
}

async function statValue(page: Page, title: string): Promise<string | null> {
  return page.locator('article.panel', { has: page.locator('.panel-title', { hasText: title }) }).locator('.stat-item').first().getAttribute('data-value');
}

interface ChartData {
  readonly id: string;
  readonly title: string;
  readonly labels: string[];
  readonly data: (number | null)[][];
}

/** Every drawn chart's uPlot data and series labels (the library's own state, not pixels). */
async function charts(page: Page): Promise<ChartData[]> {
  return page.evaluate(`[...document.querySelectorAll('#dash article.panel[data-type="timeseries"][data-state="ok"]')].map((box) => {
    const u = box.querySelector('.panel-body').__uplot;
    return { id: box.dataset.panel, title: box.querySelector('.panel-title').textContent, labels: u.series.slice(1).map((s) => String(s.label)), data: u.data.map((a) => Array.from(a)) };
  })`);
}

/** Series labels of the chart in the panel titled `title`. */
async function chartLabels(page: Page, title: string): Promise<string[]> {
  return (await charts(page)).find((c) => c.title === title)?.labels ?? [];
}

/** Grafana's stacking of a chart's series, computed here on its own: running sums per x, a null as 0 unless all are null. */
function stackedChart([times, ...series]: (number | null)[][]): (number | null)[][] {
  const sums = times!.map(() => 0);
  return [times!, ...series.map((values) => values.map((v, x) => (series.every((s) => s[x] === null) ? null : (sums[x]! += v ?? 0))))];
}

/** Each chart's legend entries, as shown (list mode with no calcs: the series' names). */
async function legends(page: Page): Promise<Array<{ title: string; items: string[] }>> {
  return page.evaluate(`[...document.querySelectorAll('#dash article.panel[data-type="timeseries"][data-state="ok"]')].map((box) => ({
    title: box.querySelector('.panel-title').textContent,
    items: [...box.querySelectorAll('.chart-legend .chart-legend-item')].map((i) => i.textContent),
  }))`);
}

/** What a chart must hold for these frames: the union of their times, each number field's values on it. */
function expectedChart(frames: readonly FrameJson[]): (number | null)[][] {
  const times = [...new Set(frames.flatMap((f) => (f.fields.find((x) => x.type === 'time')?.values ?? []) as number[]))].sort((a, b) => a - b);
  const series = frames.flatMap((frame) => {
    const time = (frame.fields.find((x) => x.type === 'time')?.values ?? []) as number[];
    return frame.fields.filter((x) => x.type === 'number').map((field) => times.map((t) => (time.indexOf(t) < 0 ? null : (field.values[time.indexOf(t)] as number | null))));
  });
  return [times, ...series];
}

async function apiPanel(uid: string, id: string, query: string): Promise<PanelDataJson> {
  const res = await fetch(`${ui.url}/api/dashboards/${uid}/panels/${id}${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as PanelDataJson;
}

beforeAll(async () => {
  metrics = await createTestMetricsDb('postgres');
  storage = sqlRunStorage(metrics.db);
  await write(fixtureRows());
  const failed = (await storage.runs.create({ job: 'load', trigger: 'schedule' }))!;
  await storage.runs.finish(failed, 'failed', 'source unreachable');
  userDir = mkdtempSync(join(tmpdir(), 'etl-dashboards-'));
  writeFileSync(join(userDir, 'one-bad-panel.json'), JSON.stringify(BROKEN_DASHBOARD));
  const dashboards = { dir: userDir, public: [UID], queryTimeoutMs: 10_000, maxRows: 10_000 };
  const config = { file: {}, env: {}, database: metrics.config, timeZone: 'UTC', source: { file: 'etl.config.json' }, dataDir: '/nonexistent', jobModules: [], dashboards } as unknown as LoadedConfig;
  const jobs = new JobRegistry([load] as unknown as AnyJob[]);
  const runtime = {
    config,
    readers: async () => ({}) as never,
    registry: async () => jobs,
    services: async () => ({}),
    metricsDb: async () => metrics.db,
    runStorage: async () => storage,
    close: async () => undefined,
  } satisfies EtlRuntime;
  const deps: UiDeps = { runtime, schedules: [], runHere: async () => 0 };
  ui = await startUi({ deps, host: '127.0.0.1', port: 0, hub: { pollMs: 200 } });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await ui?.close();
  await metrics?.drop();
  if (userDir !== undefined) rmSync(userDir, { recursive: true, force: true });
});

describe('dashboards in Chromium', () => {
  it('lists the shipped and the user dashboards', async () => {
    const page = await newPage();
    await page.goto(`${ui.url}/dashboards`);
    expect(await page.locator(`tr[data-uid="${UID}"] td`).first().textContent()).toBe('Business metrics');
    expect(await page.locator(`tr[data-uid="${UID}"] .badge`).textContent()).toBe('shipped');
    expect(await page.locator(`tr[data-uid="${UID}"] a[href="/public/${UID}"]`).count()).toBe(1);
    expect(await page.locator(`tr[data-uid="${BROKEN_UID}"] .badge`).textContent()).toBe('user');
    await page.close();
  });

  it('draws every panel of the business dashboard, each chart holding exactly its API frames', async () => {
    const page = await newPage();
    const query = '?from=now-7d&to=now';
    await openDashboard(page, `/dashboards/${UID}${query}`);
    await page.locator('button.row-toggle[aria-expanded="false"]').click();
    await waitFor(page, `document.querySelectorAll('#dash article.panel[data-state="loading"]').length === 0`, 20_000);
    const states = await panelStates(page);
    expect(Object.keys(states).length).toBeGreaterThan(15);
    for (const [title, state] of Object.entries(states)) expect(state, title).toBe('ok');

    const drawn = await charts(page);
    expect(drawn.length).toBe(await page.locator('#dash article.panel[data-type="timeseries"]').count());
    expect(STACKED.size).toBeGreaterThanOrEqual(2);
    for (const chart of drawn) {
      const api = await apiPanel(UID, chart.id, query);
      const own = expectedChart(api.frames);
      expect(chart.data, chart.title).toEqual(STACKED.has(chart.id) ? stackedChart(own) : own);
      if (STACKED.has(chart.id)) {
        // Stacked for real: two series or more, the top one above its own values somewhere.
        expect(own.length, chart.title).toBeGreaterThan(2);
        expect(chart.data.at(-1)!.some((v, x) => v !== null && v > (own.at(-1)![x] ?? 0)), chart.title).toBe(true);
      }
    }
    // The legend: the series, never the x values ('time').
    for (const legend of await legends(page)) {
      expect(legend.items, legend.title).toEqual(drawn.find((c) => c.title === legend.title)!.labels);
      expect(legend.items, legend.title).not.toContain('time');
    }
    expect(await page.locator('#dash .u-legend').count()).toBe(0);
    // A known hourly value: paying users 2 days ago at 05:00 UTC.
    const users = drawn.find((c) => c.title === 'Users and paying users')!;
    const at = users.data[0]!.indexOf(hourMs(PAST[1]!, 5));
    const paying = users.labels.findIndex((l) => l.includes('paying'));
    expect(paying).toBeGreaterThanOrEqual(0);
    expect(users.data[paying + 1]![at]).toBe(HOURLY['objects.paying_users.count']!(1, 5));

    expect(await statValue(page, 'Sign-ups in range')).toBe(String(SIGNUPS.reduce((a, b) => a + b, 0) + SIGNUPS_TODAY));
    expect(await statValue(page, 'Paying users')).toBe(String(HOURLY['objects.paying_users.count']!(2, 23)));
    expect(await statValue(page, 'Active spiders')).toBe(String(23 % 5));
    expect(await statValue(page, 'Failed job runs')).toBe('1');
    await page.close();
  });

  it('keeps the range and the variables in the URL, and refetches when they change', async () => {
    const page = await newPage();
    await openDashboard(page, `/dashboards/${UID}?from=now-7d&to=now`);
    await page.evaluate('window.marker = 1');
    await page.selectOption('select[name="range"]', 'now-24h');
    await waitFor(page, `new URL(location.href).searchParams.get('from') === 'now-24h'`);
    await waitFor(page, `document.querySelector('${await box(page, 'Sign-ups in range')} .stat-item')?.getAttribute('data-value') === '${SIGNUPS_TODAY}'`, 10_000);
    expect(new URL(page.url()).searchParams.get('to')).toBe('now');

    // A custom range: epoch ms in the URL, as Grafana writes an absolute range; one past day holds SIGNUPS[1].
    await page.selectOption('select[name="range"]', 'custom');
    const local = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.fill('input[name="from-at"]', local(Date.parse(`${PAST[1]}T00:00:00Z`) - 60_000));
    await page.fill('input[name="to-at"]', local(Date.parse(`${PAST[1]}T12:00:00Z`)));
    await page.locator('#dash-controls button[type="submit"]').click();
    await waitFor(page, `/^\\d+$/.test(new URL(location.href).searchParams.get('from') ?? '')`);
    await waitFor(page, `document.querySelector('${await box(page, 'Sign-ups in range')} .stat-item')?.getAttribute('data-value') === '${SIGNUPS[1]}'`, 10_000);
    await page.selectOption('select[name="range"]', 'now-24h');

    await page.locator('button.row-toggle[aria-expanded="false"]').click();
    await page.selectOption('select[name="var-metric"]', 'spider');
    await waitFor(page, `new URL(location.href).searchParams.get('var-metric') === 'spider'`);
    await page.selectOption('select[name="range"]', 'now-7d');
    await page.locator('.panel-title', { hasText: 'Hourly values under spider' }).waitFor();
    await waitFor(page, `document.body.dataset.dashState === 'ready' && !document.querySelector('#dash article.panel[data-loading]')`);
    expect((await chartLabels(page, 'Hourly values under spider')).sort()).toEqual(['spider.active', 'spider.idle', 'spider.total']);
    expect(await page.evaluate('window.marker')).toBe(1);
    // A link opens the same view.
    const url = page.url();
    expect(new URL(url).searchParams.get('from')).toBe('now-7d');
    const again = await newPage();
    await openDashboard(again, url.slice(ui.url.length));
    expect(await again.locator('select[name="var-metric"]').inputValue()).toBe('spider');
    expect(await again.locator('select[name="range"]').inputValue()).toBe('now-7d');
    await again.close();
    await page.close();
  });

  it('shows the values under the cursor and sorts a table by a click on its heading', async () => {
    const page = await newPage();
    await openDashboard(page, `/dashboards/${UID}?from=now-7d&to=now`);
    const users = await box(page, 'Users and paying users');
    const over = page.locator(`${users} .u-over`);
    await over.scrollIntoViewIfNeeded();
    const area = (await over.boundingBox())!;
    await page.mouse.move(area.x + area.width * 0.8, area.y + area.height / 2, { steps: 4 });
    const tip = page.locator(`${users} .chart-tip`);
    await tip.waitFor({ state: 'visible', timeout: 5_000 });
    expect(await tip.textContent()).toMatch(/paying_users: \d+/);
    // A stacked panel: the chart draws the running sum, the tooltip shows each series' own value (sorted desc).
    const http = await box(page, 'HTTP requests per hour, by site');
    await page.locator(http).scrollIntoViewIfNeeded();
    const x = hourMs(PAST[1]!, 5);
    const stacked = (await page.evaluate(`(() => {
      const u = document.querySelector('${http} .panel-body').__uplot;
      const idx = u.data[0].indexOf(${x});
      u.setCursor({ left: u.valToPos(${x}, 'x'), top: 5 });
      return { idx, cursor: u.cursor.idx, drawn: u.data.slice(1).map((d) => d[idx]), rows: [...document.querySelectorAll('${http} .chart-tip-row')].map((r) => r.textContent) };
    })()`)) as { idx: number; cursor: number; drawn: number[]; rows: string[] };
    const shop = HOURLY['http.requests.shop']!(1, 5);
    const blog = HOURLY['http.requests.blog']!(1, 5);
    expect(stacked.cursor).toBe(stacked.idx);
    expect(Math.max(...stacked.drawn)).toBe(shop + blog);
    expect(stacked.rows).toEqual([`shop: ${shop}`, `blog: ${blog}`]);
    // A click on a legend entry shows that series alone, stacked without the others; a second click shows all again.
    const shown = `(() => {
      const u = document.querySelector('${http} .panel-body').__uplot;
      const idx = u.data[0].indexOf(${x});
      return Object.fromEntries(u.series.slice(1).map((s, i) => [s.label, s.show ? u.data[i + 1][idx] : 'hidden']));
    })()`;
    await page.locator(`${http} .chart-legend-item`, { hasText: 'shop' }).click();
    expect(await page.evaluate(shown)).toEqual({ blog: 'hidden', shop });
    await page.locator(`${http} .chart-legend-item`, { hasText: 'shop' }).click();
    expect(await page.evaluate(shown)).toEqual({ blog, shop: shop + blog });
    const latest = await box(page, 'Latest value of every metric');
    const metrics = page.locator(`${latest} tbody tr td:first-child`);
    const names = await metrics.allTextContents();
    await page.locator(`${latest} th button.sort`, { hasText: 'metric' }).click();
    expect(await metrics.allTextContents()).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    await page.locator(`${latest} th button.sort`, { hasText: 'metric' }).click();
    expect(await metrics.allTextContents()).toEqual([...names].sort((a, b) => b.localeCompare(a)));
    expect(await page.locator(`${latest} th[aria-sort="descending"]`).count()).toBe(1);
    await page.close();
  });

  it('serves a public dashboard from the public API, with no link to the rest of the UI', async () => {
    const page = await newPage();
    await openDashboard(page, `/public/${UID}?from=now-7d&to=now`);
    expect(await page.evaluate('document.body.dataset.api')).toBe('/api/public/dashboards');
    expect(await page.locator('header.top a').count()).toBe(0);
    const states = await panelStates(page);
    for (const [title, state] of Object.entries(states)) if (!title.startsWith('Hourly') && !title.startsWith('Daily')) expect(state, title).toBe('ok');
    expect(await statValue(page, 'Failed job runs')).toBe('1');
    expect(await page.content()).not.toContain('etl.hourly_value');
    await page.close();
  });

  it('shows a panel whose SQL fails with its error, and draws the others', async () => {
    const page = await newPage();
    await openDashboard(page, `/dashboards/${BROKEN_UID}`);
    const states = await panelStates(page);
    expect(states['Bad SQL']).toMatch(/^error: .*no_such_column/);
    expect(states['Forty-two']).toBe('ok');
    expect(await statValue(page, 'Forty-two')).toBe('42');
    expect(await page.locator('#panel-1 .panel-error').textContent()).toContain('no_such_column');
    expect(await page.locator('#panel-3 .panel-text').textContent()).toBe('Plain text, drawn as text.');
    // A percent stack with its legend as a table right of the plot, with the calcs of each series' own values.
    expect(states['Shares']).toBe('ok');
    expect(await page.locator('#panel-4 .panel-body').getAttribute('data-legend')).toBe('right');
    expect(await page.locator('#panel-4 .chart-legend th').allTextContents()).toEqual(['Name', 'Mean', 'Max']);
    const rows = await page.evaluate(`[...document.querySelectorAll('#panel-4 .chart-legend tbody tr')].map((r) => [...r.cells].map((c) => c.textContent))`);
    expect(rows).toEqual([['a', '2', '3'], ['b', '4.67', '9']]);
    const shares = (await page.evaluate(`Array.from(document.querySelector('#panel-4 .panel-body').__uplot.data.slice(1), (d) => Array.from(d))`)) as number[][];
    expect(shares[0]!.map((v) => Number(v.toFixed(3)))).toEqual([0.25, 0.333, 0.5]);
    expect(shares[1]).toEqual([1, 1, 1]);
    await page.close();
  });

  it('refetches the panels when a run finishes, without a reload', async () => {
    const page = await newPage();
    await openDashboard(page, `/dashboards/${UID}?from=now-7d&to=now`);
    await page.evaluate('window.marker = 2');
    await waitFor(page, `!document.getElementById('live').hidden`, 5_000);
    const hour = new Date().getUTCHours();
    await write([{ dims: { date: TODAY, hour }, metrics: { 'objects.paying_users.count': 777 } }]);
    await runRecordedJob({ job: load as unknown as AnyJob, params: {} as never, trigger: 'manual', services: {}, store: storage.runs });
    await waitFor(page, `document.querySelector('${await box(page, 'Paying users')} .stat-item')?.getAttribute('data-value') === '777'`, 10_000);
    expect(await page.evaluate('window.marker')).toBe(2);
    await page.close();
  });

  it('takes the screenshots, light then dark (the charts redrawn in the dark colours)', async () => {
    const page = await newPage('light');
    await openDashboard(page, `/dashboards/${UID}?from=now-7d&to=now`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: true });
    const chart = `document.querySelector('${await box(page, 'Sign-ups per day')} .panel-body').__uplot`;
    await page.evaluate(`window.lightChart = ${chart}`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await waitFor(page, `${chart} !== window.lightChart`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-dark.png'), fullPage: true });
    await page.close();
  });
});
