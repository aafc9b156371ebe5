// prometheus reader against a real Prometheus loaded with counters whose hourly and daily increases are known.
import { readSourceDirect } from '../test/support/node-testing.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphBuilder } from '../graph/builder.js';
import { ConfigError } from '../graph/errors.js';
import { runGraph } from '../graph/executor.js';
import { sink, type SourceNode } from '../graph/node.js';
import type { MetricRow } from '../metrics/row.js';
import { HOUR_MS as H, zonedTime } from '../metrics/time.js';
import { backfillWindow, currentWindow, type ReadWindow } from '../metrics/window.js';
import { hourPartitions, partitionWindow } from '../runs/partitions.js';
import { freePort, openMetrics, startPrometheus, type Sample, type TestPrometheus } from '../test/support/prometheus.js';
import { prometheusSecrets } from './prometheus-client.js';
import { createPrometheusClient, prometheusReader, PrometheusQueryError, type PrometheusClient, type PrometheusMetricQuery } from './prometheus.js';
import { readRows } from '../test/support/read-rows.js';

const STEP = 300_000;
const NOW = Date.UTC(2026, 10, 22, 12);

// Counters sampled every 5 minutes over two periods (around the 2026 Paris DST changes). In the UTC hour
// starting at h, `shop` (site "Shop.COM") grows by (UTC hour of h + 1) per sample, i.e. 12 * (hour + 1) in
// the hour; `blog` grows by 2 per sample, 24 in every hour.
const PERIODS: Array<[number, number]> = [
  [Date.UTC(2026, 2, 27), Date.UTC(2026, 2, 31)],
  [Date.UTC(2026, 9, 23), Date.UTC(2026, 9, 28)],
];

function counter(increment: (at: number) => number): Sample[] {
  const samples: Sample[] = [];
  let value = 1000;
  for (const [from, to] of PERIODS) {
    for (let t = from; t <= to; t += STEP) {
      samples.push([t, value]);
      value += increment(t);
    }
  }
  return samples;
}

const shopPerSample = (t: number): number => new Date(t).getUTCHours() + 1;
const HISTORY = openMetrics(
  [
    { name: 'http_requests_total', labels: { site: 'Shop.COM', job: 'web' }, samples: counter(shopPerSample) },
    { name: 'http_requests_total', labels: { site: 'blog', job: 'web' }, samples: counter(() => 2) },
  ],
  'counter',
);

/** Expected increase of `shop` over the instants [from, to), summed from the per-sample increments. */
function shopIncrease(from: number, to: number): number {
  let sum = 0;
  for (let t = from; t < to; t += STEP) sum += shopPerSample(t);
  return sum;
}

const REQUESTS: PrometheusMetricQuery = { name: 'http.requests.{site}', query: 'sum by (site) (increase(http_requests_total[{range}]))' };

/** A client that delegates to the real driver and records each call (range or instant, with its query). */
function recording(client: PrometheusClient): { client: PrometheusClient; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    client: {
      rangeQuery: (q, start, end, step) => {
        calls.push(`range ${q} ${new Date(start).toISOString()}..${new Date(end).toISOString()} step ${step}`);
        return client.rangeQuery(q, start, end, step);
      },
      instantQuery: (q, time) => {
        calls.push(`instant ${q} @ ${new Date(time).toISOString()}`);
        return client.instantQuery(q, time);
      },
    },
  };
}


function paris(date: string, hour = 0): number {
  return zonedTime(date, hour, 'Europe/Paris');
}

