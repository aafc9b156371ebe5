// The BullMQ transport (redis:// and rediss:// URLs): the QueueTransport over the bullmq-* modules.
import { resolveQueueOptions, withQueue, type QueueOptions } from './bullmq-queue.js';
import { enqueueManual, enqueueManyManual, removeQueued, syncJobSchedulers } from './bullmq-scheduler.js';
import { startWorker } from './bullmq-worker.js';
import { QUEUE_STATES, type QueueConnectionOptions, type QueueState, type QueueStateCounts, type QueueTransport } from './transport.js';

/** The queue's job counts by state, over a connection of their own. */
async function jobCounts(options: QueueOptions): Promise<QueueStateCounts> {
  const counts = await withQueue(options, (queue) => queue.getJobCounts(...QUEUE_STATES));
  const count = (state: QueueState): number => counts[state] ?? 0;
  return { waiting: count('waiting'), active: count('active'), delayed: count('delayed'), prioritized: count('prioritized'), completed: count('completed'), failed: count('failed') };
}

/** The BullMQ queue of `options` (names checked here: a bad one fails before anything is queued). */
export function bullmqTransport(options: QueueConnectionOptions): QueueTransport {
  const { url, ...rest } = options;
  const bull: QueueOptions = { redisUrl: url, ...rest };
  return {
    queue: resolveQueueOptions(bull).queue,
    enqueue: (firing) => enqueueManual(bull, firing),
    enqueueMany: (firings) => enqueueManyManual(bull, firings),
    removeQueued: (runId) => removeQueued(bull, runId),
    counts: () => jobCounts(bull),
    syncSchedules: (schedules) => syncJobSchedulers(bull, schedules),
    startWorker: (worker) => startWorker({ ...bull, ...worker }),
  };
}
