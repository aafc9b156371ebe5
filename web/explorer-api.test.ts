// The metric explorer's API and pages in-process (app.request) on a real PostgreSQL filled by the real writers:
// the list's latest values and sparklines equal what was written, the prefix filter, a metric's series with the
// period before moved forward, min/max/sum, the CSV, 400 and 404; and /metrics still Prometheus' text for Prometheus.
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../config/index.js';
import { graphBuilder, runGraph, source } from '../graph/index.js';
import { JobRegistry } from '../jobs/registry.js';
import type { MetricRow } from '../metrics/row.js';
import type { EtlRuntime } from '../runtime/runtime.js';
import { sqlRunStorage } from '../runs/sql-run-storage.js';
import { createTestMetricsDb, type TestMetricsDb } from '../test/writers-backends.js';
import { dailyWriter, hourlyWriter, METRICS_DB_SERVICE } from '../writers/index.js';
import type { ListedMetricJson, MetricListJson, MetricSeriesJson } from './client/view/explorer-wire.js';
import { prefersHtml } from './prefers-html.js';
import { createApp } from './server.js';

const DAY = 86_400_000;
const TOKEN = 'explorer-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
/** Days before today (UTC), oldest first: k = 0, 1, 2 for 3, 2 and 1 days ago. */
const PAST = [3, 2, 1].map((ago) => new Date(Date.now() - ago * DAY).toISOString().slice(0, 10));
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const QUOTED = "explore.o'brien $__timeFrom()";
const PROMETHEUS_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

const hourly = (k: number, h: number): number => 100 * k + h + 0.5;
const daily = (k: number): number => 10 + k;

let metrics: TestMetricsDb;
let app: Hono;

function fixtureRows(): MetricRow[] {
  return PAST.flatMap((date, k): MetricRow[] => [
    ...HOURS.map((hour) => ({ dims: { date, hour }, metrics: { 'explore.alpha.count': hourly(k, hour), 'explore.beta.rate': 3, [QUOTED]: 1, 'zz.other': 7 } })),
    { dims: { date }, metrics: { 'explore.alpha.count': daily(k), 'explore.alpha.users': 2 * daily(k), 'zz.other': 70 } },
  ]);
}

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
  app = createApp({ runtime, schedules: [], runHere: async () => 0, token: TOKEN });
}, 60_000);

afterAll(async () => {
  await metrics?.drop();
});

async function getJson<T>(path: string, status = 200): Promise<T> {
  const res = await app.request(path, { headers: AUTH });
  expect(res.status, path).toBe(status);
  return (await res.json()) as T;
}

const names = (list: MetricListJson): string[] => list.metrics.map((m) => m.name);
const at = (date: string, hour: number): number => Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);

describe('GET /api/metrics', () => {
  it('lists every metric by name with its latest hourly and daily value and its last 7 days', async () => {
    const list = await getJson<MetricListJson>('/api/metrics');
    expect(names(list)).toEqual(['explore.alpha.count', 'explore.alpha.users', 'explore.beta.rate', QUOTED, 'zz.other']);
    const alpha = list.metrics[0]!;
    expect(alpha).toEqual<ListedMetricJson>({
      name: 'explore.alpha.count', unit: null, source: null,
      latestHourly: { at: new Date(at(PAST[2]!, 23)).toISOString(), value: hourly(2, 23) },
      latestDaily: { date: PAST[2]!, value: daily(2) },
      spark: [daily(0), daily(1), daily(2)],
    });
    expect(list.metrics.find((m) => m.name === 'explore.beta.rate')).toMatchObject({ latestDaily: null, spark: [] });
    expect(list.metrics.find((m) => m.name === 'explore.alpha.users')).toMatchObject({ latestHourly: null, spark: [20, 22, 24] });
  });

  it('filters by prefix literally, as `etl metrics --prefix`, and limits', async () => {
    expect(names(await getJson<MetricListJson>('/api/metrics?prefix=explore.alpha'))).toEqual(['explore.alpha.count', 'explore.alpha.users']);
    expect(names(await getJson<MetricListJson>('/api/metrics?prefix=explore.a%25'))).toEqual([]);
    expect(names(await getJson<MetricListJson>(`/api/metrics?prefix=${encodeURIComponent("explore.o'")}`))).toEqual([QUOTED]);
    expect(names(await getJson<MetricListJson>('/api/metrics?prefix=explore&limit=2'))).toEqual(['explore.alpha.count', 'explore.alpha.users']);
  });

  it('answers 400 naming a bad or unknown parameter, 401 without the token', async () => {
    expect((await getJson<{ error: string }>('/api/metrics?limit=0', 400)).error).toMatch(/^limit: '0'/);
    expect((await getJson<{ error: string }>('/api/metrics?limit=5000', 400)).error).toMatch(/^limit/);
    expect((await getJson<{ error: string }>('/api/metrics?prefx=a&sort=x', 400)).error).toMatch(/unknown parameters: prefx, sort/);
    expect((await app.request('/api/metrics')).status).toBe(401);
  });
});

