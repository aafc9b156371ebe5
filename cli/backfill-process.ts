// `etl backfill` and `etl partitions`: the read job for a name, its day partitions, the progress line.
import { UsageError } from '../graph/errors.js';
import type { Job, JobParams } from '../jobs/job.js';
import { isValidDate, toDateHour } from '../metrics/time.js';
import { READER_NAMES } from '../runtime/reader-names.js';
import { runBackfill, type BackfillProgress } from '../scheduler/backfill.js';
import { PartitionStore, type PartitionState } from '../scheduler/partition-store.js';
import { dayPartitions } from '../scheduler/partitions.js';
import type { CliContext } from './context.js';
import { didYouMean } from './did-you-mean.js';
import { EXIT_OK, EXIT_RUN_FAILED } from './exit-codes.js';
import { cancelOnSignals, SIGNAL_EXIT_CODES } from './signals.js';

/** Readers that read the present only: their past partitions are recorded skipped. */
const SNAPSHOT_READERS = new Set(['objects', 'spiders']);

export interface RangeOptions {
  readonly from?: string;
  readonly to?: string;
}

/** The job to backfill (`all`, or one reader's job) and whether it reads no history. */
async function partitionedJob(ctx: CliContext, name: string): Promise<{ job: Job<JobParams>; skippedReason?: string }> {
  const names = ['all', ...READER_NAMES];
  if (!names.includes(name)) throw new UsageError(`unknown read job '${name}' (${didYouMean(name, names)}partitioned jobs: ${names.join(', ')})`);
  const [{ wireReaders }, { metricsDbOutput, readJob }] = await Promise.all([import('../runtime/readers.js'), import('../jobs/read-job.js')]);
  const config = ctx.config();
  const { enabled } = wireReaders(config.file, () => undefined);
  const chosen = name === 'all' ? enabled : enabled.filter((r) => r.name === name);
  if (chosen.length === 0) throw new UsageError(`source '${name}' is not enabled in ${config.source.file}`);
  const job = readJob({ name, readers: chosen, output: metricsDbOutput(), timeZone: config.timeZone }) as unknown as Job<JobParams>;
  const snapshotOnly = chosen.every((r) => SNAPSHOT_READERS.has(r.name));
  return snapshotOnly ? { job, skippedReason: `${chosen.map((r) => r.name).join(', ')} read current values only (no history): past days cannot be read` } : { job };
}

function dates(ctx: CliContext, options: RangeOptions, defaultDays: number): { from: string; to: string } {
  const zone = ctx.config().timeZone;
  const today = toDateHour(Date.now(), zone).date;
  const check = (option: string, value: string): string => {
    if (!isValidDate(value)) throw new UsageError(`${option}: '${value}' is not a date (YYYY-MM-DD)`);
    return value;
  };
  const to = options.to === undefined ? today : check('--to', options.to);
  const from = options.from === undefined ? dayBefore(to, defaultDays) : check('--from', options.from);
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  if (from > today) throw new UsageError(`--from ${from} is in the future (today is ${today} in ${zone})`);
  return { from, to: to > today ? today : to };
}

function dayBefore(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

function progressLine(name: string, started: number): (p: BackfillProgress) => string {
  return (p) => {
    const seconds = (Date.now() - started) / 1000;
    const rate = p.done / Math.max(0.001, seconds);
    const eta = rate > 0 ? Math.ceil((p.total - p.done) / rate) : 0;
    return `backfill ${name}: ${p.done}/${p.total} done, ${p.failed} failed, ${p.running} running, ${rate.toFixed(1)}/s, ETA ${eta}s`;
  };
}

export async function backfillCommand(ctx: CliContext, name: string, options: RangeOptions & { readonly only?: 'failed' | 'missing'; readonly concurrency: number }): Promise<number> {
  const { job, skippedReason } = await partitionedJob(ctx, name);
  const range = dates(ctx, options, 7);
  const config = ctx.config();
  const partitions = dayPartitions(range.from, range.to, config.timeZone);
  const runs = await ctx.runStore();
  const parts = new PartitionStore(await ctx.openMetricsDb());
  const started = Date.now();
  const line = progressLine(name, started);
  const tty = ctx.stderr.isTTY === true;
  const signals = cancelOnSignals(ctx.stderr);
  let last = '';
  try {
    const results = await runBackfill({
      job,
      partitions,
      timeZone: config.timeZone,
      runs,
      parts,
      services: await ctx.services(),
      concurrency: options.concurrency,
      ...(options.only === undefined ? {} : { only: [options.only] }),
      ...(skippedReason === undefined ? {} : { skippedReason }),
      signal: signals.signal,
      onProgress: (p) => {
        last = line(p);
        if (tty) ctx.stderr.write(`\r\x1b[2K${last}`);
      },
    });
    ctx.stderr.write(tty ? '\n' : `${last}\n`);
    const failed = results.filter((r) => r.status === 'failed');
    const skipped = results.filter((r) => r.status === 'skipped');
    const ok = results.filter((r) => r.status === 'success');
    ctx.stdout.write(`backfill ${name} ${range.from}..${range.to}: ${ok.length} success, ${failed.length} failed, ${skipped.length} skipped (of ${results.length})\n`);
    if (skippedReason !== undefined) ctx.stderr.write(`skipped: ${skippedReason}\n`);
    for (const f of failed) ctx.stderr.write(`failed ${f.partition.key}${f.runId === undefined ? '' : ` (run ${f.runId})`}: ${(f.error ?? '').split('\n')[0]}\n`);
    const signal = signals.received();
    if (signal !== undefined) return SIGNAL_EXIT_CODES[signal];
    return failed.length > 0 ? EXIT_RUN_FAILED : EXIT_OK;
  } finally {
    signals.dispose();
  }
}

const LETTERS: Readonly<Record<PartitionState['status'], string>> = { missing: '.', queued: 'q', running: 'r', success: 'S', failed: 'F', skipped: '-' };
const COLOURS: Readonly<Record<PartitionState['status'], string>> = { missing: '90', queued: '36', running: '34', success: '32', failed: '31', skipped: '33' };

export async function partitionsCommand(ctx: CliContext, name: string, options: RangeOptions & { readonly json?: boolean }): Promise<number> {
  const { job } = await partitionedJob(ctx, name);
  const range = dates(ctx, options, 20);
  const partitions = dayPartitions(range.from, range.to, ctx.config().timeZone);
  const states = await new PartitionStore(await ctx.openMetricsDb()).states(job.name, partitions);
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify(states)}\n`);
    return EXIT_OK;
  }
  const tty = ctx.stdout.isTTY === true;
  for (const s of states) {
    const mark = tty ? `\x1b[${COLOURS[s.status]}m${LETTERS[s.status]}\x1b[0m` : LETTERS[s.status];
    ctx.stdout.write(`${s.key}  ${mark}  ${s.status.padEnd(7)}${s.runId === null ? '' : `  run ${s.runId}`}${s.reason ? `  ${s.reason.slice(0, 80)}` : ''}\n`);
  }
  const count = (status: PartitionState['status']): number => states.filter((s) => s.status === status).length;
  ctx.stdout.write(`${name}: ${count('success')} success, ${count('failed')} failed, ${count('missing')} missing, ${count('skipped')} skipped (${LETTERS.success} success, ${LETTERS.failed} failed, ${LETTERS.missing} missing, ${LETTERS.skipped} skipped)\n`);
  return EXIT_OK;
}
