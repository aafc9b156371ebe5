// Backfill benchmark: the events job over a month of 10M events (bench:events' data) as 31 day partitions
// (`etl backfill events --concurrency 2`) against one `etl read events --write` over the same month, both
// the real CLI as a child process writing into empty metrics tables, timed in the same run; peak RSS of
// each (GNU time); and the per-partition overhead: the same backfill over a month with no events, less one
// read of that empty month, divided by 31. Prints one JSON line; exits 1 when a result is wrong.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createBenchDatabase } from './bench-database.js';
import { nextDate } from '../metrics/time.js';
import { FIRST, LAST, loadEvents, median, TZ } from './events-data.js';

const CLI = resolve(import.meta.dirname, '../cli/main.js');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const DAYS = 31;

interface Timed {
  readonly ms: number;
  readonly rssMb: number;
}

async function main(): Promise<void> {
  const bench = await createBenchDatabase('etl_bench_backfill', 2);
  const { url, pool } = bench;
  const scratch = mkdtempSync(join(tmpdir(), 'etl-bench-backfill-'));
  try {
    const { loadMs } = await loadEvents(pool, EVENTS);
    await pool.query('CREATE TABLE no_events (LIKE events)');
    const config = (table: string): string => {
      const file = join(scratch, `${table}.json`);
      writeFileSync(file, JSON.stringify({ timeZone: TZ, sources: { website: { url } }, readers: { events: { source: 'website', table, columns: { duration: 'duration_ms' } } } }));
      return file;
    };
    const full = config('events');
    const empty = config('no_events');
    const rssFile = join(scratch, 'rss');
    /** Runs the CLI under GNU time into empty metrics tables: wall ms and peak RSS. */
    const cli = async (configFile: string, args: string[]): Promise<Timed> => {
      await pool.query('DROP SCHEMA IF EXISTS etl CASCADE');
      const started = performance.now();
      execFileSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, process.execPath, CLI, '--config', configFile, ...args], {
        env: { ...process.env, DATABASE_URL: url, ETL_DATA_DIR: scratch },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const ms = performance.now() - started;
      return { ms, rssMb: Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 };
    };
    const read = (configFile: string): Promise<Timed> => cli(configFile, ['read', 'events', '--write', '--from', FIRST, '--to', nextDate(LAST)]);
    const backfill = (configFile: string): Promise<Timed> => cli(configFile, ['backfill', 'events', '--from', FIRST, '--to', LAST, '--concurrency', '2']);
    const written = async (): Promise<{ hours: number; days: number; values: string }> => {
      const { rows } = await pool.query<{ hours: number; days: number; values: string }>(
        `SELECT (SELECT count(DISTINCT (date, hour)) FROM etl.hourly_value)::int AS hours, (SELECT count(DISTINCT date) FROM etl.daily_value)::int AS days,
                md5((SELECT string_agg(metric_id || ' ' || date || ' ' || hour || ' ' || value, ';' ORDER BY metric_id, date, hour) FROM etl.hourly_value) ||
                    (SELECT string_agg(metric_id || ' ' || date || ' ' || value, ';' ORDER BY metric_id, date) FROM etl.daily_value)) AS values`,
      );
      return rows[0]!;
    };

    // A warm-up of each (caches, plans), then alternate.
    await read(full);
    await backfill(full);
    const reads: Timed[] = [];
    const backfills: Timed[] = [];
    let readResult = { hours: 0, days: 0, values: '' };
    let backfillResult = readResult;
    for (let run = 0; run < RUNS; run++) {
      reads.push(await read(full));
      readResult = await written();
      backfills.push(await backfill(full));
      backfillResult = await written();
    }
    const emptyReads: number[] = [];
    const emptyBackfills: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      emptyReads.push((await read(empty)).ms);
      emptyBackfills.push((await backfill(empty)).ms);
    }
    const partitions = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM etl.partition WHERE status = 'success'`);
    const readMs = Math.round(median(reads.map((r) => r.ms)));
    const backfillMs = Math.round(median(backfills.map((r) => r.ms)));
    const readRss = Math.max(...reads.map((r) => r.rssMb));
    const backfillRss = Math.max(...backfills.map((r) => r.rssMb));
    const overheadMs = (median(emptyBackfills) - median(emptyReads)) / DAYS;
    process.stdout.write(
      `${JSON.stringify({
        bench: 'backfill',
        events: EVENTS,
        window: `${FIRST}..${LAST} ${TZ}`,
        timed: `etl backfill events --from ${FIRST} --to ${LAST} --concurrency 2 (31 day partitions, one recorded run each)`,
        baseline: `etl read events --write --from ${FIRST} --to ${nextDate(LAST)} (one run), same data, same run of this benchmark`,
        runs: RUNS,
        loadMs: Math.round(loadMs),
        backfillMs,
        readMs,
        ratio: Math.round((backfillMs / readMs) * 1000) / 1000,
        backfillPeakRssMb: Math.round(backfillRss),
        readPeakRssMb: Math.round(readRss),
        rssRatio: Math.round((backfillRss / readRss) * 100) / 100,
        perPartitionOverheadMs: Math.round(overheadMs * 10) / 10,
        emptyBackfillMs: Math.round(median(emptyBackfills)),
        emptyReadMs: Math.round(median(emptyReads)),
        backfillRunsMs: backfills.map((r) => Math.round(r.ms)),
        readRunsMs: reads.map((r) => Math.round(r.ms)),
        sameValues: readResult.values === backfillResult.values,
      })}\n`,
    );
    if (readResult.hours !== 744 || readResult.days !== 31 || backfillResult.hours !== 744 || backfillResult.days !== 31) {
      throw new Error(`expected 744 local hours and 31 days written by both, got read ${readResult.hours}/${readResult.days}, backfill ${backfillResult.hours}/${backfillResult.days}`);
    }
    if (readResult.values !== backfillResult.values) throw new Error('the backfill wrote other values than the single read');
    if (partitions.rows[0]!.n !== DAYS) throw new Error(`expected ${DAYS} successful partitions, got ${partitions.rows[0]!.n}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await bench.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
