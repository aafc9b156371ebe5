// bench:checks: 1,000 metrics with a year of hourly and daily values (PostgreSQL). Two measures, each next to
// the same judgement's bare SQL run directly in the same run (the statements of checks/evaluate.ts
// judgeStatements through db.query, nothing written):
// - after a run: every check over the last day's buckets, as the after-run hook does (judged, upserted into
//   check_result, the latest state read before and after for the alerts); check_result emptied before each;
// - back-test: one month judged without storing (checks/evaluate.ts judgeOnly, as `etl checks` does).
// Targets: each <= 1.5x its bare SQL; the after-run evaluation <= 2 s.
import { loadavg, cpus, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Check, CheckType } from '../checks/check.js';
import { evaluateChecks, judgeOnly, judgeStatements, type JudgeRequest } from '../checks/evaluate.js';
import { datesScope, type CheckScope } from '../checks/scope.js';
import { HOUR_MS, nextDate, toDateHour } from '../metrics/time.js';
import type { MetricsDb } from '../writers/metrics-db.js';
import { migrate } from '../writers/migrate.js';
import { openMetricsDb } from '../writers/open-metrics-db.js';
import { createBenchDatabase } from './bench-database.js';

const METRICS = Number(process.env.BENCH_CHECK_METRICS ?? 1000);
const DAYS = Number(process.env.BENCH_CHECK_DAYS ?? 365);
const ITERATIONS = Number(process.env.BENCH_CHECK_ITERATIONS ?? 5);
const BACKTEST_DAYS = 30;
const TARGET_RATIO = 1.5;
const TARGET_AFTER_RUN_MS = 2000;
/** What the after-run hook and the back-test judge (freshness is the checks job's, at the current time). */
const TYPES: CheckType[] = ['anomaly', 'range', 'change', 'missing'];

const CHECKS: Check[] = [
  { name: 'anomaly', metric: 'app.*', grain: 'hourly', severity: 'fail', type: 'anomaly', historyDays: 28, threshold: 3, minHistory: 3, direction: 'both', minChange: 0.1 },
  { name: 'anomaly-daily', metric: 'app.*', grain: 'daily', severity: 'fail', type: 'anomaly', historyDays: 28, threshold: 3, minHistory: 3, direction: 'both', minChange: 0.1 },
  { name: 'range', metric: 'app.*', grain: 'hourly', severity: 'fail', type: 'range', min: 0 },
  { name: 'change', metric: 'app.*', grain: 'daily', severity: 'warn', type: 'change', maxDrop: 0.5 },
  { name: 'missing', metric: 'app.*', grain: 'hourly', severity: 'fail', type: 'missing', graceMs: HOUR_MS },
];

