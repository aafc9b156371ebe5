// Events benchmark: `etl read events --write` over a month of 10M raw events (the real CLI, a child
// process, writing into the metrics tables) against the same aggregate SQL run directly with psql.
// Creates its own database on the local server and drops it. Prints one JSON line: both times (median
// of the runs), the ratio, and what was timed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createBenchDatabase } from './bench-database.js';
import { nextDate } from '../metrics/time.js';
import { backfillWindow } from '../metrics/window.js';
import { eventsRanges, eventsSql, type EventsReaderOptions } from '../readers/events.js';
import { FIRST, inline, LAST, loadEvents, median, TZ } from './events-data.js';

const CLI = resolve(import.meta.dirname, '../cli/main.js');

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function main(): Promise<void> {
  const bench = await createBenchDatabase('etl_bench_events', 2);
  const { url, pool } = bench;
  const scratch = mkdtempSync(join(tmpdir(), 'etl-bench-events-'));
  try {
    const { from, to, loadMs } = await loadEvents(pool, EVENTS);

    const window = backfillWindow(from, to, TZ, to);
    const options: EventsReaderOptions = { window, columns: { duration: 'duration_ms' } };
    const ranges = eventsRanges(options);
    const statements = [eventsSql('day', ranges.days, TZ, options), eventsSql('hour', ranges.hours, TZ, options)].map((q) => inline(q.text, q.params));

    // The CLI reads the bench database as its source and writes into the same database (schema etl).
    const configFile = join(scratch, 'etl.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({ timeZone: TZ, sources: { website: { url } }, readers: { events: { source: 'website', table: 'events', columns: { duration: 'duration_ms' } } } }),
    );
    const viaEngine = async (): Promise<{ ms: number; rows: number; hourly: number; daily: number }> => {
      await pool.query('DROP SCHEMA IF EXISTS etl CASCADE'); // every run writes into empty tables
      const started = performance.now();
      execFileSync(process.execPath, [CLI, '--config', configFile, 'read', 'events', '--write', '--from', FIRST, '--to', nextDate(LAST)], {
        env: { ...process.env, DATABASE_URL: url, ETL_DATA_DIR: scratch },
        stdio: ['ignore', 'ignore', 'pipe'], // the run's status lines; shown by execFileSync's error if it fails
      });
      const ms = performance.now() - started;
      const counts = await pool.query<{ hourly: number; daily: number }>(
        `SELECT (SELECT count(DISTINCT (date, hour)) FROM etl.hourly_value)::int AS hourly, (SELECT count(DISTINCT date) FROM etl.daily_value)::int AS daily`,
      );
      const { hourly, daily } = counts.rows[0]!;
      return { ms, rows: hourly + daily, hourly, daily };
    };
    const viaPsql = (): number => {
      const started = performance.now();
      execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-o', '/dev/null', ...statements.flatMap((s) => ['-c', s]), url], { stdio: ['ignore', 'ignore', 'inherit'] });
      return performance.now() - started;
    };

    // One warm-up of each (caches, plans), then alternate.
    await viaEngine();
    viaPsql();
    const engine: number[] = [];
    const psql: number[] = [];
    let last = { ms: 0, rows: 0, hourly: 0, daily: 0 };
    for (let run = 0; run < RUNS; run++) {
      last = await viaEngine();
      engine.push(last.ms);
      psql.push(viaPsql());
    }
    const readerMs = Math.round(median(engine));
    const psqlMs = Math.round(median(psql));
    process.stdout.write(
      `${JSON.stringify({
        bench: 'events',
        events: EVENTS,
        window: `${FIRST}..${LAST} ${TZ}`,
        timed: 'etl read events --write --from 2026-10-01 --to 2026-11-01 (child process: start, read, write into empty metrics tables)',
        baseline: 'the same two aggregate statements (daily, hourly) run with psql -c, output discarded',
        bucketsWritten: last.rows,
        hoursWritten: last.hourly,
        daysWritten: last.daily,
        runs: RUNS,
        loadMs: Math.round(loadMs),
        readerMs,
        psqlMs,
        ratio: Math.round((readerMs / psqlMs) * 1000) / 1000,
        readerRunsMs: engine.map(Math.round),
        psqlRunsMs: psql.map(Math.round),
      })}\n`,
    );
    if (last.hourly !== 744 || last.daily !== 31) throw new Error(`expected 744 local hours (the repeated 02:00 of Oct 25 is one) and 31 days written, got ${last.hourly} and ${last.daily}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await bench.drop();
  }
}

await main();
