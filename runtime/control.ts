// Acting on jobs and runs, the same way from the CLI and the web UI: a manual run is recorded queued and
// handed to the queue or to the embedded scheduler that is running; pause, resume and cancel go
// through the run storage (cancel also takes a queued run back from the queue).
import { openQueueTransport } from '../queue/open-transport.js';
import type { CancelResult } from '../runs/run-store.js';
import { queueOptionsFor } from './queue.js';
import type { EtlRuntime } from './runtime.js';

export type QueueResult =
  | { readonly kind: 'queued'; readonly runId: number; readonly by: 'worker' }
  | { readonly kind: 'queued'; readonly runId: number; readonly by: 'scheduler'; readonly scheduler: { readonly host: string; readonly pid: number } }
  /** Nobody would take it: no queue, and no embedded scheduler is running. */
  | { readonly kind: 'no-runner' };

/** Queues a manual run of `job` for whoever runs jobs; nothing is recorded when nobody would. */
export async function queueManualRun(runtime: EtlRuntime, job: string): Promise<QueueResult> {
  const { runs: store, scheduler: presence } = await runtime.runStorage();
  const queue = queueOptionsFor(runtime.config);
  if (queue !== undefined) {
    const transport = await openQueueTransport(queue);
    const runId = (await store.create({ job, trigger: 'manual' }))!;
    await transport.enqueue({ job, runId, trigger: 'manual' }).catch(async (error: unknown) => {
      await store.finish(runId, 'failed', `could not be queued: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    });
    return { kind: 'queued', runId, by: 'worker' };
  }
  const scheduler = await presence.live();
  if (scheduler === undefined) return { kind: 'no-runner' };
  const runId = (await store.create({ job, trigger: 'manual' }))!;
  return { kind: 'queued', runId, by: 'scheduler', scheduler };
}

/** Cancels a queued run at once (taking it back from the queue) or asks the process of a running one to stop it. */
export async function cancelRunById(runtime: EtlRuntime, id: number): Promise<CancelResult> {
  const store = (await runtime.runStorage()).runs;
  const result = await store.requestCancel(id);
  const queue = queueOptionsFor(runtime.config);
  if (result === 'cancelled' && queue !== undefined) {
    await openQueueTransport(queue).then((transport) => transport.removeQueued(id)).catch(() => false);
  }
  // A queued partition run cancelled: its partition goes back to what its last finished run left.
  const record = result === 'cancelled' ? await store.get(id) : undefined;
  if (record?.partitionKey) {
    const { parsePartitionKey, partitionRecordKey } = await import('../runs/partitions.js');
    const partition = parsePartitionKey(record.partitionKey, runtime.config.timeZone);
    if (partition !== undefined) {
      const { PartitionStore } = await import('../runs/partition-store.js');
      await new PartitionStore(await runtime.metricsDb()).restoreFromRuns(record.job, partition, partitionRecordKey(partition));
    }
  }
  return result;
}

/** Pauses (its scheduled firings are recorded skipped) or resumes a job. */
export async function setJobPaused(runtime: EtlRuntime, job: string, paused: boolean): Promise<void> {
  await (await runtime.runStorage()).jobs.setPaused(job, paused);
}
