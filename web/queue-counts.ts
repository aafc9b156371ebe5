// The BullMQ queue's job counts (waiting, active, delayed, failed...), for the UI's queue page and /api/queue;
// undefined without a queue (the embedded scheduler).
import { queueOptionsFor } from '../runtime/queue.js';
import type { UiDeps } from './contract.js';

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;

export interface QueueCounts {
  readonly queue: string;
  readonly counts: Readonly<Record<(typeof QUEUE_STATES)[number], number>>;
}

export async function queueCounts(deps: UiDeps): Promise<QueueCounts | undefined> {
  const options = queueOptionsFor(deps.runtime.config);
  if (options === undefined) return undefined;
  const { withQueue } = await import('../queue/bullmq-queue.js');
  const counts = await withQueue(options, (queue) => queue.getJobCounts(...QUEUE_STATES));
  return { queue: options.queue ?? 'etl', counts: Object.fromEntries(QUEUE_STATES.map((s) => [s, counts[s] ?? 0])) as QueueCounts['counts'] };
}
