// The self-metrics of a runtime, for `/metrics` on the UI, the scheduler and the workers alike: its run
// store, its partition store, and its queue's job counts when there is a queue.
import { createSelfMetrics, type SelfMetrics } from '../monitoring/self-metrics.js';
import { openQueueTransport } from '../queue/open-transport.js';
import { partitionStore } from './partitions.js';
import { queueOptionsFor } from './queue.js';
import type { EtlRuntime } from './runtime.js';

export function runtimeSelfMetrics(runtime: EtlRuntime, onQueueError?: (error: unknown) => void): SelfMetrics {
  const queue = queueOptionsFor(runtime.config);
  return createSelfMetrics({
    store: async () => (await runtime.runStorage()).runs,
    partitionCounts: async () => (await partitionStore(runtime)).counts(),
    ...(queue === undefined ? {} : { queueCounts: async () => (await openQueueTransport(queue)).counts(), queueName: queue.queue ?? 'etl' }),
    ...(onQueueError === undefined ? {} : { onQueueError }),
  });
}
