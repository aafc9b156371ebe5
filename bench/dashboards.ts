// bench:dashboards: the shipped dashboard over 30 days on 1,000 metrics with a year of hourly and daily values
// (~8.8M hourly rows), PostgreSQL and PGlite. The whole page (every open panel's data through the running UI's
// HTTP API, in one streamed request as the browser fetches them) p50/p95, next to the same expanded SQL statements run
// directly in the same run (a pg Pool, in parallel; on PGlite, one after the other on its handle).
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { LoadedConfig } from '../config/index.js';
import {
  allPanels, calculateIntervalMs, dashboardZone, panelResolution, parseTimeRange, prepareSql, resolveVariables, shippedDashboardsDir,
  DEFAULT_MAX_ROWS, DEFAULT_QUERY_TIMEOUT_MS, type Variables,
} from '../dashboards/index.js';
import { JobRegistry } from '../jobs/registry.js';
import type { EtlRuntime } from '../runtime/runtime.js';
import { sqlRunStorage } from '../runs/sql-run-storage.js';
import type { UiDeps } from '../web/contract.js';
import { startUi, type RunningUi } from '../web/server.js';
import type { MetricsDb, SqlQueryable } from '../writers/metrics-db.js';
import { migrate } from '../writers/migrate.js';
import { openMetricsDb, type MetricsDbConfig } from '../writers/open-metrics-db.js';
import { createBenchDatabase } from './bench-database.js';

const METRICS = Number(process.env.BENCH_DASHBOARD_METRICS ?? 1000);
const DAYS = Number(process.env.BENCH_DASHBOARD_DAYS ?? 365);
const ITERATIONS = Number(process.env.BENCH_DASHBOARD_ITERATIONS ?? 30);
const WARMUP = 3;
/** PGlite is filled 100 metrics at a time until this many seconds have gone (then those metrics are kept). */
const PGLITE_FILL_BUDGET_S = Number(process.env.BENCH_PGLITE_FILL_SECONDS ?? 180);
const JOB_RUNS = 10_000;
const FROM = 'now-30d';
const TO = 'now';
const TARGET_RATIO = 1.3;
const TARGET_P95_MS = 300;
/** The panel types the browser fetches data for (web/client/dashboard/panels.ts). */
const FETCHED_TYPES = new Set(['timeseries', 'stat', 'table', 'barchart', 'bargauge']);

type Json = Readonly<Record<string, unknown>>;

// ---- the metrics: the names the shipped dashboard's panels query, then filler up to METRICS ----

function metricNames(): string[] {
  const events = ['signup', 'page_view', 'pageview', 'login', 'search', 'purchase'];
  const names = events.flatMap((e) => [`events.${e}.count`, `events.${e}.users`, `events.${e}.duration_p95`]);
  for (const e of ['page_view', 'signup']) for (const c of ['spring', 'summer', 'newsletter', 'other', 'none']) names.push(`events.${e}.by_campaign.${c}.count`);
  names.push('ga.sessions', 'ga.new_users', 'ga.active_users', 'objects.users.count', 'objects.paying_users.count');
  names.push('spider.active', 'spider.idle', 'spider.total', 'http.requests.shop', 'http.requests.blog', 'http.requests.api');
  for (let i = 0; names.length < METRICS; i++) names.push(`app.group${String(i % 40).padStart(2, '0')}.metric${String(i).padStart(4, '0')}`);
  return names;
}

/** The values of metrics with ids in [fromId, toId]: a year of days up to today (UTC) and of hours up to this one, in time order (as writers append). */
async function fillValues(db: SqlQueryable, fromId: number, toId: number): Promise<void> {
  const days = `(SELECT (now() AT TIME ZONE 'UTC')::date - k AS d FROM generate_series(0, ${DAYS - 1}) AS k)`;
  await db.query(
    `INSERT INTO etl.hourly_value (metric_id, date, hour, value)
     SELECT m, d, h, ((m * 7919 + (d - date '2020-01-01') * 24 + h) % 1000) / 10.0
       FROM ${days} AS days, generate_series(0, 23) AS h, generate_series($1::int, $2::int) AS m
      WHERE d + h * interval '1 hour' <= now() AT TIME ZONE 'UTC'
      ORDER BY d, h, m`,
    [fromId, toId],
  );
  await db.query(
    `INSERT INTO etl.daily_value (metric_id, date, value)
     SELECT m, d, ((m * 104729 + (d - date '2020-01-01')) % 5000) / 10.0
       FROM ${days} AS days, generate_series($1::int, $2::int) AS m
      ORDER BY d, m`,
    [fromId, toId],
  );
}

