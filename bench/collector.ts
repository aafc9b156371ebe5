// Collector benchmark: a bounded load on loopback (a fixed number of requests of 50 events from a few concurrent
// clients with keep-alive connections) against the real `etl collect` (a child process) on PostgreSQL, in three
// shapes of body (the collector's own, Segment's /v1/batch, the same gzipped); after each, the very rows it stored
// written again by a bare COPY in the same run, as the baseline: one COPY per batch of 50 from as many connections
// as clients (the same batches straight to the table), and one COPY of everything (the upper bound). Prints one
// JSON line per measure and the ratios; exits 1 when the rows in the table differ from the events acknowledged.
// Creates its own database on the local server and drops it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { createBenchDatabase } from './bench-database.js';
import copyStreams from 'pg-copy-streams';
import { BATCH, batchOf, OWN_SHAPE, SEGMENT_GZIP_SHAPE, SEGMENT_SHAPE, type BodyShape } from './collector-bodies.js';
import { COLLECTOR_COLUMNS } from '../writers/migrations.js';

const CLI = resolve(import.meta.dirname, '../cli/main.js');
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const KEY = `bench-${randomBytes(8).toString('hex')}`;
/** A directory: the collector process is profiled (node --cpu-prof), its .cpuprofile written there. */
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;
const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

/** Starts `etl collect` on any free port; resolves with its URL once it listens. */
async function startCollect(configFile: string, url: string, scratch: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const profile = CPU_PROF_DIR === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', resolve(CPU_PROF_DIR)];
  const child = spawn(process.execPath, [...profile, CLI, '--config', configFile, 'collect', '--port', '0'], {
    env: { ...process.env, DATABASE_URL: url, ETL_DATA_DIR: scratch, BENCH_KEY: KEY },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((done) => child.once('close', done));
  const found = await new Promise<string>((done, fail) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const match = /"url":"(http:\/\/[^"]+)"/.exec(stderr);
      if (match) done(match[1]!);
    });
    void exited.then((code) => fail(new Error(`etl collect exited (${code}): ${stderr}`)));
  });
  return {
    url: found,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** POSTs one batch; resolves with the status and the milliseconds it took. */
function postBatch(agent: Agent, url: URL, body: Buffer, headers: Readonly<Record<string, string>>): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'X-Write-Key': KEY, 'Content-Length': body.byteLength }, timeout: 10_000 }, (res) => {
      res.resume();
      res.once('end', () => done({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.once('timeout', () => req.destroy(new Error('request timed out')));
    req.once('error', fail);
    req.end(body);
  });
}

interface LoadResult {
  readonly seconds: number;
  readonly latencies: number[];
  readonly acknowledged: number;
  readonly failed: number;
}

/** Every body from `CLIENTS` clients, each sending its next batch when the previous is answered. */
async function load(endpoint: string, bodies: readonly Buffer[], headers: Readonly<Record<string, string>>): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const url = new URL('/v1/batch', endpoint);
  const latencies: number[] = [];
  let next = 0;
  let acknowledged = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < bodies.length) {
        const { status, ms } = await postBatch(agent, url, bodies[next++]!, headers);
        latencies.push(ms);
        if (status === 200) acknowledged += BATCH;
        else failed += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { seconds, latencies: latencies.sort((a, b) => a - b), acknowledged, failed };
}

const COLUMNS = COLLECTOR_COLUMNS.join(', ');

/** The table's rows as COPY text lines (what the collector stored), and the table emptied. */
async function takeRows(pool: pg.Pool): Promise<string[]> {
  const client = await pool.connect();
  try {
    const chunks: Buffer[] = [];
    const stream = client.query(copyStreams.to(`COPY etl.events (${COLUMNS}) TO STDOUT`));
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    await client.query('TRUNCATE etl.events');
    return Buffer.concat(chunks).toString('utf8').split('\n').filter((line) => line !== '');
  } finally {
    client.release();
  }
}

async function copy(client: pg.PoolClient, text: string): Promise<void> {
  const stream = client.query(copyStreams.from(`COPY etl.events (${COLUMNS}) FROM STDIN`));
  await pipeline(Readable.from([text]), stream);
}