/** A daily pattern with hashed noise; every 100th metric drops to a tenth in the last full hour (a planted failure). */
async function fill(db: MetricsDb): Promise<number> {
  const started = performance.now();
  await migrate(db);
  await db.query(`INSERT INTO etl.metric (id, name, kind) SELECT i, format('app.g%s.m%s.count', lpad((i % 40)::text, 2, '0'), lpad(i::text, 4, '0')), 'counter' FROM generate_series(1, $1::int) i`, [METRICS]);
  const last = `date_trunc('hour', now() AT TIME ZONE 'UTC') - interval '1 hour'`;
  for (let from = 1; from <= METRICS; from += 100) {
    const to = Math.min(METRICS, from + 99);
    await db.query(
      `INSERT INTO etl.hourly_value (metric_id, date, hour, value)
       SELECT m, t::date, extract(hour FROM t)::int,
              round((100 + 60 * sin(pi() * extract(hour FROM t) / 12) + (m * 7919 + extract(epoch FROM t)::bigint / 3600) % 17)
                    * CASE WHEN m % 100 = 0 AND t = ${last} THEN 0.1 ELSE 1 END)
         FROM generate_series(${last} - ($3::int * 24 - 1) * interval '1 hour', ${last}, interval '1 hour') t, generate_series($1::int, $2::int) m
        ORDER BY t, m`,
      [from, to, DAYS],
    );
    process.stderr.write(`bench:checks: ${to} metrics filled in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  await db.query(`INSERT INTO etl.daily_value (metric_id, date, value) SELECT metric_id, date, sum(value) FROM etl.hourly_value GROUP BY metric_id, date ORDER BY date, metric_id`);
  await db.query('VACUUM (ANALYZE)');
  return Math.round((performance.now() - started) / 100) / 10;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length / 2)]! * 10) / 10;
};

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** The judgement's statements run directly, results read and dropped (only the buckets not passing with `failing`, as judgeOnly reads). */
async function bare(db: MetricsDb, request: JudgeRequest, failing = false): Promise<void> {
  for (const s of judgeStatements(db, request)) await db.query(failing ? `SELECT * FROM (${s.text}) j WHERE status <> 'pass'` : s.text, s.params);
}

/** BENCH_CHECK_EXPLAIN=1: each after-run judgement statement's EXPLAIN ANALYZE on stderr (where the time goes). */
async function explain(db: MetricsDb, request: JudgeRequest): Promise<void> {
  for (const s of judgeStatements(db, request)) {
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, s.params);
    process.stderr.write(`bench:checks statement ${s.text.slice(0, 60).replace(/\s+/g, ' ')}...\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
  }
}

/** Medians of `measured` and `baseline`, alternated ITERATIONS times (after one warm-up each), and their ratio. */
async function compare(measured: () => Promise<unknown>, baseline: () => Promise<unknown>, before: () => Promise<unknown> = async () => undefined) {
  const ms: number[] = [];
  const base: number[] = [];
  await before();
  await measured();
  await baseline();
  for (let i = 0; i < ITERATIONS; i++) {
    await before();
    ms.push(await timed(measured));
    base.push(await timed(baseline));
  }
  const m = median(ms);
  const b = median(base);
  return { ms: m, bareSqlMs: b, ratio: Math.round((m / Math.max(0.1, b)) * 100) / 100 };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'etl-bench-checks-'));
  const bench = await createBenchDatabase('etl_bench_checks');
  const db = await openMetricsDb({ databaseUrl: bench.url, dataDir, timeZone: 'UTC' });
  try {
    const fillSeconds = await fill(db);
    const hourly = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM etl.hourly_value')).rows[0]!.n);
    const now = Date.now();
    const thisHour = now - (now % HOUR_MS);
    const today = toDateHour(now, 'UTC').date;
    const lastDay: CheckScope = { hours: { from: thisHour - 24 * HOUR_MS, to: thisHour }, days: { from: nextDate(today, -1), to: today } };
    const afterRunRequest: JudgeRequest = { checks: CHECKS, scope: lastDay, now, types: TYPES };
    if (process.env.BENCH_CHECK_EXPLAIN === '1') await explain(db, afterRunRequest);
    let judged = 0;
    const afterRun = await compare(
      async () => {
        const e = await evaluateChecks(db, afterRunRequest);
        judged = e.counts.pass + e.counts.warn + e.counts.fail;
      },
      () => bare(db, afterRunRequest),
      () => db.query('TRUNCATE etl.check_result'),
    );
    const monthRequest: JudgeRequest = { checks: CHECKS, scope: datesScope(nextDate(today, -BACKTEST_DAYS), nextDate(today, -1), 'UTC'), now, types: TYPES };
    let found = 0;
    const backTest = await compare(async () => { found = (await judgeOnly(db, monthRequest)).length; }, () => bare(db, monthRequest, true));
    const met = { afterRunRatio: afterRun.ratio <= TARGET_RATIO, backTestRatio: backTest.ratio <= TARGET_RATIO, afterRunMs: afterRun.ms <= TARGET_AFTER_RUN_MS };
    const all = met.afterRunRatio && met.backTestRatio && met.afterRunMs;
    console.log(JSON.stringify({
      bench: 'checks',
      rows: { metrics: METRICS, days: DAYS, hourly },
      checks: CHECKS.map((c) => `${c.name} (${c.type}, ${c.grain})`),
      iterations: ITERATIONS,
      fillSeconds,
      afterRun: { ...afterRun, bucketsJudged: judged, note: 'judged + upserted into an emptied check_result + latest state read before and after' },
      backTest: { ...backTest, days: BACKTEST_DAYS, notPassing: found },
      baseline: "the judgement statements (judgeStatements) run directly through db.query in the same run, same N, median (the back-test's keeping the buckets not passing, as judgeOnly does)",
      load: { loadavg1: Math.round(loadavg()[0]! * 100) / 100, cores: cpus().length },
      targets: { [`afterRun <= ${TARGET_RATIO}x bare SQL`]: met.afterRunRatio, [`backTest <= ${TARGET_RATIO}x bare SQL`]: met.backTestRatio, [`afterRun <= ${TARGET_AFTER_RUN_MS} ms`]: met.afterRunMs },
      met: all,
    }));
    process.exitCode = all ? 0 : 1;
  } finally {
    await db.close();
    await bench.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
