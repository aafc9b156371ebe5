// The self-metrics of a runtime, for `/metrics` on the UI, the scheduler and the workers alike: its run
// store, its partition store, its queue's job counts when there is a queue, and the checks' states when
// checks are configured (read here from check_result: monitoring does not import the checks room).
import { failingByCheck, latestResults } from '../checks/results.js';
import { CHECK_FAILING_WINDOW_MS, type CheckStates } from '../monitoring/check-metrics.js';
import { createSelfMetrics, type SelfMetrics } from '../monitoring/self-metrics.js';
import { openQueueTransport } from '../queue/open-transport.js';
import { checksOf } from './checks.js';
import { partitionStore } from './partitions.js';
import { queueOptionsFor } from './queue.js';
import type { EtlRuntime } from './runtime.js';

export interface RuntimeSelfMetricsOptions {
  readonly onQueueError?: (error: unknown) => void;
  readonly onCheckError?: (error: unknown) => void;
  /** The clock of etl_check_failing_buckets' window (default Date.now). */
  readonly now?: () => number;
}

/** The checks' latest statuses and their failing buckets of the last 24 hours, or undefined without checks. */
function checkStatesOf(runtime: EtlRuntime, now: () => number): (() => Promise<CheckStates>) | undefined {
  const checks = checksOf(runtime.config);
  if (checks.length === 0) return undefined;
  return async () => {
    const db = await runtime.metricsDb();
    const [latest, failing] = await Promise.all([latestResults(db, checks), failingByCheck(db, checks.map((c) => c.name), now() - CHECK_FAILING_WINDOW_MS)]);
    return { statuses: latest.map((r) => ({ check: r.check, metric: r.metric, status: r.status })), failing };
  };
}

export function runtimeSelfMetrics(runtime: EtlRuntime, options: RuntimeSelfMetricsOptions = {}): SelfMetrics {
  const queue = queueOptionsFor(runtime.config);
  const checkStates = checkStatesOf(runtime, options.now ?? Date.now);
  return createSelfMetrics({
    store: async () => (await runtime.runStorage()).runs,
    partitionCounts: async () => (await partitionStore(runtime)).counts(),
    ...(queue === undefined ? {} : { queueCounts: async () => (await openQueueTransport(queue)).counts(), queueName: queue.queue ?? 'etl' }),
    ...(options.onQueueError === undefined ? {} : { onQueueError: options.onQueueError }),
    ...(checkStates === undefined ? {} : { checkStates }),
    ...(options.onCheckError === undefined ? {} : { onCheckError: options.onCheckError }),
  });
}
