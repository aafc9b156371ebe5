// Collector benchmark: a bounded load on loopback (a fixed number of requests of 50 events from a few concurrent
// clients with keep-alive connections) against the real `etl collect` (a child process) on PostgreSQL; then the
// same rows written by a bare COPY in the same run, as the baseline: one COPY per batch of 50 from as many
// connections as clients (the same batches straight to the table), and one COPY of everything (the upper bound). Prints one JSON line per scenario and the ratios; exits 1 when the rows in
// the table differ from the events acknowledged. Creates its own database on the local server and drops it.
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
import { EVENTS_COLUMNS } from '../writers/migrations.js';

const CLI = resolve(import.meta.dirname, '../cli/main.js');
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const BATCH = 50;
const KEY = `bench-${randomBytes(8).toString('hex')}`;
/** A directory: the collector process is profiled (node --cpu-prof), its .cpuprofile written there. */
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;
const EVENT_NAMES = ['pageview', 'link_click', 'form_submit', 'signup', 'search'];

interface BenchEvent {
  readonly event: string;
  readonly messageId: string;
  readonly userId: string;
  readonly anonymousId: string;
  readonly time: string;
  readonly properties: Record<string, string | number>;
}

/** The `b`-th batch of 50 events (deterministic apart from the run's prefix). */
function batchOf(prefix: string, b: number, now: number): BenchEvent[] {
  return Array.from({ length: BATCH }, (_, i) => {
    const n = b * BATCH + i;
    return {
      event: EVENT_NAMES[n % EVENT_NAMES.length]!,
      messageId: `${prefix}-${n}`,
      userId: `user-${n % 1000}`,
      anonymousId: `anon-${n % 5000}`,
      time: new Date(now - (n % 3_600) * 1_000).toISOString(),
      properties: { path: `/p/${n % 200}`, plan: n % 3 === 0 ? 'pro' : 'free', campaign: `c${n % 7}`, n },
    };
  });
}

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
function postBatch(agent: Agent, url: URL, body: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'X-Write-Key': KEY, 'Content-Length': Buffer.byteLength(body) }, timeout: 10_000 },
      (res) => {
        res.resume();
        res.once('end', () => done({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.once('timeout', () => req.destroy(new Error('request timed out')));
    req.once('error', fail);
    req.end(body);
  });
}

/** `total` batches from `CLIENTS` clients, each sending its next batch when the previous is answered. */
async function load(endpoint: string, bodies: readonly string[]): Promise<{ seconds: number; latencies: number[]; acknowledged: number; failed: number }> {
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
        const body = bodies[next++]!;
        const { status, ms } = await postBatch(agent, url, body);
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

/** COPY text format of events as the collector stores them. */
function copyText(events: readonly BenchEvent[], receivedAt: string): string {
  const esc = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
  return events
    .map((e) => [e.messageId, e.time, e.event, e.userId, e.anonymousId, '\\N', esc(JSON.stringify(e.properties)), 'bench', receivedAt].join('\t'))
    .join('\n')
    .concat('\n');
}

async function copy(client: pg.PoolClient, text: string): Promise<void> {
  const stream = client.query(copyStreams.from(`COPY etl.events (${EVENTS_COLUMNS.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from([text]), stream);
}

/** The same rows by bare COPY: one COPY of everything, or one per batch of 50 from CLIENTS connections. */
async function bareCopy(pool: pg.Pool, batches: readonly BenchEvent[][], perBatch: boolean): Promise<number> {
  await pool.query('TRUNCATE etl.events');
  const receivedAt = new Date().toISOString();
  const texts = perBatch ? batches.map((b) => copyText(b, receivedAt)) : [copyText(batches.flat(), receivedAt)];
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

async function main(): Promise<void> {
  const bench = await createBenchDatabase('etl_bench_collector', CLIENTS);
  const { url, pool } = bench;
  const scratch = mkdtempSync(join(tmpdir(), 'etl-bench-collector-'));
  let ok = true;
  try {
    const configFile = join(scratch, 'etl.config.json');
    const flushDelay = process.env.BENCH_FLUSH_DELAY; // e.g. '2ms' (default: the collector's)
    writeFileSync(configFile, JSON.stringify({ collector: { port: 0, writeKeys: [{ name: 'bench', key: '${BENCH_KEY}' }], ...(flushDelay ? { flushDelay } : {}) } }));
    const now = Date.now();
    const prefix = randomBytes(4).toString('hex');
    const batches = Array.from({ length: REQUESTS }, (_, b) => batchOf(prefix, b, now));
    const bodies = batches.map((b) => JSON.stringify(b));
    const warmup = Array.from({ length: WARMUP }, (_, b) => JSON.stringify(batchOf(`warm-${prefix}`, b, now)));

    const collect = await startCollect(configFile, url, scratch);
    let run: Awaited<ReturnType<typeof load>>;
    try {
      await load(collect.url, warmup);
      await pool.query('TRUNCATE etl.events');
      run = await load(collect.url, bodies);
    } finally {
      await collect.stop();
    }
    const stored = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM etl.events')).rows[0]!.n);
    const events = REQUESTS * BATCH;
    const collectorRate = run.acknowledged / run.seconds;
    const p50 = percentile(run.latencies, 0.5);
    const p99 = percentile(run.latencies, 0.99);
    console.log(JSON.stringify({
      scenario: 'etl collect, batches of 50 events', requests: REQUESTS, clients: CLIENTS, events, acknowledged: run.acknowledged, failed: run.failed, stored,
      seconds: round(run.seconds, 3), eventsPerSecond: Math.round(collectorRate), p50Ms: round(p50), p99Ms: round(p99),
    }));

    const oneCopy = await bareCopy(pool, batches, false);
    const perBatch = await bareCopy(pool, batches, true);
    const copyRate = events / oneCopy;
    const batchRate = events / perBatch;
    console.log(JSON.stringify({ scenario: 'bare COPY, one statement', rows: events, seconds: round(oneCopy, 3), rowsPerSecond: Math.round(copyRate) }));
    console.log(JSON.stringify({ scenario: `bare COPY, one per batch of ${BATCH} from ${CLIENTS} connections`, rows: events, seconds: round(perBatch, 3), rowsPerSecond: Math.round(batchRate) }));
    // The baseline is the same batches written straight to PostgreSQL with COPY (what the clients would do
    // without a collector); one COPY of every row is the upper bound, shown too.
    const ratio = collectorRate / batchRate;
    console.log(JSON.stringify({
      ratioToCopyOfTheSameBatches: round(ratio), ratioToOneCopyOfEverything: round(collectorRate / copyRate),
      targets: { 'ratio >= 0.5': ratio >= 0.5, 'p99 <= 50 ms': p99 <= 50, 'rows in the table = rows acknowledged': stored === run.acknowledged },
    }));
    if (stored !== run.acknowledged || run.failed > 0) {
      console.error(`rows in the table (${stored}) differ from the events acknowledged (${run.acknowledged}), or requests failed (${run.failed})`);
      ok = false;
    }
  } finally {
    await bench.drop();
    rmSync(scratch, { recursive: true, force: true });
  }
  if (!ok) process.exit(1);
}

await main();
