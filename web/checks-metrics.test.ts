// /metrics' check series on a real PostgreSQL: values written by the real writers and judged by the real
// evaluation (test/checks-fixture.ts: one planted drop fails the anomaly check), scraped as Prometheus text
// through the UI's app; the clock of the failing-buckets window is injected.
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, CHECKS_CONFIG, checksDeps, DROP, fillAndEvaluate, ORDERS } from '../test/checks-fixture.js';
import { sample } from '../test/support/self-metrics.js';
import { createTestMetricsDb, type TestMetricsDb } from '../test/writers-backends.js';
import { createApp } from './server.js';

const HOUR = 3_600_000;
let metrics: TestMetricsDb;
let app: Hono;
let now = 0;

beforeAll(async () => {
  metrics = await createTestMetricsDb('postgres');
  const deps = checksDeps(metrics.db, CHECKS_CONFIG);
  const evaluation = await fillAndEvaluate(metrics.db, deps);
  expect(evaluation.counts.fail).toBe(1);
  app = createApp({ ...deps, now: () => now });
}, 60_000);

afterAll(async () => metrics?.drop());

async function scrape(): Promise<string> {
  const res = await app.request('/metrics', { headers: { accept: 'text/plain;version=0.0.4;q=0.5,*/*;q=0.1' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

describe('/metrics: the checks', () => {
  it('exports each judged pair status as 1 for its status and 0 for the others, and documents the encoding', async () => {
    now = at(DROP.date, DROP.hour) + HOUR;
    const text = await scrape();
    expect(text).toContain('# TYPE etl_check_status gauge');
    expect(text).toContain('# HELP etl_check_status Latest judged bucket of each check and metric: 1 for its status (pass, warn or fail), 0 for the others.');
    const status = (check: string, metric: string, s: string): number | undefined => sample(text, `etl_check_status{check="${check}",metric="${metric}",status="${s}"}`);
    expect(['pass', 'warn', 'fail'].map((s) => status('orders-anomaly', ORDERS, s))).toEqual([0, 0, 1]);
    expect(['pass', 'warn', 'fail'].map((s) => status('shop-range', ORDERS, s))).toEqual([1, 0, 0]);
    expect(['pass', 'warn', 'fail'].map((s) => status('shop-range', 'shop.carts.open', s))).toEqual([1, 0, 0]);
    // Never judged: the change check (no run judged it) and the freshness check (no metric matches).
    expect(text).not.toContain('etl_check_status{check="spider-change"');
    expect(text).not.toContain('etl_check_status{check="nothing-fresh"');
    expect(text.split('\n').filter((l) => l.startsWith('etl_check_status{'))).toHaveLength(9);
  });

  it('counts the buckets of the last 24 hours not passing, by check, 0 for the checks without', async () => {
    now = at(DROP.date, DROP.hour) + HOUR;
    let text = await scrape();
    expect(text).toContain('# TYPE etl_check_failing_buckets gauge');
    const failing = (check: string): number | undefined => sample(text, `etl_check_failing_buckets{check="${check}"}`);
    expect(CHECKS_CONFIG.map((c) => failing(c.name))).toEqual([1, 0, 0, 0]);
    // A day after the drop's bucket started it is out of the window; the status stays what the last judgement said.
    now = at(DROP.date, DROP.hour) + 24 * HOUR + 1;
    text = await scrape();
    expect(failing('orders-anomaly')).toBe(0);
    expect(sample(text, `etl_check_status{check="orders-anomaly",metric="${ORDERS}",status="fail"}`)).toBe(1);
  });
});
