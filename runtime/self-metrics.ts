// The self-metrics of a runtime, for `/metrics` on the UI, the scheduler and the workers alike: its run
// store, its partition store, and its queue's job counts in BullMQ mode.
import { bullmqJobCounts, createSelfMetrics, type SelfMetrics } from '../monitoring/self-metrics.js';
import { partitionStore } from './partitions.js';
import { queueOptionsFor } from './queue.js';
import type { EtlRuntime } from './runtime.js';

export function runtimeSelfMetrics(runtime: EtlRuntime, onQueueError?: (error: unknown) => void): SelfMetrics {
  const queue = queueOptionsFor(runtime.config);
  return createSelfMetrics({
    store: () => runtime.runStore(),
    partitionCounts: async () => (await partitionStore(runtime)).counts(),
    ...(queue === undefined ? {} : { queueCounts: () => bullmqJobCounts(queue), queueName: queue.queue ?? 'etl' }),
    ...(onQueueError === undefined ? {} : { onQueueError }),
  });
}
