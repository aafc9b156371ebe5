// bench:read-memory: peak RSS (GNU time) of the real CLI on the demo's embedded databases. The first command on a
// fresh data directory and template cache (PGlite's initdb), and on a second fresh data directory with the template
// cached; then `etl read all --json` and `etl read all --write` over ten years against the same command over one
// day (the baseline, same run), each from a copy of the same data directory. Prints one JSON line; exits 1 when a
// ten-year command peaks above 1.1x its one-day baseline or a command fails.
import { execFileSync } from 'node:child_process';
import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(import.meta.dirname, '../cli/main.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const LIMIT = 1.1;
const DAY_MS = 86_400_000;

interface Measured {
  readonly rssMb: number;
  readonly ms: number;
  readonly stdoutBytes: number;
}

/** The environment of every child: embedded databases only (no DATABASE_URL), the demo configuration. */
function childEnv(dataDir: string, cacheDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ETL_DATA_DIR: dataDir, XDG_CACHE_HOME: cacheDir };
  delete env.DATABASE_URL;
  delete env.ETL_CONFIG;
  return env;
}

/** Runs `etl <args>` under GNU time in `cwd` (no etl.config.json there: the demo), stdout to a file. */
function cli(scratch: string, dataDir: string, args: readonly string[]): Measured {
  const rssFile = join(scratch, 'rss');
  const outFile = join(scratch, 'stdout');
  const out = openSync(outFile, 'w');
  const started = performance.now();
  try {
    execFileSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, process.execPath, CLI, ...args], {
      cwd: scratch,
      env: childEnv(dataDir, join(scratch, 'cache')),
      stdio: ['ignore', out, 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } finally {
    closeSync(out);
  }
  const ms = performance.now() - started;
  const rssKb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
  return { rssMb: rssKb / 1024, ms, stdoutBytes: statSync(outFile).size };
}

/** Rows printed by the last `--json` read (a JSON array): fails when the output is not one. */
function printedRows(scratch: string): number {
  const parsed: unknown = JSON.parse(readFileSync(join(scratch, 'stdout'), 'utf8'));
  if (!Array.isArray(parsed)) throw new Error('read --json did not print a JSON array');
  return parsed.length;
}

/** The command on a copy of the seeded data directory, so every measured command starts from the same state. */
function onCopy(scratch: string, seeded: string, args: readonly string[]): Measured {
  const dataDir = join(scratch, 'data-copy');
  rmSync(dataDir, { recursive: true, force: true });
  cpSync(seeded, dataDir, { recursive: true });
  return cli(scratch, dataDir, args);
}

const round = (n: number, places = 0): number => Math.round(n * 10 ** places) / 10 ** places;
const peak = (runs: readonly Measured[]): number => Math.max(...runs.map((r) => r.rssMb));

interface Pair {
  readonly day: Measured[];
  readonly tenYears: Measured[];
  rows: { day: number; tenYears: number };
}

function measurePair(scratch: string, seeded: string, mode: '--json' | '--write', from: { day: string; tenYears: string }): Pair {
  const pair: Pair = { day: [], tenYears: [], rows: { day: 0, tenYears: 0 } };
  for (let run = 0; run < RUNS; run++) {
    pair.day.push(onCopy(scratch, seeded, ['read', 'all', mode, '--from', from.day]));
    if (mode === '--json') pair.rows.day = printedRows(scratch);
    pair.tenYears.push(onCopy(scratch, seeded, ['read', 'all', mode, '--from', from.tenYears]));
    if (mode === '--json') pair.rows.tenYears = printedRows(scratch);
  }
  return pair;
}

interface Summary {
  readonly dayPeakRssMb: number;
  readonly tenYearsPeakRssMb: number;
  readonly ratio: number;
  readonly [detail: string]: unknown;
}

function summary(pair: Pair): Summary {
  const day = peak(pair.day);
  const tenYears = peak(pair.tenYears);
  return {
    dayPeakRssMb: round(day),
    tenYearsPeakRssMb: round(tenYears),
    ratio: round(tenYears / day, 2),
    dayRunsRssMb: pair.day.map((r) => round(r.rssMb)),
    tenYearsRunsRssMb: pair.tenYears.map((r) => round(r.rssMb)),
    dayMs: pair.day.map((r) => round(r.ms)),
    tenYearsMs: pair.tenYears.map((r) => round(r.ms)),
    ...(pair.rows.day > 0 ? { rows: pair.rows, tenYearsStdoutMb: round(pair.tenYears[0]!.stdoutBytes / 2 ** 20, 1) } : {}),
  };
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'etl-bench-read-memory-'));
  try {
    mkdirSync(join(scratch, 'cache'));
    const seeded = join(scratch, 'data');
    const first = cli(scratch, seeded, ['read', 'all', '--write']);
    const cachedTemplate = cli(scratch, join(scratch, 'data-second'), ['read', 'all', '--write']);
    const now = Date.now();
    const date = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
    const from = { day: date(now - DAY_MS), tenYears: date(now - 3653 * DAY_MS) };
    const json = summary(measurePair(scratch, seeded, '--json', from));
    const write = summary(measurePair(scratch, seeded, '--write', from));
    process.stdout.write(
      `${JSON.stringify({
        bench: 'read-memory',
        runs: RUNS,
        firstCommand: { command: 'etl read all --write, fresh data directory and template cache (PGlite initdb)', peakRssMb: round(first.rssMb), ms: round(first.ms) },
        firstCommandCachedTemplate: { command: 'the same on another fresh data directory, template cached', peakRssMb: round(cachedTemplate.rssMb), ms: round(cachedTemplate.ms) },
        timed: `etl read all --json|--write --from ${from.tenYears} (ten years), demo configuration, embedded databases`,
        baseline: `the same command --from ${from.day} (one day), same run of this benchmark`,
        json,
        write,
      })}\n`,
    );
    const over = Object.entries({ '--json': json, '--write': write }).filter(([, s]) => s.ratio > LIMIT).map(([mode]) => mode);
    if (over.length > 0) throw new Error(`ten-year peak RSS above ${LIMIT}x the one-day peak for: ${over.join(', ')}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
