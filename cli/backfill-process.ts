// `etl backfill` and `etl partitions`: the read job for a name, its day or hour partitions, the progress
// line. With Redis the partition runs go to the workers (`--wait` follows them); else they run here.
import { setTimeout as sleep } from 'node:timers/promises';
import { backfillRange } from '../runtime/backfill-range.js';
import { partitionedJob } from '../runtime/partitioned-job.js';
import { partitionCalendar, queueBackfill } from '../runtime/partitions.js';
import { queueOptionsFor } from '../runtime/queue.js';
import { optionalAfterRun } from '../runtime/execute.js';
import { runBackfill, type BackfillProgress, type PartitionResult } from '../execution/backfill.js';
import { PartitionStore, type PartitionState } from '../runs/partition-store.js';
import { partitionsOf, type PartitionGrain } from '../runs/partitions.js';
import { FINISHED_RECORD_STATUSES } from '../runs/run-store.js';
import type { CliContext } from './context.js';
import { didYouMean } from './did-you-mean.js';
import { EXIT_OK, EXIT_RUN_FAILED } from './exit-codes.js';
import { cancelOnSignals, SIGNAL_EXIT_CODES } from './signals.js';

export interface RangeOptions {
  readonly from?: string;
  readonly to?: string;
}

export interface BackfillCommandOptions extends RangeOptions {
  readonly only?: 'failed' | 'missing';
  readonly concurrency: number;
  readonly grain: PartitionGrain;
  readonly wait?: boolean;
}

function progressLine(name: string, started: number): (p: BackfillProgress) => string {
  return (p) => {
    const seconds = (Date.now() - started) / 1000;
    const rate = p.done / Math.max(0.001, seconds);
    const eta = rate > 0 ? Math.ceil((p.total - p.done) / rate) : 0;
    return `backfill ${name}: ${p.done}/${p.total} done, ${p.failed} failed, ${p.running} running, ${rate.toFixed(1)}/s, ETA ${eta}s`;
  };
}

/** The progress line: rewritten in place on a TTY, printed once at the end otherwise. */
function progressWriter(ctx: CliContext, name: string): { update: (p: BackfillProgress) => void; end: () => void } {
  const line = progressLine(name, Date.now());
  const tty = ctx.stderr.isTTY === true;
  let last = '';
  return {
    update: (p) => {
      last = line(p);
      if (tty) ctx.stderr.write(`\r\x1b[2K${last}`);
    },
    end: () => void ctx.stderr.write(tty ? '\n' : `${last}\n`),
  };
}

function summarise(ctx: CliContext, name: string, range: { from: string; to: string }, results: readonly PartitionResult[], skippedReason: string | undefined): number {
  const failed = results.filter((r) => r.status === 'failed');
  const skipped = results.filter((r) => r.status === 'skipped');
  const ok = results.filter((r) => r.status === 'success');
  const cancelled = results.filter((r) => r.status === 'cancelled');
  ctx.stdout.write(
    `backfill ${name} ${range.from}..${range.to}: ${ok.length} success, ${failed.length} failed, ${skipped.length} skipped${cancelled.length > 0 ? `, ${cancelled.length} cancelled` : ''} (of ${results.length})\n`,
  );
  if (skippedReason !== undefined) ctx.stderr.write(`skipped: ${skippedReason}\n`);
  for (const f of failed) ctx.stderr.write(`failed ${f.partition.key}${f.runId === undefined ? '' : ` (run ${f.runId})`}: ${(f.error ?? '').split('\n')[0]}\n`);
  return failed.length > 0 ? EXIT_RUN_FAILED : EXIT_OK;
}

export async function backfillCommand(ctx: CliContext, name: string, options: BackfillCommandOptions): Promise<number> {
  const config = ctx.runtime().config;
  const { job, skippedReason } = partitionedJob(config, await ctx.runtime().readers(), name, didYouMean);
  const range = backfillRange(config.timeZone, options, 7, Date.now());
  if (queueOptionsFor(config) !== undefined) return queuedBackfill(ctx, name, range, options);
  const partitions = partitionsOf(options.grain, range.from, range.to, config.timeZone).filter((p) => p.start < Date.now());
  const { runs } = await ctx.runtime().runStorage();
  const parts = new PartitionStore(await ctx.runtime().metricsDb());
  const progress = progressWriter(ctx, name);
  const signals = cancelOnSignals(ctx.stderr);
  try {
    const results = await runBackfill({
      job,
      partitions,
      timeZone: config.timeZone,
      runs,
      parts,
      services: await ctx.runtime().services(),
      concurrency: options.concurrency,
      ...(options.only === undefined ? {} : { only: [options.only] }),
      ...(skippedReason === undefined ? {} : { skippedReason }),
      signal: signals.signal,
      onProgress: progress.update,
      ...optionalAfterRun(ctx.runtime()),
    });
    progress.end();
    const code = summarise(ctx, name, range, results, skippedReason);
    const signal = signals.received();
    return signal === undefined ? code : SIGNAL_EXIT_CODES[signal];
  } finally {
    signals.dispose();
  }
}