describe('GET /api/metrics/:name/series', () => {
  const from = at(PAST[2]!, 0);
  const to = at(PAST[2]!, 0) + DAY - 1;
  const query = `?from=${from}&to=${to}`;

  it('gives the range and the day before moved forward, hourly and daily, with min, max and sum', async () => {
    const s = await getJson<MetricSeriesJson>(`/api/metrics/explore.alpha.count/series${query}`);
    expect(s.metric.name).toBe('explore.alpha.count');
    expect(s.range).toMatchObject({ fromMs: from, toMs: to });
    expect(s.shift).toEqual({ hours: 24, days: 1 });
    const times = HOURS.map((h) => at(PAST[2]!, h));
    const [a, b] = s.hourly;
    expect(a!.refId).toBe('A');
    expect(a!.fields.map((f) => f.name)).toEqual(['Time', 'hourly']);
    expect(a!.fields[0]!.values).toEqual(times);
    expect(a!.fields[1]!.values).toEqual(HOURS.map((h) => hourly(2, h)));
    expect(b!.fields.map((f) => f.name)).toEqual(['Time', 'previous']);
    expect(b!.fields[0]!.values).toEqual(times);
    expect(b!.fields[1]!.values).toEqual(HOURS.map((h) => hourly(1, h)));
    expect(s.daily.map((f) => f.fields[1]!.values)).toEqual([[daily(2)], [daily(1)]]);
    expect(s.daily.map((f) => f.fields[0]!.values)).toEqual([[from], [from]]);
    const sum = HOURS.reduce((total, h) => total + hourly(2, h), 0);
    expect(s.summary).toEqual({ hourly: { min: hourly(2, 0), max: hourly(2, 23), sum, count: 24 }, daily: { min: daily(2), max: daily(2), sum: daily(2), count: 1 } });
  });

  it('reads a name with a quote and a macro in it as data', async () => {
    const s = await getJson<MetricSeriesJson>(`/api/metrics/${encodeURIComponent(QUOTED)}/series${query}`);
    expect(s.summary.hourly).toMatchObject({ sum: 24, count: 24 });
  });

  it('downloads exactly the charts values as CSV', async () => {
    const res = await app.request(`/api/metrics/explore.alpha.count/series.csv${query}`, { headers: AUTH });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="explore.alpha.count_.*\.csv"$/);
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,grain,value,previous');
    expect(lines).toHaveLength(1 + 24 + 1);
    expect(lines[1]).toBe(`${new Date(at(PAST[2]!, 0)).toISOString()},hourly,${hourly(2, 0)},${hourly(1, 0)}`);
    expect(lines[24]).toBe(`${new Date(at(PAST[2]!, 23)).toISOString()},hourly,${hourly(2, 23)},${hourly(1, 23)}`);
    expect(lines[25]).toBe(`${new Date(from).toISOString()},daily,${daily(2)},${daily(1)}`);
  });

  it('answers 404 for an unknown metric, 400 for a bad range or parameter', async () => {
    expect((await getJson<{ error: string }>('/api/metrics/no.such/series', 404)).error).toBe("no metric is named 'no.such'");
    expect((await getJson<{ error: string }>('/api/metrics/explore.alpha.count/series?from=yesterday', 400)).error).toMatch(/^from, to: 'yesterday'/);
    expect((await getJson<{ error: string }>('/api/metrics/explore.alpha.count/series?from=now&to=now-1d', 400)).error).toMatch(/empty or reversed/);
    expect((await getJson<{ error: string }>('/api/metrics/explore.alpha.count/series.csv?range=7d', 400)).error).toMatch(/unknown parameter: range/);
  });
});

describe('/metrics', () => {
  it('is Prometheus text for Prometheus (behind the token) and the explorer for a browser', async () => {
    expect((await app.request('/metrics', { headers: { accept: PROMETHEUS_ACCEPT } })).status).toBe(401);
    const prom = await app.request('/metrics', { headers: { ...AUTH, accept: PROMETHEUS_ACCEPT } });
    expect(prom.status).toBe(200);
    expect(prom.headers.get('content-type')).toMatch(/^(text\/plain|application\/openmetrics-text)/);
    expect(await prom.text()).toMatch(/^# (HELP|TYPE) etl_/m);
    const plain = await app.request('/metrics', { headers: { ...AUTH, accept: 'text/plain' } });
    expect(await plain.text()).toMatch(/^# (HELP|TYPE) etl_/m);
    const page = await app.request('/metrics?prefix=explore.alpha', { headers: { ...AUTH, accept: BROWSER_ACCEPT } });
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const body = await page.text();
    expect(body).toContain('data-page="metrics"');
    expect(body).toContain('<tr data-metric="explore.alpha.count">');
    expect(body).not.toContain('data-metric="zz.other"');
    expect(body).toContain('<polyline class="spark-line"');
    const login = await app.request('/metrics', { headers: { accept: BROWSER_ACCEPT } });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/login?next=%2Fmetrics');
  });

  it('paints a metric page with its range picker, CSV link and Grafana JSON; 404 for an unknown one', async () => {
    const res = await app.request('/metrics/explore.alpha.count?from=now-7d&to=now', { headers: { ...AUTH, accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('data-metric="explore.alpha.count"');
    expect(body).toMatch(/<select name="range">/);
    expect(body).toMatch(/href="\/api\/metrics\/explore.alpha.count\/series.csv\?from=\d+&amp;to=\d+"/);
    expect(body).toContain('$__timeFilter(time)');
    expect((await app.request('/metrics/no.such', { headers: AUTH })).status).toBe(404);
  });

  it('tells a browser from Prometheus by the Accept header', () => {
    expect(prefersHtml(BROWSER_ACCEPT)).toBe(true);
    expect(prefersHtml(PROMETHEUS_ACCEPT)).toBe(false);
    expect(prefersHtml('text/plain')).toBe(false);
    expect(prefersHtml('*/*')).toBe(false);
    expect(prefersHtml(undefined)).toBe(false);
    expect(prefersHtml('text/plain;q=0.9, text/html;q=0.5')).toBe(false);
  });
});
