// The data of the events benchmarks (bench:events, bench:backfill): a month of raw product events, spread
// evenly with jitter, generated inside PostgreSQL (no rows through Node), October 2026 in Europe/Paris (a
// month with a DST change: a 25-hour day on the 25th).
import type pg from 'pg';
import { nextDate, startOfDay } from '../metrics/time.js';

export const TZ = 'Europe/Paris';
export const FIRST = '2026-10-01';
export const LAST = '2026-10-31';

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

/** A parameter as an SQL literal, for text run without parameters (strings and string arrays only here). */
export function literal(value: unknown): string {
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(', ')}]::text[]`;
  return `'${String(value).replaceAll("'", "''")}'`;
}

export function inline(text: string, params: readonly unknown[]): string {
  let out = text;
  for (let i = params.length; i >= 1; i--) out = out.replaceAll(`$${i}`, literal(params[i - 1]));
  return out;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Loads `count` events over the month into table `events` and analyses it; returns the month's [from, to) and the ms taken. */
export async function loadEvents(pool: pg.Pool, count: number): Promise<{ from: number; to: number; loadMs: number }> {
  const from = startOfDay(FIRST, TZ);
  const to = startOfDay(nextDate(LAST), TZ);
  const t = performance.now();
  // Multi-statement text cannot take parameters: inline the three values.
  await pool.query(inline(LOAD_SQL, [new Date(from).toISOString(), new Date(to).toISOString(), count]));
  await pool.query('VACUUM ANALYZE events'); // hint bits and statistics, so timed runs do not pay for them
  return { from, to, loadMs: performance.now() - t };
}