async function fillRuns(db: SqlQueryable): Promise<void> {
  await db.query(
    `INSERT INTO etl.job_run (job, trigger, status, queued_at, started_at, finished_at, created_at, attempt, error)
     SELECT (ARRAY['all', 'events', 'ga', 'clean'])[1 + i % 4], (ARRAY['schedule', 'manual', 'retry'])[1 + i % 3],
            (ARRAY['succeeded', 'succeeded', 'succeeded', 'failed', 'skipped'])[1 + i % 5],
            t, t + interval '1 second', t + interval '1 second' + (i % 97) * interval '1 second', t, 1,
            CASE WHEN i % 5 = 3 THEN 'job ''events'': node ''read'' failed' END
       FROM generate_series(1, $1::int) AS i, LATERAL (SELECT now() - (($1::int - i) * interval '1 hour') AS t) AS at`,
    [JOB_RUNS],
  );
}

/** Migrated, `count` metrics with a year of values each (100 at a time while `budgetS` lasts), runs, analysed. */
async function fill(db: MetricsDb, names: readonly string[], budgetS: number): Promise<{ metrics: number; seconds: number }> {
  const started = performance.now();
  await migrate(db);
  await db.query('INSERT INTO etl.metric (id, name, kind) SELECT i, n, $2 FROM unnest($1::text[]) WITH ORDINALITY AS x(n, i)', [names, 'gauge']);
  let done = 0;
  while (done < names.length) {
    const next = Math.min(names.length, done + 100);
    await fillValues(db, done + 1, next);
    done = next;
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`bench:dashboards ${db.backend}: ${done} metrics filled in ${seconds.toFixed(1)} s\n`);
    if (seconds > budgetS && done < names.length) break;
  }
  if (done < names.length) await db.query('DELETE FROM etl.metric WHERE id > $1', [done]);
  await fillRuns(db);
  await db.query(db.backend === 'postgres' ? 'VACUUM (ANALYZE)' : 'ANALYZE');
  if (db.backend === 'postgres') await db.query('CHECKPOINT').catch(() => undefined); // needs superuser; a speed-up only
  return { metrics: done, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

// ---- what is measured ----

const pct = (xs: readonly number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
};
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The open panels the browser fetches on load (a collapsed row's panels wait until it is opened). */
function pagePanels(json: Json): Json[] {
  return ((json.panels ?? []) as Json[]).filter((p) => typeof p.type === 'string' && FETCHED_TYPES.has(p.type));
}

/** Every fetched panel target's SQL as the API expands it for FROM..TO and the dashboard's default variables. */
async function expandedStatements(json: Json, db: MetricsDb): Promise<string[]> {
  const range = parseTimeRange(FROM, TO, { timeZone: dashboardZone(json, 'UTC') });
  const timeRange = { from: new Date(range.fromMs), to: new Date(range.toMs) };
  const variableInterval = calculateIntervalMs(range.fromMs, range.toMs, 1920);
  const { values } = await resolveVariables(json, {
    url: {}, range: timeRange, timeZone: 'UTC', strict: false,
    query: async (rawSql: string, known: Variables) => (await db.query<Record<string, unknown>>(prepareSql(rawSql, timeRange, known, variableInterval).sql)).rows,
  });
  return pagePanels(json).flatMap((panel) => {
    const intervalMs = calculateIntervalMs(range.fromMs, range.toMs, panelResolution(panel), typeof panel.interval === 'string' ? panel.interval : undefined);
    return ((panel.targets ?? []) as Json[])
      .filter((t) => t.hide !== true && typeof t.rawSql === 'string' && t.rawSql.trim() !== '')
      .map((t) => prepareSql(t.rawSql as string, timeRange, values, intervalMs).sql);
  });
}

function runtimeOn(db: MetricsDb, database: MetricsDbConfig, dataDir: string): EtlRuntime {
  const dashboards = { public: [], queryTimeoutMs: DEFAULT_QUERY_TIMEOUT_MS, maxRows: DEFAULT_MAX_ROWS };
  const config = { file: {}, env: {}, database, timeZone: 'UTC', source: { file: 'etl.config.json' }, dataDir, jobModules: [], dashboards } as unknown as LoadedConfig;
  const storage = sqlRunStorage(db);
  return {
    config,
    readers: async () => ({}) as never,
    registry: async () => new JobRegistry([]),
    services: async () => ({}),
    metricsDb: async () => db,
    runStorage: async () => storage,
    close: async () => undefined,
  } as unknown as EtlRuntime;
}

interface Figures {
  readonly pageP50: number;
  readonly pageP95: number;
  readonly directP50: number;
  readonly directP95: number;
  readonly ratio: number;
  /** Bytes of one page's panel answers (JSON). */
  readonly pageBytes: number;
}

/** The browser process: one page load asked at a time. */
interface PageClient {
  ask(url: string, panels: number): Promise<{ bytes: number }>;
  close(): void;
}

function startPageClient(): PageClient {
  const child = fork(fileURLToPath(new URL('./page-client.js', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    ask: (url, panels) =>
      new Promise((resolve, reject) => {
        child.once('message', (answer: { bytes: number } | { error: string }) => ('error' in answer ? reject(new Error(`bench:dashboards: ${answer.error}`)) : resolve(answer)));
        child.send({ url, panels });
      }),
    close: () => child.disconnect(),
  };
}

/** The page (every panel's answer, in one request) and the direct statements, alternating, N times after warm-ups. */
async function measure(ui: RunningUi, client: PageClient, uid: string, panelIds: readonly number[], direct: () => Promise<unknown>): Promise<Figures> {
  let bytes = 0;
  // As the browser loads a page: one request for every open panel, one NDJSON line per panel as it is ready,
  // read and parsed in a process of its own (bench/page-client.ts), as a browser does.
  const url = `${ui.url}/api/dashboards/${uid}/panels?${panelIds.map((id) => `id=${id}`).join('&')}&from=${FROM}&to=${TO}`;
  const page = async () => {
    const answer = await client.ask(url, panelIds.length);
    bytes = answer.bytes;
  };
  const timed = async (call: () => Promise<unknown>, into: number[]) => {
    const t = performance.now();
    await call();
    into.push(performance.now() - t);
  };
  for (let i = 0; i < WARMUP; i++) {
    await page();
    await direct();
  }
  const pages: number[] = [];
  const directs: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    // Alternating which goes first: drift on a shared machine falls on both.
    if (i % 2 === 0) {
      await timed(page, pages);
      await timed(direct, directs);
    } else {
      await timed(direct, directs);
      await timed(page, pages);
    }
  }
  const pageP95 = pct(pages, 95);
  const directP95 = pct(directs, 95);
  return { pageP50: pct(pages, 50), pageP95, directP50: pct(directs, 50), directP95, ratio: round2(pageP95 / Math.max(0.1, directP95)), pageBytes: bytes };
}

async function main(): Promise<void> {
  const json = JSON.parse(readFileSync(resolve(shippedDashboardsDir(), 'business-metrics.json'), 'utf8')) as Json;
  const uid = json.uid as string;
  const panelIds = pagePanels(json).map((p) => p.id as number);
  const names = metricNames();
  const dataDir = mkdtempSync(join(tmpdir(), 'etl-bench-dashboards-'));
  const bench = await createBenchDatabase('etl_bench_dashboards', 10);
  const pgConfig: MetricsDbConfig = { databaseUrl: bench.url, dataDir };
  const pgliteConfig: MetricsDbConfig = { dataDir };
  let pgDb: MetricsDb | undefined;
  let pgliteDb: MetricsDb | undefined;
  const uis: RunningUi[] = [];
  const client = startPageClient();
  try {
    // PostgreSQL
    pgDb = await openMetricsDb(pgConfig);
    const pgFill = await fill(pgDb, names, Number.POSITIVE_INFINITY);
    const counts = (await pgDb.query<{ hourly: string; daily: string }>('SELECT (SELECT count(*) FROM etl.hourly_value) AS hourly, (SELECT count(*) FROM etl.daily_value) AS daily')).rows[0]!;
    const statements = await expandedStatements(json, pgDb);
    const pgUi = await startUi({ deps: { runtime: runtimeOn(pgDb, pgConfig, dataDir), schedules: [], runHere: async () => 0 } satisfies UiDeps, host: '127.0.0.1', port: 0 });
    uis.push(pgUi);
    // The baseline's pool: as many connections as the metrics database's own pool (10).
    const direct = bench.pool;
    const postgres = await measure(pgUi, client, uid, panelIds, () => Promise.all(statements.map((sql) => direct.query(sql))));
    process.stderr.write(`bench:dashboards postgres: ${JSON.stringify(postgres)}\n`);
    await pgUi.close();
    uis.pop();
    await pgDb.close();
    pgDb = undefined;

    // PGlite
    pgliteDb = await openMetricsDb(pgliteConfig);
    const pgliteFill = await fill(pgliteDb, names, PGLITE_FILL_BUDGET_S);
    const pgliteHourly = Number((await pgliteDb.query<{ n: string }>('SELECT count(*) AS n FROM etl.hourly_value')).rows[0]!.n);
    const pgliteStatements = await expandedStatements(json, pgliteDb);
    const pgliteUi = await startUi({ deps: { runtime: runtimeOn(pgliteDb, pgliteConfig, dataDir), schedules: [], runHere: async () => 0 } satisfies UiDeps, host: '127.0.0.1', port: 0 });
    uis.push(pgliteUi);
    const lite = pgliteDb;
    const pglite = await measure(pgliteUi, client, uid, panelIds, async () => {
      for (const sql of pgliteStatements) await lite.query(sql);
    });

    const met = { ratio: postgres.ratio <= TARGET_RATIO, p95: postgres.pageP95 <= TARGET_P95_MS };
    console.log(
      JSON.stringify({
        bench: 'dashboards',
        dashboard: uid,
        range: `${FROM}..${TO}`,
        panels: panelIds.length,
        statements: statements.length,
        iterations: ITERATIONS,
        rows: { metrics: names.length, hourly: Number(counts.hourly), daily: Number(counts.daily), jobRuns: JOB_RUNS },
        postgres: { ...postgres, fillSeconds: pgFill.seconds },
        pglite: {
          ...pglite, fillSeconds: pgliteFill.seconds, metrics: pgliteFill.metrics, hourly: pgliteHourly,
          ...(pgliteFill.metrics < names.length ? { note: `a year of ${names.length} metrics takes over ${PGLITE_FILL_BUDGET_S} s to write on PGlite: ${pgliteFill.metrics} metrics` } : {}),
          direct: 'the statements one after the other on the PGlite handle',
        },
        page: 'every open panel in one request to the running UI (NDJSON), read and parsed by a separate process as a browser does',
        baseline: 'the same expanded SQL statements through pg (a Pool of 10, in parallel), same N',
        targets: { 'postgres pageP95 <= 1.3x directP95': met.ratio, [`postgres pageP95 <= ${TARGET_P95_MS} ms`]: met.p95 },
        met: met.ratio && met.p95,
      }),
    );
    process.exitCode = met.ratio && met.p95 ? 0 : 1;
  } finally {
    client.close();
    for (const ui of uis) await ui.close();
    await pgDb?.close();
    await pgliteDb?.close();
    await bench.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
