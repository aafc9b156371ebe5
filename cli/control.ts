// What trigger and cancel do (shared by the CLI and the web UI): a manual run is recorded queued, then
// handed to the BullMQ queue, or left for the embedded scheduler that is running, or run here when none is.
import { UsageError } from '../graph/errors.js';
import { queueOptionsFor } from '../runtime/queue.js';
import { FINISHED_RECORD_STATUSES, type RunRecord } from '../scheduler/run-store.js';
import type { CliContext } from './context.js';
import { EXIT_OK, EXIT_RUN_FAILED } from './exit-codes.js';
import { formatNodeLine } from './progress.js';
import { runRecorded } from './run-recorded.js';

/** Follows run `id` until it ends, printing its nodes when they change; resolves to its final record. */
export async function follow(ctx: CliContext, id: number, pollMs = 250): Promise<RunRecord> {
  const store = await ctx.runStore();
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
  const config = ctx.config();
  const store = await ctx.runStore();
  const queue = queueOptionsFor(config);
  let id: number;
  if (queue !== undefined) {
    id = (await store.create({ job, trigger: 'manual' }))!;
    const { enqueueManual } = await import('../scheduler/bullmq-scheduler.js');
    await enqueueManual(queue, { job, runId: id, trigger: 'manual' }).catch(async (error: unknown) => {
      await store.finish(id, 'failed', `could not be queued: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    });
    ctx.stdout.write(`queued run ${id} of ${job} (a worker runs it; etl runs)\n`);
  } else {
    const scheduler = await store.liveScheduler();
    if (scheduler === undefined) {
      ctx.stderr.write(`no scheduler is running: running ${job} here\n`);
      const registry = await ctx.registry();
      const { exitCode, recordId } = await runRecorded(ctx, registry.get(job)!, { params: {} as never, trigger: 'manual' });
      if (recordId !== undefined) ctx.stdout.write(`run ${recordId}\n`);
      return exitCode;
    }
    id = (await store.create({ job, trigger: 'manual' }))!;
    ctx.stdout.write(`queued run ${id} of ${job} (the scheduler, pid ${scheduler.pid} on ${scheduler.host}, runs it within a second)\n`);
  }
  if (!options.wait) return EXIT_OK;
  const record = await follow(ctx, id);
  ctx.stderr.write(`run ${id} ${record.status}${record.error ? `: ${record.error}` : ''}\n`);
  return record.status === 'succeeded' ? EXIT_OK : EXIT_RUN_FAILED;
}

export async function cancelRun(ctx: CliContext, id: number): Promise<number> {
  const store = await ctx.runStore();
  const queue = queueOptionsFor(ctx.config());
  const result = await store.requestCancel(id);
  if (result === 'unknown') throw new UsageError(`run ${id} does not exist (see \`etl runs\`)`);
  if (result === 'finished') {
    const record = await store.get(id);
    ctx.stderr.write(`run ${id} has already ended (${record?.status})\n`);
    return EXIT_RUN_FAILED;
  }
  if (result === 'cancelled') {
    if (queue !== undefined) {
      const { removeQueued } = await import('../scheduler/bullmq-scheduler.js');
      await removeQueued(queue, id).catch(() => false);
    }
    ctx.stdout.write(`run ${id} cancelled (it was queued)\n`);
    return EXIT_OK;
  }
  ctx.stdout.write(`run ${id}: cancel requested; the process running it stops it within a few seconds\n`);
  return EXIT_OK;
}
