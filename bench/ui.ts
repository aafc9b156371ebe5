// bench:ui: the web UI's pages and API answers with 100,000 runs in job_run (PostgreSQL), p50/p95 over
// in-process requests (Hono's app.request), next to the same store query run directly (the baseline).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../config/index.js';
import { createRuntime } from '../runtime/runtime.js';
import { resolveSchedules } from '../runtime/schedules.js';
import { jobSummaries } from '../web/jobs-summary.js';
import { buildUi } from '../web/server.js';
import type { UiDeps } from '../web/contract.js';

const ADMIN = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RUNS = Number(process.env.BENCH_UI_RUNS ?? 100_000);
const REQUESTS = 100;

const pct = (xs: number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
};

async function time(n: number, call: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 5; i++) await call(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call();
    out.push(performance.now() - t);
  }
  return out;
}

async function main(): Promise<void> {
  const name = `etl_bench_ui_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = ADMIN.replace(/\/[^/]*$/, `/${name}`);
  const cwd = mkdtempSync(join(tmpdir(), 'etl-bench-ui-'));
  const runtime = createRuntime(loadConfig({ env: { DATABASE_URL: url }, cwd }));
  try {
    const store = (await runtime.runStorage()).runs;
    await store.list({ limit: 1 }); // migrates
    const seed = new pg.Client({ connectionString: url });
    await seed.connect();
    await seed.query(
      `INSERT INTO etl.job_run (job, trigger, status, queued_at, scheduled_for, started_at, finished_at, attempt, nodes, error)
       SELECT (ARRAY['all', 'clean', 'example'])[1 + i % 3], (ARRAY['schedule', 'manual', 'retry'])[1 + i % 3],
              (ARRAY['succeeded', 'succeeded', 'succeeded', 'failed', 'skipped'])[1 + i % 5],
              t, t, t + interval '1 second', t + interval '3 seconds', 1,
              '[{"name":"read","kind":"source","status":"succeeded","in":10,"out":10,"err":0,"startedAt":null,"finishedAt":null,"errors":[],"fatal":null}]'::jsonb,
              CASE WHEN i % 5 = 3 THEN 'job ''x'': node ''read'' failed' END
         FROM generate_series(1, $1::int) AS i, LATERAL (SELECT now() - (($1::int - i) * interval '1 minute') AS t) AS at`,
      [RUNS],
    );
    await seed.query('ANALYZE etl.job_run');
    await seed.end();
    const registry = await runtime.registry();
    const deps: UiDeps = { runtime, schedules: resolveSchedules(runtime.config, registry), runHere: async () => 0 };
    const { app } = buildUi(deps);
    const get = (path: string) => async () => {
      const res = await app.request(path);
      if (res.status !== 200) throw new Error(`bench:ui: GET ${path} answered ${res.status}`);
      await res.text();
    };
    const scenarios: Array<[string, () => Promise<unknown>, () => Promise<unknown>]> = [
      ['runs page', get('/runs'), () => store.list({ limit: 50 })],
      ['runs page, job=all status=failed, 100th page', get('/runs?job=all&status=failed&before=5000'), () => store.list({ job: 'all', status: 'failed', beforeId: 5000, limit: 50 })],
      ['jobs page', get('/jobs'), () => jobSummaries(deps)],
      ['api runs', get('/api/runs'), () => store.list({ limit: 50 })],
      ['api jobs', get('/api/jobs'), () => jobSummaries(deps)],
    ];
    for (const [scenario, request, baseline] of scenarios) {
      const took = await time(REQUESTS, request);
      const base = await time(REQUESTS, baseline);
      console.log(
        JSON.stringify({
          bench: 'ui',
          scenario,
          runs: RUNS,
          requests: REQUESTS,
          p50_ms: pct(took, 50),
          p95_ms: pct(took, 95),
          baseline: 'the same store query (or job summaries) called directly',
          baseline_p95_ms: pct(base, 95),
          ratio: Math.round((pct(took, 95) / Math.max(0.1, pct(base, 95))) * 100) / 100,
          target: 'p95_ms <= 100',
        }),
      );
    }
  } finally {
    await runtime.close();
    rmSync(cwd, { recursive: true, force: true });
    const drop = new pg.Client({ connectionString: ADMIN });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await drop.end();
  }
}

await main();
