// /metrics over HTTP: the worker's metrics server (cli/metrics-server.ts), the UI's route, and a real
// Prometheus that scrapes it (our scrape config: test/support/prometheus.ts starts one with none) and whose
// query API returns the values of the run store.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { metricsPortFrom, startMetricsServer, type RunningMetricsServer } from '../cli/metrics-server.js';
import type { EtlRuntime } from '../runtime/runtime.js';
import { PartitionStore } from '../runs/partition-store.js';
import { dayPartitions } from '../runs/partitions.js';
import { createSelfMetrics } from '../monitoring/self-metrics.js';
import type { RunStore } from '../runs/run-store.js';
import { createApp } from '../web/server.js';
import { findExecutable, freePort } from './support/prometheus.js';
import { recordedStore, sample } from './support/self-metrics.js';
import { createTestMetricsDb, type TestMetricsDb } from './writers-backends.js';


describe('/metrics over HTTP', () => {
  const servers: RunningMetricsServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('the metrics server serves GET /metrics, with the token when one is set', async () => {
    const store = await recordedStore();
    const server = await startMetricsServer({ metrics: createSelfMetrics({ store: async () => store }), port: 0, token: 's3cret' });
    servers.push(server);
    expect((await fetch(server.url)).status).toBe(401);
    expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
    const res = await fetch(server.url, { headers: { authorization: 'Bearer s3cret' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(await res.text(), 'etl_runs_total{job="ok",status="succeeded"}')).toBe(2);
  });

  it('ETL_METRICS_PORT: unset or empty is no server, a port is a port, anything else a usage error', () => {
    expect(metricsPortFrom({})).toBeUndefined();
    expect(metricsPortFrom({ ETL_METRICS_PORT: ' ' })).toBeUndefined();
    expect(metricsPortFrom({ ETL_METRICS_PORT: '9464' })).toBe(9464);
    expect(() => metricsPortFrom({ ETL_METRICS_PORT: 'http' })).toThrow(/ETL_METRICS_PORT: 'http' is not a port/);
    expect(() => metricsPortFrom({ ETL_METRICS_PORT: '70000' })).toThrow(/not a port/);
  });

  it('a store that fails answers 500', async () => {
    const errors: unknown[] = [];
    const server = await startMetricsServer({ metrics: createSelfMetrics({ store: async () => Promise.reject(new Error('db down')) }), port: 0, onError: (e) => errors.push(e) });
    servers.push(server);
    expect((await fetch(server.url)).status).toBe(500);
    expect(String(errors[0])).toContain('db down');
  });

  it('the UI mounts GET /metrics behind its token', async () => {
    const store = await recordedStore();
    const runtime = { config: { env: {}, file: {}, database: {} }, runStorage: async () => ({ runs: store }) } as unknown as EtlRuntime;
    const app = createApp({ runtime, schedules: [], runHere: async () => 0, token: 'ui-token' });
    expect((await app.request('/metrics')).status).toBe(401);
    const res = await app.request('/metrics', { headers: { authorization: 'Bearer ui-token' } });
    expect(res.status).toBe(200);
    expect(sample(await res.text(), 'etl_runs_total{job="bad",status="failed"}')).toBe(1);
    const open = createApp({ runtime, schedules: [], runHere: async () => 0 });
    expect(sample(await (await open.request('/metrics')).text(), 'etl_rows_total{job="bad",node="check",kind="err"}')).toBe(1);
  });
});

interface PromVector {
  readonly status: string;
  readonly data: { readonly result: ReadonlyArray<{ readonly metric: Record<string, string>; readonly value: [number, string] }> };
}

const prometheusBinary = findExecutable('prometheus');

describe.skipIf(prometheusBinary === undefined)('a real Prometheus scrapes /metrics', () => {
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  let server: RunningMetricsServer | undefined;
  let metricsDb: TestMetricsDb | undefined;
  afterEach(async () => {
    await metricsDb?.drop();
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      await exited;
    }
    await server?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('its query API returns the runs and rows of the run store, and the partitions by status', async () => {
    const store = await recordedStore();
    metricsDb = await createTestMetricsDb('postgres');
    const parts = new PartitionStore(metricsDb.db);
    const week = dayPartitions('2026-11-02', '2026-11-08', 'UTC');
    for (const p of week.slice(0, 5)) await parts.set('events', p, 'success');
    await parts.set('events', week[5]!, 'failed', { reason: 'source down' });
    await parts.set('all', week[6]!, 'skipped', { reason: 'snapshot' });
    server = await startMetricsServer({ metrics: createSelfMetrics({ store: async () => store, partitionCounts: () => parts.counts() }), port: 0, token: 'scrape-token' });
    dir = await mkdtemp(join(tmpdir(), 'etl-self-metrics-'));
    const config = join(dir, 'prometheus.yml');
    await writeFile(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        '  - job_name: etl',
        '    metrics_path: /metrics',
        '    authorization:',
        '      type: Bearer',
        '      credentials: scrape-token',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${server.port}']`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let stderr = '';
    child = spawn(prometheusBinary!, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-10_000)));
    const query = async (q: string): Promise<PromVector['data']['result']> => {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`);
      const body = (await res.json()) as PromVector;
      expect(body.status).toBe('success');
      return body.data.result;
    };
    const deadline = Date.now() + 30_000;
    let runs: PromVector['data']['result'] = [];
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}): ${stderr}`);
      try {
        runs = await query('etl_runs_total');
        if (runs.length >= 2) break;
      } catch {
        // Not up yet.
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    // Prometheus keeps our `job` label as exported_job (its own `job` is the scrape job; honor_labels: true keeps ours).
    const byJob = Object.fromEntries(runs.map((r) => [`${r.metric.exported_job}/${r.metric.status}`, Number(r.value[1])]));
    expect(runs.every((r) => r.metric.job === 'etl' && r.metric.instance === `127.0.0.1:${server!.port}`)).toBe(true);
    expect(byJob).toEqual({ 'ok/succeeded': 2, 'bad/failed': 1 });
    const err = await query('etl_rows_total{exported_job="bad",node="check",kind="err"}');
    expect(err.map((r) => Number(r.value[1]))).toEqual([1]);
    const count = await query('sum(etl_run_duration_seconds_count)');
    expect(count.map((r) => Number(r.value[1]))).toEqual([3]);
    const up = await query('up{job="etl"}');
    expect(up.map((r) => r.value[1])).toEqual(['1']);
    const partitions = await query('etl_partitions');
    expect(Object.fromEntries(partitions.map((r) => [`${r.metric.exported_job}/${r.metric.grain}/${r.metric.status}`, Number(r.value[1])]))).toEqual({
      'events/day/success': 5,
      'events/day/failed': 1,
      'all/day/skipped': 1,
    });
  });
});
