// The metric explorer in the machine's Chromium (playwright-core): the real UI (startUi) on a real PostgreSQL
// filled by the real writers. The list shows every metric with its sparkline (drawn SVG, its values the API's);
// the search box filters by prefix and keeps it in the URL; a metric page's uPlot data equals the API's frames
// (range and previous period); the CSV download holds the charts' values; the screenshot docs/screenshots/explorer.png.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../config/index.js';
import { graphBuilder, runGraph, source } from '../graph/index.js';
import { JobRegistry } from '../jobs/registry.js';
import type { MetricRow } from '../metrics/row.js';
import type { EtlRuntime } from '../runtime/runtime.js';
import { sqlRunStorage } from '../runs/sql-run-storage.js';
import { launchChromium, newUiPage, waitFor } from '../test/support/chromium-pages.js';
import { createTestMetricsDb, type TestMetricsDb } from '../test/writers-backends.js';
import { dailyWriter, hourlyWriter, METRICS_DB_SERVICE } from '../writers/index.js';
import type { FrameJson } from './client/view/dashboard-wire.js';
import type { MetricListJson, MetricSeriesJson } from './client/view/explorer-wire.js';
import type { UiDeps } from './contract.js';
import { startUi, type RunningUi } from './server.js';

const SCREENSHOTS = resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const DAY = 86_400_000;
/** 14 days before today (UTC), oldest first: k = 0..13. */
const PAST = Array.from({ length: 14 }, (_, i) => new Date(Date.now() - (14 - i) * DAY).toISOString().slice(0, 10));
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const METRIC = 'shop.orders.count';
const LOADED = `document.body.dataset.metricState === 'ready' && Number(document.body.dataset.metricLoads ?? '0') > 0`;

const orders = (k: number, h: number): number => Math.round(40 + 30 * Math.sin(((h - 8) / 24) * 2 * Math.PI) + 2 * k + (k % 7 === 5 ? -15 : 0));

function fixtureRows(): MetricRow[] {
  return PAST.flatMap((date, k): MetricRow[] => [
    ...HOURS.map((hour) => ({ dims: { date, hour }, metrics: { [METRIC]: Math.max(0, orders(k, hour)), 'shop.carts.open': 100 + hour + k, 'spider.active': hour % 5 } })),
    { dims: { date }, metrics: { [METRIC]: HOURS.reduce((sum, h) => sum + Math.max(0, orders(k, h)), 0), 'shop.revenue': 1000 + 50 * k + (k % 3) * 80, 'events.signup.count': 5 + (k % 4) } },
  ]);
}

let metrics: TestMetricsDb;
let ui: RunningUi;
let browser: Browser;

