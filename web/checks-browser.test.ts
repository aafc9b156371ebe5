// The checks pages in the machine's Chromium (playwright-core): the real UI (startUi) on a real PostgreSQL whose
// values the real evaluation judged (test/checks-fixture.ts: one planted drop). The list shows the failing check;
// the check page draws the value, the band and the failing bucket (uPlot's data equals the API's, the drawn
// counts in data attributes, a canvas), a range change reloads it; a dashboard panel reading the failing metric
// gets its red badge linking to the check page. Screenshots docs/screenshots/checks-light.png and checks-dark.png.
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, CHECKS_CONFIG, checksDeps, DROP, fillAndEvaluate, FIXTURE_DASHBOARD, fixtureDashboards, ORDERS, PAST } from '../test/checks-fixture.js';
import { launchChromium, newUiPage, waitFor } from '../test/support/chromium-pages.js';
import { createTestMetricsDb, type TestMetricsDb } from '../test/writers-backends.js';
import type { CheckHistoryJson } from './client/view/checks-wire.js';
import { startUi, type RunningUi } from './server.js';

const SCREENSHOTS = resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const LOADED = `document.body.dataset.checkState === 'ready' && Number(document.body.dataset.checkLoads ?? '0') > 0`;
const CHECK_PAGE = `/checks/orders-anomaly/${ORDERS}`;

let metrics: TestMetricsDb;
let ui: RunningUi;
let browser: Browser;
let dashboards: string;

beforeAll(async () => {
  metrics = await createTestMetricsDb('postgres');
  dashboards = fixtureDashboards();
  const deps = checksDeps(metrics.db, CHECKS_CONFIG, dashboards);
  await fillAndEvaluate(metrics.db, deps);
  ui = await startUi({ deps, host: '127.0.0.1', port: 0, hub: { pollMs: 200 } });
  browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ui?.close();
  await metrics?.drop();
  if (dashboards !== undefined) rmSync(dashboards, { recursive: true, force: true });
});

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${ui.url}${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

const chartData = `Array.from(document.querySelector('#check-chart .panel-body').__uplot.data, (a) => Array.from(a))`;

describe('the checks pages in Chromium', () => {
  it('lists the failing check with its badge, failing count and a link to its page', async () => {
    const page = await newUiPage(browser);
    await page.goto(`${ui.url}/checks`);
    const row = page.locator(`tr[data-check="orders-anomaly"][data-metric="${ORDERS}"]`);
    expect(await row.getAttribute('data-status')).toBe('fail');
    expect(await row.locator('.badge').textContent()).toBe('fail');
    expect(await row.locator('td[data-failing]').textContent()).toBe('1');
    expect(await page.locator('tr[data-check="spider-change"] .badge').textContent()).toBe('never judged');
    expect(await page.locator('.checks-summary').getAttribute('data-failing')).toBe('1');
    await row.locator('td a').first().click();
    await page.waitForURL(`**${CHECK_PAGE}`);
    await waitFor(page, LOADED);
    expect(await page.locator('header.top nav a[aria-current="page"]').textContent()).toBe('Checks');
    await page.close();
  });

  it('draws the value, the expected band and the failing bucket, and lists the failing bucket', async () => {
    const page = await newUiPage(browser);
    await page.goto(`${ui.url}${CHECK_PAGE}`);
    await waitFor(page, LOADED);
    const history = await api<CheckHistoryJson>(`/api/checks/orders-anomaly/${ORDERS}`);
    const box = page.locator('#check-chart');
    expect(await box.getAttribute('data-state')).toBe('ok');
    expect(Number(await box.getAttribute('data-points'))).toBe(history.results.length);
    expect(Number(await box.getAttribute('data-band-points'))).toBe(history.results.length);
    expect(await box.getAttribute('data-fail-marks')).toBe('1');
    expect(await box.locator('canvas').count()).toBeGreaterThan(0);
    const data = (await page.evaluate(chartData)) as (number | null)[][];
    expect(data[0]).toEqual(history.results.map((r) => r.bucketStart));
    expect(data[1]).toEqual(history.results.map((r) => r.value));
    expect(data[2]).toEqual(history.results.map((r) => r.expectedLow));
    expect(data[3]).toEqual(history.results.map((r) => r.expectedHigh));
    expect(data[4]!.filter((v) => v !== null)).toEqual([DROP.value]);
    expect(await page.evaluate(`document.querySelector('#check-chart .panel-body').__uplot.bands.map((b) => b.series)`)).toEqual([[3, 2]]);
    const rows = page.locator('#failures tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-bucket')).toBe(String(at(DROP.date, DROP.hour)));
    expect(await rows.first().textContent()).toContain('is below the expected');
    await page.close();
  });

  it('reloads for another range (kept in the URL): a range without the drop has no failing mark', async () => {
    const page = await newUiPage(browser);
    await page.goto(`${ui.url}${CHECK_PAGE}?from=${at(PAST[10]!, 0)}&to=${at(PAST[11]!, 0)}`);
    await waitFor(page, LOADED);
    expect(await page.locator('#check-chart').getAttribute('data-points')).toBe('24');
    expect(await page.locator('#check-chart').getAttribute('data-fail-marks')).toBe('0');
    expect(await page.locator('#failures').getAttribute('data-count')).toBe('0');
    await page.selectOption('#dash-controls select[name="range"]', 'now-30d');
    await waitFor(page, `new URL(location.href).searchParams.get('from') === 'now-30d' && Number(document.body.dataset.checkLoads) > 1 && document.body.dataset.checkState === 'ready'`);
    expect(await page.locator('#check-chart').getAttribute('data-fail-marks')).toBe('1');
    await page.close();
  });

  it('marks the dashboard panel whose metric fails, with a link to the check page', async () => {
    const page = await newUiPage(browser);
    await page.goto(`${ui.url}/dashboards/${FIXTURE_DASHBOARD}`);
    await waitFor(page, `document.querySelectorAll('#dash article.panel[data-state="loading"]').length === 0 && document.querySelectorAll('#dash article.panel[data-loads]').length === 3`, 20_000);
    const badges = (id: number) => page.locator(`#panel-${id} a.panel-check`);
    expect(await badges(1).textContent()).toBe(`check failing: orders-anomaly on ${ORDERS}`);
    expect(await badges(1).getAttribute('href')).toBe(CHECK_PAGE);
    expect(await page.locator('#panel-1').getAttribute('data-check-failing')).toBe('true');
    expect(await badges(2).count()).toBe(1);
    expect(await badges(3).count()).toBe(0);
    await badges(1).click();
    await page.waitForURL(`**${CHECK_PAGE}`);
    await page.close();
  });

  it('takes the screenshots (light and dark, 1400 px)', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await newUiPage(browser, scheme);
      await page.goto(`${ui.url}${CHECK_PAGE}`);
      await waitFor(page, LOADED);
      await page.screenshot({ path: join(SCREENSHOTS, `checks-${scheme}.png`), fullPage: true });
      await page.close();
    }
  });
});
