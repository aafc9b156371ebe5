// Events benchmark: `etl read events --write` over a month of 10M raw events (the real CLI, a child
// process, writing into the metrics tables) against the same aggregate SQL run directly with psql.
// Creates its own database on the local server and drops it. Prints one JSON line: both times (median
// of the runs), the ratio, and what was timed.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { nextDate, startOfDay } from '../metrics/time.js';
import { backfillWindow } from '../metrics/window.js';
import { eventsRanges, eventsSql, type EventsReaderOptions } from '../readers/events.js';

const CLI = resolve(import.meta.dirname, '../cli/main.js');

const SERVER = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TZ = 'Europe/Paris';
const FIRST = '2026-10-01';
const LAST = '2026-10-31'; // a month with a DST change (25-hour day on the 25th)

/** A month of events, spread evenly with jitter, generated inside PostgreSQL (no rows through Node). */
const LOAD_SQL = `
CREATE TABLE events (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, event text NOT NULL, user_id int, duration_ms int);
INSERT INTO events
SELECT i,
       $1::timestamptz + ($2::timestamptz - $1::timestamptz) * ((i - 1 + ((i * 2654435761) % 1000) / 1000.0) / $3::float8),
       CASE WHEN k < 55 THEN 'page_view' WHEN k < 73 THEN 'search' WHEN k < 88 THEN 'api_call' WHEN k < 93 THEN 'export' WHEN k < 98 THEN 'login' ELSE 'signup' END,
       CASE WHEN k < 11 THEN NULL ELSE 1 + (i * 48271 % 2147483647) % 200000 END,
       CASE WHEN k >= 55 AND k < 93 THEN 5 + (i * 69621 % 2147483647) % 3000 END
FROM (SELECT i, (i * 7919 % 100)::int AS k FROM generate_series(1, $3::bigint) AS i) s;
CREATE INDEX events_created_at ON events (created_at);`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A parameter as an SQL literal, for the psql baseline (strings and string arrays only here). */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(', ')}]::text[]`;
  return `'${String(value).replaceAll("'", "''")}'`;
}

function inline(text: string, params: readonly unknown[]): string {
  let out = text;
  for (let i = params.length; i >= 1; i--) out = out.replaceAll(`$${i}`, literal(params[i - 1]));
  return out;
}

async function main(): Promise<void> {
  const name = `etl_bench_events_${randomBytes(4).toString('hex')}`;
  const url = `${SERVER}/${name}`;
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const scratch = mkdtempSync(join(tmpdir(), 'etl-bench-events-'));
  pool.on('error', () => {}); // idle clients killed by the final DROP ... WITH (FORCE)
  try {
    const from = startOfDay(FIRST, TZ);
    const to = startOfDay(nextDate(LAST), TZ);
    let t = performance.now();
    // Multi-statement text cannot take parameters: inline the three values.
    await pool.query(inline(LOAD_SQL, [new Date(from).toISOString(), new Date(to).toISOString(), EVENTS]));
    await pool.query('VACUUM ANALYZE events'); // hint bits and statistics, so timed runs do not pay for them
    const loadMs = performance.now() - t;

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
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