beforeAll(async () => {
  metrics = await createTestMetricsDb('postgres');
  const b = graphBuilder('fixture');
  const input = b.source('values', source(() => fixtureRows()));
  input.to('hourly', hourlyWriter());
  input.to('daily', dailyWriter());
  expect((await runGraph(b.build(), { services: { [METRICS_DB_SERVICE]: metrics.db } })).status).toBe('succeeded');
  const storage = sqlRunStorage(metrics.db);
  const config = { file: {}, env: {}, database: metrics.config, timeZone: 'UTC', source: { file: 'etl.config.json' }, dataDir: '/nonexistent', jobModules: [] } as unknown as LoadedConfig;
  const runtime = {
    config, readers: async () => ({}) as never, registry: async () => new JobRegistry([]), services: async () => ({}),
    metricsDb: async () => metrics.db, runStorage: async () => storage, close: async () => undefined,
  } satisfies EtlRuntime;
  const deps: UiDeps = { runtime, schedules: [], runHere: async () => 0 };
  ui = await startUi({ deps, host: '127.0.0.1', port: 0, hub: { pollMs: 200 } });
  browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ui?.close();
  await metrics?.drop();
});

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${ui.url}${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/** What a chart must hold for the frames A and B: the union of their times, each one's values on it. */
function expectedChart(frames: readonly FrameJson[]): (number | null)[][] {
  const byRef = (ref: string) => frames.find((f) => f.refId === ref);
  const times = [...new Set(frames.flatMap((f) => f.fields[0]!.values as number[]))].sort((a, b) => a - b);
  const on = (frame: FrameJson | undefined) => times.map((t) => {
    const i = ((frame?.fields[0]?.values ?? []) as number[]).indexOf(t);
    return i < 0 ? null : (frame!.fields[1]!.values[i] as number);
  });
  return [times, on(byRef('A')), on(byRef('B'))];
}

const chartData = (grain: string) => `Array.from(document.querySelector('#chart-${grain} .panel-body').__uplot.data, (a) => Array.from(a))`;

describe('the metric explorer in Chromium', () => {
  it('lists every metric with its latest values and a drawn sparkline of the API values', async () => {
    const page = await newUiPage(browser);
    await page.goto(`${ui.url}/metrics`);
    const list = await api<MetricListJson>('/api/metrics');
    expect(await page.locator('#metrics tr[data-metric]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-metric')))).toEqual(list.metrics.map((m) => m.name));
    for (const m of list.metrics) {
      const row = page.locator(`#metrics tr[data-metric="${m.name}"]`);
      if (m.spark.length === 0) expect(await row.locator('svg.spark').count()).toBe(0);
      else expect(await row.locator('svg.spark').getAttribute('data-values')).toBe(m.spark.join(','));
    }
    // The last 7 days end today, which has no daily value yet.
    expect(list.metrics.find((m) => m.name === METRIC)!.spark).toHaveLength(6);
    const width = await page.evaluate(`document.querySelector('tr[data-metric="${METRIC}"] svg.spark polyline').getBBox().width`);
    expect(width).toBeGreaterThan(50);
    expect(await page.locator('header.top nav a[aria-current="page"]').textContent()).toBe('Metrics');
    await page.close();
  });

  it('filters by prefix as one types, keeps it in the URL, and draws the new rows sparklines', async () => {
    const page = await newUiPage(browser);
    await page.goto(`${ui.url}/metrics`);
    await waitFor(page, `document.body.dataset.listState === 'ready'`);
    await page.fill('#metric-search input[name="prefix"]', 'shop.');
    await waitFor(page, `new URL(location.href).searchParams.get('prefix') === 'shop.' && document.body.dataset.listState === 'ready'`);
    const shown = await page.locator('#metrics tr[data-metric]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-metric')));
    expect(shown).toEqual(['shop.carts.open', 'shop.orders.count', 'shop.revenue']);
    // Drawn by the browser: an SVG element in the SVG namespace has a box.
    expect(await page.evaluate(`document.querySelector('tr[data-metric="shop.revenue"] svg.spark polyline').getBBox().width`)).toBeGreaterThan(50);
    await page.reload();
    expect(await page.locator('#metric-search input[name="prefix"]').inputValue()).toBe('shop.');
    expect(await page.locator('#metrics tr[data-metric]').count()).toBe(3);
    await page.close();
  });

  it('draws a metric page whose uPlot data equals the API values, the previous period included', async () => {
    const page = await newUiPage(browser);
    await page.goto(`${ui.url}/metrics`);
    await page.locator(`a[href="/metrics/${METRIC}"]`).click();
    await waitFor(page, LOADED);
    const range = await page.evaluate(`({ from: Number(document.querySelector('.dash-range').dataset.fromMs), to: Number(document.querySelector('.dash-range').dataset.toMs) })`) as { from: number; to: number };
    const series = await api<MetricSeriesJson>(`/api/metrics/${METRIC}/series?from=${range.from}&to=${range.to}`);
    const hourly = (await page.evaluate(chartData('hourly'))) as (number | null)[][];
    const daily = (await page.evaluate(chartData('daily'))) as (number | null)[][];
    expect(hourly).toEqual(expectedChart(series.hourly));
    expect(daily).toEqual(expectedChart(series.daily));
    expect(hourly[0]!.length).toBeGreaterThan(150);
    expect(hourly[2]!.filter((v) => v !== null).length).toBeGreaterThan(100);
    expect(await page.locator('td[data-stat="daily-sum"]').getAttribute('data-value')).toBe(String(series.summary.daily.sum));
    expect(await page.locator('td[data-stat="hourly-max"]').getAttribute('data-value')).toBe(String(series.summary.hourly.max));
    expect(await page.evaluate(`document.querySelector('#chart-hourly .panel-body').__uplot.series[2].dash`)).toEqual([6, 4]);

    await page.selectOption('select[name="range"]', 'now-24h');
    await waitFor(page, `new URL(location.href).searchParams.get('from') === 'now-24h' && ${LOADED} && document.body.dataset.metricLoads === '2'`);
    expect(((await page.evaluate(chartData('hourly'))) as number[][])[0]!.length).toBeLessThanOrEqual(50);
    await page.close();
  });

  it('downloads the shown values as CSV', async () => {
    const page = await newUiPage(browser);
    await page.goto(`${ui.url}/metrics/${METRIC}?from=now-7d&to=now`);
    await waitFor(page, LOADED);
    const hourly = (await page.evaluate(chartData('hourly'))) as (number | null)[][];
    const daily = (await page.evaluate(chartData('daily'))) as (number | null)[][];
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#csv').click()]);
    const lines = readFileSync((await download.path())!, 'utf8').trimEnd().split('\r\n');
    const cell = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
    const rows = (grain: string, data: (number | null)[][]) => data[0]!.map((t, i) => `${new Date(t!).toISOString()},${grain},${cell(data[1]![i])},${cell(data[2]![i])}`);
    expect(lines).toEqual(['time,grain,value,previous', ...rows('hourly', hourly), ...rows('daily', daily)]);
    expect(download.suggestedFilename()).toMatch(/^shop\.orders\.count_.*\.csv$/);
    await page.close();
  });

  it('takes the screenshot (light, 1400 px)', async () => {
    const page = await newUiPage(browser);
    await page.goto(`${ui.url}/metrics/${METRIC}?from=now-7d&to=now`);
    await waitFor(page, LOADED);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOTS, 'explorer.png'), fullPage: true });
    await page.goto(`${ui.url}/metrics`);
    await page.screenshot({ path: join(SCREENSHOTS, 'explorer-list.png'), fullPage: true });
    await page.close();
  });
});