/** The rows by bare COPY into the emptied table: one COPY of everything, or one per batch of 50 from CLIENTS connections. */
async function bareCopy(pool: pg.Pool, lines: readonly string[], perBatch: boolean): Promise<number> {
  await pool.query('TRUNCATE etl.events');
  const texts: string[] = [];
  const size = perBatch ? BATCH : lines.length;
  for (let i = 0; i < lines.length; i += size) texts.push(`${lines.slice(i, i + size).join('\n')}\n`);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: perBatch ? CLIENTS : 1 }, async () => {
      const client = await pool.connect();
      try {
        while (next < texts.length) await copy(client, texts[next++]!);
      } finally {
        client.release();
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

/** One shape: warm-up, the measured load, the stored rows again by bare COPY; prints both and the ratios. */
async function measure(shape: BodyShape, collectUrl: string, pool: pg.Pool): Promise<boolean> {
  const now = Date.now();
  const prefix = randomBytes(4).toString('hex');
  const bodies = Array.from({ length: REQUESTS }, (_, b) => shape.body(batchOf(prefix, b, now)));
  const warmup = Array.from({ length: WARMUP }, (_, b) => shape.body(batchOf(`warm-${prefix}`, b, now)));
  await load(collectUrl, warmup, shape.headers);
  await pool.query('TRUNCATE etl.events');
  const run = await load(collectUrl, bodies, shape.headers);
  const lines = await takeRows(pool);
  const stored = lines.length;
  const collectorRate = run.acknowledged / run.seconds;
  const p99 = percentile(run.latencies, 0.99);
  const bytes = bodies.reduce((sum, b) => sum + b.byteLength, 0);
  console.log(JSON.stringify({
    scenario: `etl collect, ${shape.name}, batches of ${BATCH}`, requests: REQUESTS, clients: CLIENTS, acknowledged: run.acknowledged, failed: run.failed, stored,
    bodyBytes: Math.round(bytes / REQUESTS), seconds: round(run.seconds, 3), eventsPerSecond: Math.round(collectorRate), p50Ms: round(percentile(run.latencies, 0.5)), p99Ms: round(p99),
  }));
  // The baseline: the rows the collector stored, straight to PostgreSQL by COPY, in the same batches from as many
  // connections (what the clients would do without a collector); one COPY of every row is the upper bound.
  const perBatch = lines.length / (await bareCopy(pool, lines, true));
  const oneCopy = lines.length / (await bareCopy(pool, lines, false));
  await pool.query('TRUNCATE etl.events');
  console.log(JSON.stringify({ scenario: `bare COPY of those rows, one per batch of ${BATCH} from ${CLIENTS} connections`, rowsPerSecond: Math.round(perBatch) }));
  console.log(JSON.stringify({ scenario: 'bare COPY of those rows, one statement', rowsPerSecond: Math.round(oneCopy) }));
  const ratio = collectorRate / perBatch;
  console.log(JSON.stringify({
    shape: shape.name, ratioToCopyOfTheSameBatches: round(ratio), ratioToOneCopyOfEverything: round(collectorRate / oneCopy),
    targets: { 'ratio >= 0.5': ratio >= 0.5, 'one COPY ratio >= 0.5': collectorRate / oneCopy >= 0.5, 'p99 <= 50 ms': p99 <= 50, 'rows in the table = rows acknowledged': stored === run.acknowledged },
  }));
  if (stored === run.acknowledged && run.failed === 0) return true;
  console.error(`${shape.name}: rows in the table (${stored}) differ from the events acknowledged (${run.acknowledged}), or requests failed (${run.failed})`);
  return false;
}

async function main(): Promise<void> {
  const bench = await createBenchDatabase('etl_bench_collector', CLIENTS);
  const scratch = mkdtempSync(join(tmpdir(), 'etl-bench-collector-'));
  let ok = true;
  try {
    const configFile = join(scratch, 'etl.config.json');
    const flushDelay = process.env.BENCH_FLUSH_DELAY; // e.g. '2ms' (default: the collector's)
    writeFileSync(configFile, JSON.stringify({ collector: { port: 0, writeKeys: [{ name: 'bench', key: '${BENCH_KEY}' }], ...(flushDelay ? { flushDelay } : {}) } }));
    const collect = await startCollect(configFile, bench.url, scratch);
    try {
      for (const shape of [OWN_SHAPE, SEGMENT_SHAPE, SEGMENT_GZIP_SHAPE]) ok = (await measure(shape, collect.url, bench.pool)) && ok;
    } finally {
      await collect.stop();
    }
  } finally {
    await bench.drop();
    rmSync(scratch, { recursive: true, force: true });
  }
  if (!ok) process.exit(1);
}

await main();
