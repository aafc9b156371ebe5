// The checks API and pages in-process (app.request) on a real PostgreSQL: values written by the real writers,
// judged by the real evaluation (test/checks-fixture.ts: one planted drop). The statuses, failing counts, the
// last failure and its band equal what the judgement gives; the history of a range; 400 and 404; the empty
// state; a dashboard panel's failing checks matched from its SQL.
import type { Hono } from 'hono';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, CHECKS_CONFIG, checksDeps, DAY, DROP, fillAndEvaluate, FIXTURE_DASHBOARD, fixtureDashboards, HOURS, ORDERS, orders, PAST } from '../test/checks-fixture.js';
import { createTestMetricsDb, type TestMetricsDb } from '../test/writers-backends.js';
import type { CheckHistoryJson, ChecksJson } from './client/view/checks-wire.js';
import type { PanelDataJson } from './client/view/dashboard-wire.js';
import { createApp } from './server.js';

let metrics: TestMetricsDb;
let app: Hono;
let dashboards: string;

beforeAll(async () => {
  metrics = await createTestMetricsDb('postgres');
  dashboards = fixtureDashboards();
  const deps = checksDeps(metrics.db, CHECKS_CONFIG, dashboards);
  const evaluation = await fillAndEvaluate(metrics.db, deps);
  expect(evaluation.counts).toEqual({ pass: 3 * 7 * 24 - 1, warn: 0, fail: 1 });
  app = createApp(deps);
}, 60_000);

afterAll(async () => {
  await metrics?.drop();
  if (dashboards !== undefined) rmSync(dashboards, { recursive: true, force: true });
});

