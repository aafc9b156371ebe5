// Engine benchmark: the engine against a hand-written loop calling the same functions, in the same process.
// Each scenario runs in its own child process so its peak RSS is its own. Prints one JSON line per scenario.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { filter, graphBuilder, map, runGraph, sink, source, type JobGraph } from '../graph/index.js';

interface Row { readonly id: number; readonly ts: number; readonly value: number }
interface Enriched extends Row { readonly doubled: number }
interface Normalized { readonly dims: { readonly date: string; readonly hour: number }; readonly metrics: Readonly<Record<string, number>>; readonly id: number }

const START = Date.UTC(2026, 0, 1);
const RUNS = 5;

function* rows(n: number): Generator<Row> {
  for (let i = 0; i < n; i++) yield { id: i, ts: START + i * 1000, value: i % 100 };
}
const addField = (r: Row): Enriched => ({ id: r.id, ts: r.ts, value: r.value, doubled: r.value * 2 });
const keepEven = (r: Enriched): boolean => r.id % 2 === 0;
const toMetric = (r: Enriched): { name: string; value: number } => ({ name: 'visits', value: r.doubled });
const DATES = Array.from({ length: 400 }, (_, d) => new Date(START + d * 86_400_000).toISOString().slice(0, 10));
const normalize = (r: Row): Normalized => {
  const hours = Math.floor((r.ts - START) / 3_600_000);
  return { dims: { date: DATES[Math.floor(hours / 24) % 400]!, hour: hours % 24 }, metrics: { visits: r.value }, id: r.id };
};
const isHourly = (r: Normalized): boolean => r.id % 2 === 0;
const isDaily = (r: Normalized): boolean => r.id % 3 === 0;

type Scenario = 'linear' | 'fanout';

function engineGraph(scenario: Scenario, n: number, counts: number[]): JobGraph {
  const b = graphBuilder(scenario);
  if (scenario === 'linear') {
    b.source('read', source(() => rows(n)))
      .to('enrich', map(addField))
      .to('even', filter(keepEven))
      .to('metric', map(toMetric))
      .to('count', sink(() => void (counts[0]! += 1)));
  } else {
    const normalized = b.source('read', source(() => rows(n))).to('normalize', map(normalize));
    normalized.to('hourly-filter', filter(isHourly)).to('hourly', sink(() => void (counts[0]! += 1)));
    normalized.to('daily-filter', filter(isDaily)).to('daily', sink(() => void (counts[1]! += 1)));
  }
  return b.build();
}

function handLoop(scenario: Scenario, n: number, counts: number[]): void {
  if (scenario === 'linear') {
    for (const row of rows(n)) {
      const enriched = addField(row);
      if (!keepEven(enriched)) continue;
      toMetric(enriched);
      counts[0]! += 1;
    }
    return;
  }
  for (const row of rows(n)) {
    const normalized = normalize(row);
    if (isHourly(normalized)) counts[0]! += 1;
    if (isDaily(normalized)) counts[1]! += 1;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function child(scenario: Scenario, n: number): Promise<void> {
  const engine: number[] = [];
  const baseline: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const handCounts = [0, 0];
    let t = performance.now();
    handLoop(scenario, n, handCounts);
    baseline.push(n / ((performance.now() - t) / 1000));

    const counts = [0, 0];
    t = performance.now();
    const result = await runGraph(engineGraph(scenario, n, counts));
    engine.push(n / ((performance.now() - t) / 1000));
    if (result.status !== 'succeeded' || counts[0] !== handCounts[0] || counts[1] !== handCounts[1]) {
      throw new Error(`engine disagrees with the hand loop: ${JSON.stringify({ status: result.status, counts, handCounts })}`);
    }
  }
  const rowsPerSec = Math.round(median(engine));
  const baselineRowsPerSec = Math.round(median(baseline));
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const ratio = Math.round((rowsPerSec / baselineRowsPerSec) * 1000) / 1000;
  console.log(JSON.stringify({ scenario, rows: n, rowsPerSec, baselineRowsPerSec, ratio, peakRssMb }));
}

function parent(): void {
  const self = fileURLToPath(import.meta.url);
  const plan: Array<[Scenario, number]> = [['linear', 5_000_000], ['fanout', 5_000_000], ['linear', 500_000]];
  for (const [scenario, n] of plan) {
    const out = execFileSync(process.execPath, [self, scenario, String(n)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    process.stdout.write(out);
  }
}

const [scenarioArg, rowsArg] = process.argv.slice(2);
if (scenarioArg === undefined) parent();
else await child(scenarioArg as Scenario, Number(rowsArg));
