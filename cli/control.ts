// `etl trigger` and `etl cancel` on top of runtime/control.ts (which the web UI uses too): a manual run
// nobody would take is run here; --wait follows a queued one to its end.
import { UsageError } from '../graph/errors.js';
import { cancelRunById, queueManualRun } from '../runtime/control.js';
import { FINISHED_RECORD_STATUSES, type RunRecord } from '../runs/run-store.js';
import type { CliContext } from './context.js';
import { EXIT_OK, EXIT_RUN_FAILED, EXIT_TEMPFAIL } from './exit-codes.js';
import { formatNodeLine } from './progress.js';
import { runRecorded } from './run-recorded.js';

/** Follows run `id` until it ends, printing its nodes when they change; resolves to its final record. */
export async function follow(ctx: CliContext, id: number, pollMs = 250): Promise<RunRecord> {
  const store = (await ctx.runtime().runStorage()).runs;
  let last = '';
  for (;;) {
    const record = await store.get(id);
    if (record === undefined) throw new UsageError(`run ${id} does not exist`);
    const lines = record.nodes.map((n) => formatNodeLine(n)).join('\n');
    if (lines !== last && lines !== '') ctx.stderr.write(`${lines}\n`);
    last = lines;
    if (FINISHED_RECORD_STATUSES.has(record.status)) return record;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export async function triggerJob(ctx: CliContext, job: string, options: { readonly wait: boolean }): Promise<number> {
  const queued = await queueManualRun(ctx.runtime(), job);
  if (queued.kind === 'no-runner') {
    ctx.stderr.write(`no scheduler is running: running ${job} here\n`);
    const registry = await ctx.runtime().registry();
    const { exitCode, recordId } = await runRecorded(ctx, registry.get(job)!, { params: {}, trigger: 'manual' });
    if (recordId !== undefined) ctx.stdout.write(`run ${recordId}\n`);
    return exitCode;
  }
  const id = queued.runId;
  if (queued.by === 'worker') ctx.stdout.write(`queued run ${id} of ${job} (a worker runs it; etl runs)\n`);
  else ctx.stdout.write(`queued run ${id} of ${job} (the scheduler, pid ${queued.scheduler.pid} on ${queued.scheduler.host}, runs it within a second)\n`);
  if (!options.wait) return EXIT_OK;
  const record = await follow(ctx, id);
  ctx.stderr.write(`run ${id} ${record.status}${record.error ? `: ${record.error}` : ''}\n`);
  // Skipped (the job was running where a worker took it): try again later, as `etl run --no-wait` says.
  return record.status === 'succeeded' ? EXIT_OK : record.status === 'skipped' ? EXIT_TEMPFAIL : EXIT_RUN_FAILED;
}

export async function cancelRun(ctx: CliContext, id: number): Promise<number> {
  const result = await cancelRunById(ctx.runtime(), id);
  if (result === 'unknown') throw new UsageError(`run ${id} does not exist (see \`etl runs\`)`);
  if (result === 'finished') {
    const record = await (await ctx.runtime().runStorage()).runs.get(id);
    ctx.stderr.write(`run ${id} has already ended (${record?.status})\n`);
    return EXIT_RUN_FAILED;
  }
  if (result === 'cancelled') {
    ctx.stdout.write(`run ${id} cancelled (it was queued)\n`);
    return EXIT_OK;
  }
  ctx.stdout.write(`run ${id}: cancel requested; the process running it stops it within a few seconds\n`);
  return EXIT_OK;
}