async function get<T>(path: string, status = 200): Promise<T> {
  const res = await app.request(path);
  expect(res.status, path).toBe(status);
  return (await res.json()) as T;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The anomaly band of the drop: median and scaled MAD of the 7 days before at that hour, floored by minChange and a count's noise. */
function dropBand(): [number, number] {
  const past = [6, 7, 8, 9, 10, 11, 12].map((k) => orders(k, DROP.hour));
  const med = median(past);
  // shop.orders.count is a count: its Poisson noise (the square root of the median) floors the scale too.
  const scale = Math.max(1.4826 * median(past.map((x) => Math.abs(x - med))), (0.1 * med) / 3, Math.sqrt(med));
  return [med - 3 * scale, med + 3 * scale];
}

describe('GET /api/checks', () => {
  it('lists every configured check with each metric it covers, its latest state, failing count and last failure', async () => {
    const list = await get<ChecksJson>('/api/checks');
    expect(list.windowDays).toBe(7);
    expect(list.checks.map((c) => [c.name, c.type, c.metric, c.grain])).toEqual([
      ['orders-anomaly', 'anomaly', ORDERS, 'hourly'], ['shop-range', 'range', 'shop.*', 'hourly'],
      ['nothing-fresh', 'freshness', 'nothing.*', 'hourly'], ['spider-change', 'change', 'spider.active', 'hourly'],
    ]);
    const [anomaly, range, fresh, change] = list.checks;
    expect(anomaly!.parameters).toEqual({ historyDays: 7, seasonality: 'hour-of-day', threshold: 3, minHistory: 3, direction: 'both', minChange: 0.1 });
    expect(anomaly!.metrics).toHaveLength(1);
    const orders = anomaly!.metrics[0]!;
    expect(orders).toMatchObject({ metric: ORDERS, failing: 1 });
    expect(orders.latest).toMatchObject({ status: 'fail', bucketStart: at(DROP.date, DROP.hour), date: DROP.date, hour: DROP.hour, value: DROP.value });
    expect(orders.lastFailure).toEqual(orders.latest);
    const [low, high] = dropBand();
    expect(orders.lastFailure!.expectedLow).toBeCloseTo(low, 6);
    expect(orders.lastFailure!.expectedHigh).toBeCloseTo(high, 6);
    expect(orders.lastFailure!.score).toBeLessThan(-3);
    expect(orders.lastFailure!.reason).toMatch(/is below the expected/);
    expect(range!.metrics.map((m) => [m.metric, m.latest?.status, m.failing, m.lastFailure])).toEqual([
      ['shop.carts.open', 'pass', 0, null], [ORDERS, 'pass', 0, null],
    ]);
    expect(range!.metrics[1]!.latest).toMatchObject({ value: DROP.value, expectedLow: 0, expectedHigh: null });
    expect(fresh!.metrics).toEqual([]);
    expect(change!.severity).toBe('warn');
    expect(change!.metrics).toEqual([{ metric: 'spider.active', latest: null, failing: 0, lastFailure: null }]);
  });

  it('answers with no checks when none is configured, and 400 for a parameter', async () => {
    const bare = createApp(checksDeps(metrics.db, []));
    expect(await (await bare.request('/api/checks')).json()).toMatchObject({ checks: [], windowDays: 7 });
    const page = await (await bare.request('/checks', { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('No checks configured: add <code>checks</code> to etl.config.json, see docs/checks.md.');
    expect((await get<{ error: string }>('/api/checks?x=1', 400)).error).toMatch(/unknown parameter: x/);
  });
});

describe('GET /api/checks/:check/:metric', () => {
  it('gives each judged bucket of the range with its value, band and status, oldest first', async () => {
    const from = at(PAST[7]!, 0);
    const to = at(PAST[13]!, 0) + DAY;
    const h = await get<CheckHistoryJson>(`/api/checks/orders-anomaly/${ORDERS}?from=${from}&to=${to}`);
    expect(h.check.name).toBe('orders-anomaly');
    expect(h.range).toMatchObject({ fromMs: from, toMs: to });
    expect(h.results).toHaveLength(7 * 24);
    expect(h.results.map((r) => r.bucketStart)).toEqual(PAST.slice(7).flatMap((d) => HOURS.map((hour) => at(d, hour))));
    expect(h.results.filter((r) => r.status !== 'pass').map((r) => r.bucketStart)).toEqual([at(DROP.date, DROP.hour)]);
    expect(h.results.every((r) => r.expectedLow !== null && r.expectedHigh !== null && r.expectedLow < r.expectedHigh)).toBe(true);
    expect(h.results.slice(0, -1).every((r) => r.value! >= r.expectedLow! && r.value! <= r.expectedHigh!)).toBe(true);
    const narrow = await get<CheckHistoryJson>(`/api/checks/orders-anomaly/${ORDERS}?from=${at(DROP.date, 20)}&to=${at(DROP.date, 23)}`);
    expect(narrow.results.map((r) => r.hour)).toEqual([20, 21, 22]);
  });

  it('answers 400 naming a bad parameter, 404 for an unknown check or a metric it does not cover', async () => {
    expect((await get<{ error: string }>(`/api/checks/orders-anomaly/${ORDERS}?from=soon`, 400)).error).toMatch(/^from, to:/);
    expect((await get<{ error: string }>(`/api/checks/orders-anomaly/${ORDERS}?limit=3`, 400)).error).toMatch(/unknown parameter: limit/);
    expect((await get<{ error: string }>(`/api/checks/nope/${ORDERS}`, 404)).error).toBe("no check is named 'nope'");
    expect((await get<{ error: string }>('/api/checks/orders-anomaly/shop.carts.open', 404)).error).toMatch(/covers no metric named 'shop.carts.open'/);
    expect((await get<{ error: string }>('/api/checks/shop-range/shop.nothing', 404)).error).toMatch(/covers no metric/);
    expect((await app.request('/checks/nope/x')).status).toBe(404);
  });
});

describe('the checks pages', () => {
  it('paints the table of checks x metrics with status badges and links, and a check page with its chart box', async () => {
    const list = await (await app.request('/checks')).text();
    expect(list).toContain('<a href="/checks" aria-current="page">Checks</a>');
    expect(list).toMatch(/<tr data-check="orders-anomaly" data-metric="shop.orders.count" data-status="fail">/);
    expect(list).toContain(`href="/checks/orders-anomaly/${ORDERS}"`);
    expect(list).toContain('<span class="badge ck-none" data-status="none">never judged</span>');
    expect(list).toContain('no metric matches nothing.*');
    const page = await (await app.request(`/checks/orders-anomaly/${ORDERS}?from=now-2d&to=now`)).text();
    expect(page).toContain('data-check="orders-anomaly" data-metric="shop.orders.count"');
    expect(page).toContain('id="check-chart"');
    expect(page).toContain('data-from="now-2d" data-to="now"');
  });
});

describe('a dashboard panel reading a failing metric', () => {
  const panel = (id: number) => get<PanelDataJson>(`/api/dashboards/${FIXTURE_DASHBOARD}/panels/${id}?from=now-3d&to=now`);

  it('names the failing checks of the metrics its SQL reads (=, IN), none when a NOT LIKE leaves it out, never its SQL', async () => {
    const [orders, both, others] = await Promise.all([panel(1), panel(2), panel(3)]);
    const failing = [{ check: 'orders-anomaly', metric: ORDERS, bucketStart: at(DROP.date, DROP.hour), reason: expect.stringMatching(/is below/) }];
    expect(orders.checks).toEqual(failing);
    expect(both.checks).toEqual(failing);
    expect(others.checks).toBeUndefined();
    expect(others.frames.length).toBe(1);
    expect(JSON.stringify(orders)).not.toContain('SELECT');
  });
});