/** With Redis: one queued run per partition for the workers; `--wait` follows them (Ctrl-C cancels the rest). */
async function queuedBackfill(ctx: CliContext, name: string, range: { from: string; to: string }, options: BackfillCommandOptions): Promise<number> {
  const runtime = ctx.runtime();
  const queued = await queueBackfill(runtime, name, { ...range, grain: options.grain, ...(options.only === undefined ? {} : { only: options.only }) });
  if (queued.kind !== 'queued') {
    ctx.stdout.write(`backfill ${name} ${range.from}..${range.to}: ${queued.kind === 'nothing' ? queued.reason : 'nobody runs jobs'}\n`);
    return EXIT_OK;
  }
  ctx.stdout.write(`backfill ${name} ${range.from}..${range.to}: ${queued.runIds.length} partition runs queued for the workers (runs ${queued.runIds[0]}..${queued.runIds[queued.runIds.length - 1]})\n`);
  if (options.wait !== true) {
    ctx.stdout.write(`follow them with: etl partitions ${name} --from ${range.from} --to ${range.to}\n`);
    return EXIT_OK;
  }
  const store = (await runtime.runStorage()).runs;
  const progress = progressWriter(ctx, name);
  const signals = cancelOnSignals(ctx.stderr);
  const { cancelRunById } = await import('../runtime/control.js');
  try {
    // The runs' records in one read per poll: the job's runs up to the last id, as many as were queued.
    const ids = new Set(queued.runIds);
    const last = Math.max(...queued.runIds);
    const first = Math.min(...queued.runIds);
    for (;;) {
      const listed = new Map((await store.list({ job: name, beforeId: last + 1, limit: last - first + 1 })).filter((r) => ids.has(r.id)).map((r) => [r.id, r]));
      const records = queued.runIds.map((id) => listed.get(id));
      const done = records.filter((r) => r !== undefined && FINISHED_RECORD_STATUSES.has(r.status));
      progress.update({ total: records.length, done: done.length, failed: done.filter((r) => r!.status === 'failed').length, running: records.filter((r) => r?.status === 'running').length });
      if (done.length === records.length || signals.signal.aborted) {
        if (signals.signal.aborted) for (const r of records) if (r !== undefined && !FINISHED_RECORD_STATUSES.has(r.status)) await cancelRunById(runtime, r.id);
        progress.end();
        const results: PartitionResult[] = records.map((r, i) => ({
          partition: { grain: options.grain, key: (r?.partitionKey ?? '').replace(/^(day|hour):/, ''), start: r?.scheduledFor ?? 0, end: r?.scheduledFor ?? 0 },
          status: r?.status === 'succeeded' ? 'success' : r?.status === 'failed' ? 'failed' : r?.status === 'skipped' ? 'skipped' : 'cancelled',
          runId: queued.runIds[i],
          error: r?.error ?? null,
        }));
        const code = summarise(ctx, name, range, results, undefined);
        const signal = signals.received();
        return signal === undefined ? code : SIGNAL_EXIT_CODES[signal];
      }
      await sleep(500);
    }
  } finally {
    signals.dispose();
  }
}

const LETTERS: Readonly<Record<PartitionState['status'], string>> = { missing: '.', queued: 'q', running: 'r', success: 'S', failed: 'F', skipped: '-' };
const COLOURS: Readonly<Record<PartitionState['status'], string>> = { missing: '90', queued: '36', running: '34', success: '32', failed: '31', skipped: '33' };

export async function partitionsCommand(ctx: CliContext, name: string, options: RangeOptions & { readonly json?: boolean }): Promise<number> {
  partitionedJob(ctx.runtime().config, await ctx.runtime().readers(), name, didYouMean);
  backfillRange(ctx.runtime().config.timeZone, options, 20, Date.now());
  const calendar = await partitionCalendar(ctx.runtime(), name, options);
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify(calendar)}\n`);
    return EXIT_OK;
  }
  const tty = ctx.stdout.isTTY === true;
  const mark = (s: PartitionState): string => (tty ? `\x1b[${COLOURS[s.status]}m${LETTERS[s.status]}\x1b[0m` : LETTERS[s.status]);
  ctx.stdout.write(`${name} (${calendar.timeZone}): one row per day, one cell per hour (${Object.entries(LETTERS).map(([s, l]) => `${l} ${s}`).join(', ')})\n`);
  for (const { date, day, hours } of calendar.days) {
    const why = day.reason ? `  ${day.reason.slice(0, 80)}` : '';
    ctx.stdout.write(`${date}  ${hours.map(mark).join('')}${' '.repeat(Math.max(0, 25 - hours.length))}  ${day.status.padEnd(7)}${day.runId === null ? '' : `  run ${day.runId}`}${why}\n`);
  }
  const c = calendar.counts;
  ctx.stdout.write(`${name}: ${c.success} success, ${c.failed} failed, ${c.missing} missing, ${c.skipped} skipped${c.queued + c.running > 0 ? `, ${c.queued} queued, ${c.running} running` : ''} (days ${calendar.from} to ${calendar.to})\n`);
  return EXIT_OK;
}