describe('prometheus reader (real Prometheus)', () => {
  let prom: TestPrometheus;
  let client: PrometheusClient;

  beforeAll(async () => {
    prom = await startPrometheus({ history: HISTORY });
    client = createPrometheusClient({ url: prom.url });
  });
  afterAll(async () => prom?.stop());

  it('reads exact hourly and daily increases of a past UTC day, names filled from labels', async () => {
    const window = backfillWindow(Date.UTC(2026, 2, 28), Date.UTC(2026, 2, 29), 'UTC', NOW);
    const { rows, run } = await readRows(prometheusReader({ window, metrics: [REQUESTS] }), { prometheus: client });
    expect(run.status).toBe('succeeded');
    expect(rows).toHaveLength(25);
    expect(rows.slice(0, 24)).toEqual(Array.from({ length: 24 }, (_, hour) => ({ dims: { date: '2026-03-28', hour }, metrics: { 'http.requests.shop_com': 12 * (hour + 1), 'http.requests.blog': 24 } })));
    expect(rows[24]).toEqual({ dims: { date: '2026-03-28' }, metrics: { 'http.requests.shop_com': 3600, 'http.requests.blog': 576 } });
  });

  it('an hour partition (hourly values only) asks for no daily value', async () => {
    const hour = hourPartitions('2026-03-28', '2026-03-28', 'UTC')[5]!;
    const { rows, run } = await readRows(prometheusReader({ window: partitionWindow(hour, 'UTC', NOW), metrics: [REQUESTS] }), { prometheus: client });
    expect(run.status).toBe('succeeded');
    expect(rows).toEqual([{ dims: { date: '2026-03-28', hour: 5 }, metrics: { 'http.requests.shop_com': 72, 'http.requests.blog': 24 } }]);
  });

  it('a PrometheusDriver is a PrometheusClient; credentials leave the endpoint', () => {
    const typed: PrometheusClient = createPrometheusClient({ url: prom.url });
    expect(typed).toBeDefined();
    const withAuth = createPrometheusClient({ url: 'https://etl:s3cret@prom.example:9090/prefix/', bearerToken: 'tok-123' });
    expect((withAuth as unknown as { options: { endpoint: string } }).options.endpoint).toBe('https://prom.example:9090/prefix');
    expect(prometheusSecrets(withAuth)).toEqual(['s3cret', Buffer.from('etl:s3cret').toString('base64'), 'Bearer tok-123', 'tok-123']);
  });

  it('buckets by Paris local days and hours across the spring-forward day (23 hours)', async () => {
    const window = backfillWindow(paris('2026-03-28'), paris('2026-03-31'), 'Europe/Paris', NOW);
    const rec = recording(client);
    const { rows, run } = await readRows(prometheusReader({ window, metrics: [REQUESTS] }), { prometheus: rec.client });
    expect(run.status).toBe('succeeded');
    const daily = rows.filter((r) => r.dims.hour === undefined);
    expect(daily).toEqual([
      { dims: { date: '2026-03-28' }, metrics: { 'http.requests.shop_com': 3600, 'http.requests.blog': 576 } },
      { dims: { date: '2026-03-29' }, metrics: { 'http.requests.shop_com': 3324, 'http.requests.blog': 552 } },
      { dims: { date: '2026-03-30' }, metrics: { 'http.requests.shop_com': 3600, 'http.requests.blog': 576 } },
    ]);
    const hourly = rows.filter((r) => r.dims.hour !== undefined);
    expect(hourly).toHaveLength(24 + 23 + 24);
    const dst = hourly.filter((r) => r.dims.date === '2026-03-29').map((r) => r.dims.hour);
    expect(dst).toEqual([0, 1, ...Array.from({ length: 21 }, (_, i) => i + 3)]);
    for (const row of hourly) {
      const start = paris(row.dims.date, row.dims.hour);
      expect(row.metrics).toEqual({ 'http.requests.shop_com': shopIncrease(start, start + H), 'http.requests.blog': 24 });
    }
    // 00:00 Paris on the 29th is 23:00 UTC on the 28th; 03:00 Paris (after the jump) is 01:00 UTC.
    expect(hourly.find((r) => r.dims.date === '2026-03-29' && r.dims.hour === 0)?.metrics['http.requests.shop_com']).toBe(288);
    expect(hourly.find((r) => r.dims.date === '2026-03-29' && r.dims.hour === 3)?.metrics['http.requests.shop_com']).toBe(24);
    // One range query for the hours; the days in three runs of equal length: 24h, 23h, 24h.
    expect(rec.calls).toEqual([
      'range sum by (site) (increase(http_requests_total[1h])) 2026-03-28T00:00:00.000Z..2026-03-30T22:00:00.000Z step 3600',
      'instant sum by (site) (increase(http_requests_total[24h])) @ 2026-03-28T23:00:00.000Z',
      'instant sum by (site) (increase(http_requests_total[23h])) @ 2026-03-29T22:00:00.000Z',
      'instant sum by (site) (increase(http_requests_total[24h])) @ 2026-03-30T22:00:00.000Z',
    ]);
  });

  it('makes the repeated hour of the fall-back day one bucket and the day 25 hours long', async () => {
    const window = backfillWindow(paris('2026-10-25'), paris('2026-10-26'), 'Europe/Paris', NOW);
    const literal: PrometheusMetricQuery = { name: 'literal.{site}', query: 'sum by (site) (increase(http_requests_total[1h]))' };
    const { rows, run } = await readRows(prometheusReader({ window, metrics: [REQUESTS, literal] }), { prometheus: client });
    expect(run.status).toBe('succeeded');
    const hourly = rows.filter((r) => r.dims.hour !== undefined);
    expect(hourly.map((r) => r.dims.hour)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    // 02:00-03:00 happens twice: 00:00-01:00 UTC (shop: 12 * 1) and 01:00-02:00 UTC (12 * 2); blog 24 + 24.
    expect(hourly[2]).toEqual({
      dims: { date: '2026-10-25', hour: 2 },
      metrics: { 'http.requests.shop_com': 36, 'http.requests.blog': 48, 'literal.shop_com': 36, 'literal.blog': 48 },
    });
    expect(hourly[3]?.metrics).toEqual({ 'http.requests.shop_com': 36, 'http.requests.blog': 24, 'literal.shop_com': 36, 'literal.blog': 24 });
    // The literal [1h] query has no {range}: no daily values from it.
    expect(rows.filter((r) => r.dims.hour === undefined)).toEqual([{ dims: { date: '2026-10-25' }, metrics: { 'http.requests.shop_com': 3876, 'http.requests.blog': 600 } }]);
  });

  it('uses a separate daily query and per-entry grains', async () => {
    const window = backfillWindow(Date.UTC(2026, 9, 24), Date.UTC(2026, 9, 26), 'UTC', NOW);
    const metrics: PrometheusMetricQuery[] = [
      { name: 'req.{site}', query: 'sum by (site) (increase(http_requests_total[1h]))', dailyQuery: 'sum by (site) (increase(http_requests_total[{range}]))' },
      { name: 'peak.{site}', query: 'max by (site) (max_over_time(http_requests_total[{range}]))', hourly: false },
    ];
    const { rows, run } = await readRows(prometheusReader({ window, metrics }), { prometheus: client });
    expect(run.status).toBe('succeeded');
    expect(rows.filter((r) => r.dims.hour !== undefined).every((r) => Object.keys(r.metrics).sort().join() === 'req.blog,req.shop_com')).toBe(true);
    const daily = rows.filter((r) => r.dims.hour === undefined);
    expect(daily.map((r) => r.dims.date)).toEqual(['2026-10-24', '2026-10-25']);
    expect(daily[0]?.metrics['req.shop_com']).toBe(3600);
    expect(daily[1]?.metrics['req.blog']).toBe(576);
    // The counter's value at the end of the day (max over the day): start value + increments so far.
    expect(daily[1]?.metrics['peak.blog']).toBe(1000 + 2 * ((Date.UTC(2026, 2, 31) - Date.UTC(2026, 2, 27)) / STEP + 1) + 2 * ((Date.UTC(2026, 9, 26) - Date.UTC(2026, 9, 23)) / STEP));

    const dailyOnly = await readRows(prometheusReader({ window, metrics, hourly: false }), { prometheus: client });
    expect(dailyOnly.rows.every((r) => r.dims.hour === undefined)).toBe(true);
    expect(dailyOnly.rows).toHaveLength(2);
  });

  it('reads the current hour and today so far, evaluated at now', async () => {
    // 10:40 in Paris (winter time, UTC+1) on 2026-10-26.
    const now = Date.UTC(2026, 9, 26, 9, 40);
    const rec = recording(client);
    const { rows, run } = await readRows(prometheusReader({ window: currentWindow(now, 'Europe/Paris'), metrics: [REQUESTS] }), { prometheus: rec.client });
    expect(run.status).toBe('succeeded');
    expect(rows).toEqual([
      { dims: { date: '2026-10-26', hour: 10 }, metrics: { 'http.requests.shop_com': 80, 'http.requests.blog': 16 } },
      { dims: { date: '2026-10-26' }, metrics: { 'http.requests.shop_com': 288 + 540 + 80, 'http.requests.blog': 256 } },
    ]);
    expect(rec.calls).toEqual([
      'instant sum by (site) (increase(http_requests_total[2400s])) @ 2026-10-26T09:40:00.000Z',
      'instant sum by (site) (increase(http_requests_total[38400s])) @ 2026-10-26T09:40:00.000Z',
    ]);
  });

  it('reports a series without a template label as a row error naming the entry; other entries go on', async () => {
    const window = backfillWindow(Date.UTC(2026, 2, 28, 10), Date.UTC(2026, 2, 28, 12), 'UTC', NOW);
    const bad: PrometheusMetricQuery = { name: 'requests.{host}', query: 'sum by (site) (increase(http_requests_total[{range}]))', daily: false };
    const { rows, run } = await readRows(prometheusReader({ window, metrics: [bad, REQUESTS], daily: false }), { prometheus: client }, 'templates');
    expect(rows.map((r) => r.metrics)).toEqual([
      { 'http.requests.shop_com': 132, 'http.requests.blog': 24 },
      { 'http.requests.shop_com': 144, 'http.requests.blog': 24 },
    ]);
    expect(run.status).toBe('failed');
    expect(run.nodes.find((n) => n.name === 'reader')?.err).toBe(2);
    expect(run.error).toContain(`job 'templates': node 'reader' had 2 row errors; first: ReaderError: reader 'prometheus': entry 'requests.{host}': series {site="Shop.COM"} has no label 'host' for the metric name; series skipped`);
  });

  it('skips NaN samples silently and reports infinite ones', async () => {
    const window = backfillWindow(Date.UTC(2026, 2, 28, 10), Date.UTC(2026, 2, 28, 13), 'UTC', NOW);
    const nan = await readSourceDirect(prometheusReader({ window, metrics: [{ name: 'nan.{site}', query: '(sum by (site) (increase(http_requests_total[{range}])) * 0) / 0' }] }), { prometheus: client });
    expect(nan).toEqual({ rows: [], errors: [] });
    const inf = await readSourceDirect(prometheusReader({ window, metrics: [{ name: 'inf.{site}', query: 'sum by (site) (increase(http_requests_total[{range}])) / 0' }], daily: false }), { prometheus: client });
    expect(inf.rows).toEqual([]);
    expect(inf.errors.map((e) => (e as Error).message)).toEqual([
      "reader 'prometheus': entry 'inf.{site}': metric 'inf.shop_com' has 3 infinite hourly values (first at 2026-03-28T11:00:00.000Z); skipped",
      "reader 'prometheus': entry 'inf.{site}': metric 'inf.blog' has 3 infinite hourly values (first at 2026-03-28T11:00:00.000Z); skipped",
    ]);
  });

  it('a bad query fails its reader with Prometheus’ own error text; the other reader still delivers', async () => {
    const window = backfillWindow(Date.UTC(2026, 2, 28, 10), Date.UTC(2026, 2, 28, 12), 'UTC', NOW);
    const rows: MetricRow[] = [];
    const b = graphBuilder('all');
    const collect = b.node('collect', sink<MetricRow>((row) => void rows.push(row)));
    b.source('prometheus', prometheusReader({ window, metrics: [REQUESTS], daily: false })).into(collect);
    b.source('prometheus-bad', prometheusReader({ window, metrics: [{ name: 'broken', query: 'sum(rate(http_requests_total[5m])' }] })).into(collect);
    const run = await runGraph(b.build(), { services: { prometheus: client } });
    expect(rows).toHaveLength(2);
    expect(run.status).toBe('failed');
    expect(run.nodes.find((n) => n.name === 'prometheus')?.status).toBe('succeeded');
    expect(run.error).toContain(
      `job 'all': node 'prometheus-bad' failed: PrometheusQueryError: reader 'prometheus': entry 'broken' (hourly): query failed (service 'prometheus' at ${prom.url}): bad_data: `,
    );
    // Prometheus' own text (2.42: "1:34: parse error: unclosed left parenthesis"), then the status and the query.
    expect(run.error).toMatch(/bad_data: 1:34: parse error: unclosed left parenthesis \[HTTP 400\]; query: sum\(rate\(http_requests_total\[5m\]\)$/);

    const direct = await readSourceDirect(prometheusReader({ window, metrics: [{ name: 'broken', query: 'sum(rate(http_requests_total[5m])' }] }), { prometheus: client }).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(PrometheusQueryError);
    expect(direct).toMatchObject({ reader: 'prometheus', errorType: 'bad_data', httpStatus: 400, query: 'sum(rate(http_requests_total[5m])' });
  });

  it('passes on execution errors (HTTP 422) with their text', async () => {
    const window = backfillWindow(Date.UTC(2026, 2, 28, 10), Date.UTC(2026, 2, 28, 11), 'UTC', NOW);
    const error = await readSourceDirect(prometheusReader({ window, metrics: [{ name: 'x', query: 'http_requests_total / on(job) http_requests_total' }] }), { prometheus: client }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusQueryError);
    expect(error).toMatchObject({ errorType: 'execution', httpStatus: 422 });
    expect((error as Error).message).toMatch(/^reader 'prometheus': entry 'x' \(hourly\): query failed .*: execution: .*many-to-many matching not allowed/);
  });

  it('says clearly when Prometheus cannot be reached, with the URL and without the password', async () => {
    const port = await freePort();
    const down = createPrometheusClient({ url: `http://etl:s3cret@127.0.0.1:${port}` });
    const window = backfillWindow(Date.UTC(2026, 2, 28, 10), Date.UTC(2026, 2, 28, 11), 'UTC', NOW);
    const { rows, run } = await readRows(prometheusReader({ window, metrics: [REQUESTS] }), { prometheus: down }, 'down');
    expect(rows).toEqual([]);
    expect(run.status).toBe('failed');
    expect(run.error).toContain(`job 'down': node 'reader' failed: PrometheusQueryError: reader 'prometheus': entry 'http.requests.{site}' (hourly): cannot reach Prometheus (service 'prometheus' at http://127.0.0.1:${port}): `);
    expect(run.error).toContain('ECONNREFUSED');
    expect(run.error).not.toContain('s3cret');
  });

  it('reads from the configured service name and fails before reading when it is missing', async () => {
    const window = backfillWindow(Date.UTC(2026, 2, 28, 10), Date.UTC(2026, 2, 28, 11), 'UTC', NOW);
    const reader = prometheusReader({ window, metrics: [REQUESTS], service: 'metrics-prom', daily: false });
    expect(reader.label).toBe('prometheus (metrics-prom)');
    const ok = await readRows(reader, { 'metrics-prom': client });
    expect(ok.rows).toEqual([{ dims: { date: '2026-03-28', hour: 10 }, metrics: { 'http.requests.shop_com': 132, 'http.requests.blog': 24 } }]);
    const missing = await readRows(reader, {});
    expect(missing.run.error).toContain("missing service 'metrics-prom'");
  });
});

describe('prometheus reader options', () => {
  const window: ReadWindow = backfillWindow(Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 2), 'UTC', NOW);
  const bad = (metrics: unknown): (() => unknown) => () => prometheusReader({ window, metrics: metrics as PrometheusMetricQuery[] });

  it('rejects bad entries with a ConfigError naming the entry', () => {
    expect(bad([])).toThrow(ConfigError);
    expect(bad([{ name: 'a.{site', query: 'up' }])).toThrow("prometheus reader: metrics[0] ('a.{site'): bad name template: unmatched '{' at position 2");
    expect(bad([{ name: 'a.{}', query: 'up' }])).toThrow(/'\{\}' is not a label placeholder/);
    expect(bad([{ name: 'a', query: '' }])).toThrow("prometheus reader: metrics[0] ('a'): 'query' must be a non-empty PromQL expression");
    expect(bad([{ name: 'a', query: 'up', dailyQuery: 'sum(increase(x[1d]))' }])).toThrow(/'dailyQuery' must contain \{range\}/);
    expect(bad([{ name: 'a', query: 'up' }, { name: 'a', query: 'up' }])).toThrow("prometheus reader: metrics[1] ('a'): the name template 'a' is used twice");
    expect(bad([{ name: 'a', query: 'increase(x[1h])', hourly: false }])).toThrow(/produces nothing/);
  });

  it('accepts an hourly-only entry (no {range}) and a daily-only one', () => {
    expect(() => bad([{ name: 'a', query: 'increase(x[1h])' }, { name: 'b', query: 'increase(x[{range}])', hourly: false }])()).not.toThrow();
  });
});
