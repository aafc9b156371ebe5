// Writers benchmark: the hourly writer node against a raw COPY and a per-row SELECT-then-INSERT/UPDATE,
// on the same rows in the same order, in one run. Each measurement runs in its own child process (so its
// peak RSS is its own); the parent prints one JSON line per scenario.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { graphBuilder, runGraph, source } from '../graph/index.js';
import type { MetricRow } from '../metrics/row.js';
import { METRICS_DB_SERVICE, type MetricsDb } from '../writers/metrics-db.js';
import { migrate } from '../writers/migrate.js';
import { openMetricsDb } from '../writers/open-metrics-db.js';
import { hourlyWriter } from '../writers/value-writer.js';

const METRICS = 200;
const PG_ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const PGLITE_ROWS = Number(process.env.BENCH_PGLITE_ROWS ?? 100_000);
const PER_ROW_ROWS = 20_000;
/** The writer's batch size (default: the writer's own default). */
const WRITER_BATCH = process.env.BENCH_WRITER_BATCH ? Number(process.env.BENCH_WRITER_BATCH) : undefined;
/** BENCH_WRITER_MERGE=0: the writer upserts with INSERT ... ON CONFLICT even where MERGE is available. */
const WRITER_MERGE = process.env.BENCH_WRITER_MERGE !== '0';
const START_DAY = Date.UTC(2025, 0, 1) / 86_400_000;
const NAMES = Array.from({ length: METRICS }, (_, m) => `bench.metric.${String(m).padStart(3, '0')}`);
const DATES = new Map<number, string>();

function dateOf(day: number): string {
  let date = DATES.get(day);
  if (date === undefined) {
    date = new Date((START_DAY + day) * 86_400_000).toISOString().slice(0, 10);
    DATES.set(day, date);
  }
  return date;
}

/** `n` (dims, metrics) rows, one value each, hour by hour (every metric of an hour, then the next hour). */
export function* benchRows(n: number, bump = 0): Generator<MetricRow> {
  for (let i = 0; i < n; i++) {
    const slot = Math.floor(i / METRICS);
    const m = i % METRICS;
    const value = ((slot * 7919 + m * 104_729 + bump) % 100_000) / 100;
    yield { dims: { date: dateOf(Math.floor(slot / 24)), hour: slot % 24 }, metrics: { [NAMES[m]!]: value } };
  }
}

interface Measured {
  readonly rows: number;
  readonly seconds: number;
  readonly peakRssMb: number;
  /** Batches per statement that wrote them (writer runs). */
  readonly statements?: Record<string, number>;
}

const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

// ---- children: one measurement each ----

const RAW_TABLE = 'bench_raw.hourly_value';
const PER_ROW_TABLE = 'bench_raw.per_row_value';
const TABLE_DDL = (table: string) => `CREATE TABLE ${table} (metric_id integer NOT NULL, date date NOT NULL, hour smallint NOT NULL,
  value double precision NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (metric_id, date, hour))`;

