// A writer process for the crash test: loads `rows` hourly values (plus daily ones) into DATABASE_URL's
// metrics database through the real writer nodes, then exits 0. Run from dist/ by test/writers-sigkill.test.ts.
import { graphBuilder, runGraph, source } from '../graph/index.js';
import type { MetricRow } from '../metrics/row.js';
import { dailyWriter, hourlyWriter, METRICS_DB_SERVICE, openMetricsDb } from '../writers/index.js';

const METRICS = 200;

/** Hour by hour, every metric; at the end of each day, one daily value per metric. Deterministic. */
export function* crashTestRows(n: number): Generator<MetricRow> {
  const names = Array.from({ length: METRICS }, (_, m) => `load.metric.${m}`);
  for (let i = 0; i < n; i++) {
    const slot = Math.floor(i / METRICS);
    const m = i % METRICS;
    const date = new Date(Date.UTC(2025, 0, 1) + Math.floor(slot / 24) * 86_400_000).toISOString().slice(0, 10);
    yield { dims: { date, hour: slot % 24 }, metrics: { [names[m]!]: ((slot * 7919 + m * 104_729) % 100_000) / 100 } };
    if (slot % 24 === 23 && m === METRICS - 1) {
      for (let d = 0; d < METRICS; d++) yield { dims: { date }, metrics: { [names[d]!]: slot + d } };
    }
  }
}

async function main(): Promise<void> {
  const [url, rows] = process.argv.slice(2) as [string, string];
  const db = await openMetricsDb({ databaseUrl: url, dataDir: '/nonexistent' });
  try {
    const b = graphBuilder('crash-load');
    const input = b.source('rows', source(() => crashTestRows(Number(rows))));
    input.to('hourly', hourlyWriter());
    input.to('daily', dailyWriter());
    const run = await runGraph(b.build(), { services: { [METRICS_DB_SERVICE]: db } });
    process.stdout.write(`${JSON.stringify({ status: run.status, nodes: run.nodes.map((n) => [n.name, n.in, n.out, n.err]) })}\n`);
    process.exitCode = run.status === 'succeeded' ? 0 : 1;
  } finally {
    await db.close();
  }
}

if (process.argv[1]?.endsWith('writers-load-child.js')) await main();
