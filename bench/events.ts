// Events benchmark: the events reader over a month of 10M raw events, through the engine, against the
// same aggregate SQL run directly with psql. Creates its own database on the local server and drops it.
// Prints one JSON line: both times (median of the runs), the ratio, and what was timed.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { graphBuilder } from '../graph/builder.js';
import { runGraph } from '../graph/executor.js';
import { sink } from '../graph/node.js';
import type { MetricRow } from '../metrics/row.js';
import { nextDate, startOfDay } from '../metrics/time.js';
import { backfillWindow } from '../metrics/window.js';
import { eventsRanges, eventsReader, eventsSql, type EventsReaderOptions } from '../readers/events.js';

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

    const viaEngine = async (): Promise<{ ms: number; rows: number; hourly: number; daily: number }> => {
      let rows = 0;
      let hourly = 0;
      let daily = 0;
      const b = graphBuilder('bench-events');
      b.source('events', eventsReader(options)).to(
        'count',
        sink((row: MetricRow) => {
          rows += 1;
          if (row.dims.hour === undefined) daily += 1;
          else hourly += 1;
        }),
      );
      const started = performance.now();
      const run = await runGraph(b.build(), { services: { website: pool } });
      const ms = performance.now() - started;
      if (run.status !== 'succeeded') throw new Error(run.error ?? run.status);
      return { ms, rows, hourly, daily };
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
        timed: 'events reader -> counting sink through graphBuilder + runGraph (writers/ not available yet: read path only)',
        baseline: 'the same two aggregate statements (daily, hourly) run with psql -c, output discarded',
        metricRows: last.rows,
        hourlyRows: last.hourly,
        dailyRows: last.daily,
        runs: RUNS,
        loadMs: Math.round(loadMs),
        readerMs,
        psqlMs,
        ratio: Math.round((readerMs / psqlMs) * 1000) / 1000,
        readerRunsMs: engine.map(Math.round),
        psqlRunsMs: psql.map(Math.round),
      })}\n`,
    );
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