async function rawCopy(url: string, n: number): Promise<Measured> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP TABLE IF EXISTS ${RAW_TABLE}`);
  await client.query(TABLE_DDL(RAW_TABLE));
  const ids = new Map(NAMES.map((name, i) => [name, i + 1]));
  const started = performance.now();
  function* chunks(): Generator<string> {
    let lines: string[] = [];
    for (const row of benchRows(n)) {
      for (const name in row.metrics) lines.push(`${ids.get(name)}\t${row.dims.date}\t${row.dims.hour}\t${row.metrics[name]}\n`);
      if (lines.length >= 10_000) {
        yield lines.join('');
        lines = [];
      }
    }
    if (lines.length > 0) yield lines.join('');
  }
  await pipeline(Readable.from(chunks()), client.query(copyStreams.from(`COPY ${RAW_TABLE} (metric_id, date, hour, value) FROM STDIN`)));
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  return { rows: n, seconds, peakRssMb: peakRssMb() };
}

/** bonobo-sqlalchemy's InsertOrUpdate: per row a SELECT, then an UPDATE or an INSERT (commit every 1000 rows). */
async function perRow(url: string, n: number, fresh: boolean): Promise<Measured> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  if (fresh) {
    await client.query(`DROP TABLE IF EXISTS ${PER_ROW_TABLE}`);
    await client.query(TABLE_DDL(PER_ROW_TABLE));
  }
  const ids = new Map(NAMES.map((name, i) => [name, i + 1]));
  const started = performance.now();
  let inTx = 0;
  await client.query('BEGIN');
  for (const row of benchRows(n, fresh ? 0 : 1)) {
    for (const name in row.metrics) {
      const key = [ids.get(name), row.dims.date, row.dims.hour];
      const found = await client.query(`SELECT value FROM ${PER_ROW_TABLE} WHERE metric_id = $1 AND date = $2 AND hour = $3`, key);
      if (found.rows.length > 0) {
        await client.query(`UPDATE ${PER_ROW_TABLE} SET value = $4, updated_at = now() WHERE metric_id = $1 AND date = $2 AND hour = $3`, [...key, row.metrics[name]]);
      } else {
        await client.query(`INSERT INTO ${PER_ROW_TABLE} (metric_id, date, hour, value) VALUES ($1, $2, $3, $4)`, [...key, row.metrics[name]]);
      }
    }
    if (++inTx === 1000) {
      await client.query('COMMIT');
      await client.query('BEGIN');
      inTx = 0;
    }
  }
  await client.query('COMMIT');
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  return { rows: n, seconds, peakRssMb: peakRssMb() };
}

async function writerRun(db: MetricsDb, n: number, bump: number): Promise<Measured> {
  const statements: Record<string, number> = {};
  const onBatch = ({ statement }: { statement: string }) => void (statements[statement] = (statements[statement] ?? 0) + 1);
  const b = graphBuilder('bench-writers');
  b.source('rows', source(() => benchRows(n, bump))).to('hourly', hourlyWriter({ batchSize: WRITER_BATCH, merge: WRITER_MERGE, onBatch }));
  const started = performance.now();
  const run = await runGraph(b.build(), { services: { [METRICS_DB_SERVICE]: db } });
  const seconds = (performance.now() - started) / 1000;
  const node = run.nodes.find((x) => x.name === 'hourly')!;
  if (run.status !== 'succeeded' || node.out !== n) throw new Error(`writer run ${run.status}: out=${node.out} of ${n}; ${run.error}`);
  return { rows: n, seconds, peakRssMb: peakRssMb(), statements };
}


async function writer(config: { databaseUrl?: string; dataDir: string }, n: number, bump: number, reset: boolean): Promise<Measured> {
  const db = await openMetricsDb({ ...config, schema: 'bench_etl' });
  try {
    if (reset) await db.query('DROP SCHEMA IF EXISTS bench_etl CASCADE');
    await migrate(db);
    return await writerRun(db, n, bump);
  } finally {
    await db.close();
  }
}

async function child(args: string[]): Promise<void> {
  const [what, url, rows] = args as [string, string, string];
  const n = Number(rows);
  const pgConfig = { databaseUrl: url, dataDir: '/nonexistent' };
  let result: Measured;
  switch (what) {
    case 'copy':
      result = await rawCopy(url, n);
      break;
    case 'per-row-fresh':
      result = await perRow(url, n, true);
      break;
    case 'per-row-conflict':
      result = await perRow(url, n, false);
      break;
    case 'fresh':
      result = await writer(pgConfig, n, 0, true);
      break;
    case 'conflict':
      result = await writer(pgConfig, n, 0, false);
      break;
    case 'conflict-changed':
      result = await writer(pgConfig, n, 1, false);
      break;
    case 'pglite-init': {
      // initdb and migrations in a process of their own: the measured process opens an existing database.
      const db = await openMetricsDb({ dataDir: url, schema: 'bench_etl' });
      await migrate(db);
      await db.close();
      result = { rows: 0, seconds: 0, peakRssMb: peakRssMb() };
      break;
    }
    case 'pglite': {
      // The embedded database lives in the writer's process: fresh, rerun and changed on one opened instance,
      // as the server keeps its state between the PostgreSQL measurements.
      const db = await openMetricsDb({ dataDir: url, schema: 'bench_etl' });
      try {
        // The first load in a new process runs on cold WebAssembly (baseline-compiled, tiered up while it
        // runs): measured and reported as `coldRowsPerSec`, then the tables are emptied and measured warm.
        const cold = await writerRun(db, n, 0);
        await db.query('TRUNCATE bench_etl.hourly_value');
        await db.query('CHECKPOINT');
        const runs = [cold, await writerRun(db, n, 0), await writerRun(db, n, 0), await writerRun(db, n, 1)];
        process.stdout.write(`${JSON.stringify(runs)}\n`);
      } finally {
        await db.close();
      }
      return;
    }
    default:
      throw new Error(`unknown measurement ${what}`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

// ---- parent: the scenarios, in one run ----

const self = fileURLToPath(import.meta.url);

function measure(what: string, target: string, rows: number): Measured {
  const out = execFileSync(process.execPath, [self, '--child', what, target, String(rows)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const measured = JSON.parse(out.trim().split('\n').pop()!) as Measured;
  process.stderr.write(`bench:writers ${what}: ${rows} rows in ${measured.seconds.toFixed(2)}s (${Math.round(rows / Math.max(measured.seconds, 1e-9))} rows/s, peak RSS ${measured.peakRssMb} MB)\n`);
  return measured;
}

function measureAll(what: string, target: string, rows: number): Measured[] {
  const out = execFileSync(process.execPath, [self, '--child', what, target, String(rows)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const measured = JSON.parse(out.trim().split('\n').pop()!) as Measured[];
  for (const m of measured) {
    process.stderr.write(`bench:writers ${what}: ${rows} rows in ${m.seconds.toFixed(2)}s (${Math.round(rows / m.seconds)} rows/s, peak RSS so far ${m.peakRssMb} MB)\n`);
  }
  return measured;
}

const rate = (m: Measured): number => Math.round(m.rows / m.seconds);
const round2 = (x: number): number => Math.round(x * 100) / 100;

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `etl_bench_writers_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const benchUrl = url.toString();
  const pgliteDir = mkdtempSync(join(tmpdir(), 'etl-bench-pglite-'));
  const setup = new pg.Client({ connectionString: benchUrl });
  await setup.connect();
  await setup.query('CREATE SCHEMA bench_raw');
  const checkpoint = () => setup.query('CHECKPOINT');
  try {
    // Raw COPY before and after the writer runs: the machine drifts, so the baseline is their mean.
    await checkpoint();
    const copyBefore = measure('copy', benchUrl, PG_ROWS);
    await checkpoint();
    const fresh = measure('fresh', benchUrl, PG_ROWS);
    await checkpoint();
    const conflict = measure('conflict', benchUrl, PG_ROWS);
    await checkpoint();
    const changed = measure('conflict-changed', benchUrl, PG_ROWS);
    await checkpoint();
    const copyAfter = measure('copy', benchUrl, PG_ROWS);
    await checkpoint();
    const perRowFresh = measure('per-row-fresh', benchUrl, PER_ROW_ROWS);
    const perRowConflict = measure('per-row-conflict', benchUrl, PER_ROW_ROWS);
    measure('pglite-init', pgliteDir, 0);
    const [pgliteCold, pgliteFresh, pgliteConflict, pgliteChanged] = measureAll('pglite', pgliteDir, PGLITE_ROWS) as [Measured, Measured, Measured, Measured];

    const copyRate = Math.round((rate(copyBefore) + rate(copyAfter)) / 2);
    const line = (scenario: string, m: Measured, perRowRate: number, extra: Record<string, unknown> = {}) =>
      process.stdout.write(
        `${JSON.stringify({
          scenario,
          rows: m.rows,
          rowsPerSec: rate(m),
          copyRowsPerSec: copyRate,
          ratio: round2(rate(m) / copyRate),
          perRowRowsPerSec: perRowRate,
          speedupVsPerRow: round2(rate(m) / perRowRate),
          peakRssMb: m.peakRssMb,
          statements: m.statements,
          ...extra,
        })}\n`,
      );
    const copies = { copyRuns: [rate(copyBefore), rate(copyAfter)] };
    line('fresh', fresh, rate(perRowFresh), copies);
    line('conflict', conflict, rate(perRowConflict), { ...copies, note: 'rerun of the same rows: values unchanged' });
    line('conflict-changed', changed, rate(perRowConflict), { ...copies, note: 'every value differs from the stored one' });
    const pgliteLine = (scenario: string, m: Measured, against: Measured, extra: Record<string, unknown> = {}) =>
      process.stdout.write(
        `${JSON.stringify({
          scenario,
          rows: m.rows,
          rowsPerSec: rate(m),
          postgresRowsPerSec: rate(against),
          ratio: round2(rate(m) / rate(against)),
          peakRssMb: m.peakRssMb,
          statements: m.statements,
          ...extra,
        })}\n`,
      );
    pgliteLine('pglite-fresh', pgliteFresh, fresh, { coldRowsPerSec: rate(pgliteCold), coldRatio: round2(rate(pgliteCold) / rate(fresh)) });
    pgliteLine('pglite-conflict', pgliteConflict, conflict);
    pgliteLine('pglite-conflict-changed', pgliteChanged, changed);
  } finally {
    await setup.end();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.end();
    rmSync(pgliteDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv.slice(3));
else await main();
