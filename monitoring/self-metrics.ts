// The ETL's own metrics for Prometheus (prom-client, its own Registry), computed at scrape time from the run
// store (the truth across processes: every `etl worker`, `etl scheduler` and `etl ui` serves the same numbers)
// and, with a queue, from its job counts.
//
// Each scrape reads the store's most recent `window` runs (default 1000, through RunStore.list: no SQL of its
// own) and counts every FINISHED run once per process, the first time it sees it: so the counters are true
// counters (they only go up while the process lives, and the first scrape starts them at what the window
// holds). Bound: a run that is created and finishes between two scrapes while more than `window` newer runs
// were created is never counted; runs deleted by run retention before a process first saw them neither.
// Partitions by status (etl_partitions{job,grain,status}) come from the partition store when one is given.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { checkGauges, type CheckStates } from './check-metrics.js';
import { QUEUE_STATES } from '../queue/transport.js';
import { FINISHED_RECORD_STATUSES, type RunRecord, type RunStore } from '../runs/run-store.js';

/** Job counts by state, exported as etl_queue_jobs{state} for the states of QUEUE_STATES (the UI's queue page shows the same). */
export type QueueJobCounts = Readonly<Record<string, number>>;

/** Seconds: from a no-op run to a two-hour backfill. */
export const RUN_DURATION_BUCKETS: readonly number[] = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200];
export const DEFAULT_METRICS_WINDOW = 1000;

export interface SelfMetricsOptions {
  /** The run store (opened lazily: a process that is never scraped never opens it for this). */
  readonly store: () => Promise<RunStore>;
  /** With a queue: its counts by state (QueueTransport.counts); absent: no etl_queue_* series. */
  readonly queueCounts?: () => Promise<QueueJobCounts>;
  /** The queue's name, as the `queue` label. */
  readonly queueName?: string;
  /** How many of the most recent runs each scrape reads (default 1000). */
  readonly window?: number;
  /** Recorded partitions by job, grain and status (the partition store's counts); absent: no etl_partitions series. */
  readonly partitionCounts?: () => Promise<ReadonlyArray<{ readonly job: string; readonly grain: string; readonly status: string; readonly count: number }>>;
  /** Told when the partitions cannot be counted (the scrape goes on without etl_partitions). */
  readonly onPartitionError?: (error: unknown) => void;
  /** With checks configured: their states (monitoring/check-metrics.ts); absent: no etl_check_* series. */
  readonly checkStates?: () => Promise<CheckStates>;
  /** Told when the check results cannot be read (the scrape goes on without etl_check_* series). */
  readonly onCheckError?: (error: unknown) => void;
  /** Told when the queue cannot be read (the scrape goes on, with etl_queue_up 0). */
  readonly onQueueError?: (error: unknown) => void;
}

export interface SelfMetrics {
  readonly registry: Registry;
  /** The Content-Type of the exposition text. */
  readonly contentType: string;
  /** Reads the store (and the queue), then returns the exposition text. */
  render(): Promise<string>;
}

const seconds = (ms: number): number => ms / 1000;

/** Builds the metrics and their registry; nothing is read before the first scrape. */
export function createSelfMetrics(options: SelfMetricsOptions): SelfMetrics {
  const window = options.window ?? DEFAULT_METRICS_WINDOW;
  if (!Number.isSafeInteger(window) || window < 1) throw new RangeError(`self-metrics: window must be a positive integer, got ${window}`);
  const registry = new Registry();
  let refreshing: Promise<void> | undefined;
  let refreshedAt = 0;
  // Every metric's collect() waits for the same refresh: one read of the store per scrape.
  const refreshOnce = (): Promise<void> => {
    if (refreshing === undefined || Date.now() - refreshedAt > 1_000) {
      refreshedAt = Date.now();
      refreshing = (refreshing ?? Promise.resolve()).catch(() => undefined).then(refresh);
    }
    return refreshing;
  };
  const collect = async (): Promise<void> => refreshOnce();

  const runs = new Counter({ name: 'etl_runs_total', help: 'Finished runs by job and status (skipped: the job was running or paused).', labelNames: ['job', 'status'], registers: [registry], collect });
  const duration = new Histogram({ name: 'etl_run_duration_seconds', help: 'Duration of finished runs that started, from start to end.', labelNames: ['job'], buckets: [...RUN_DURATION_BUCKETS], registers: [registry], collect });
  const rows = new Counter({ name: 'etl_rows_total', help: 'Rows each node of finished runs received (in), emitted (out) and failed on (err).', labelNames: ['job', 'node', 'kind'], registers: [registry], collect });
  const lastSuccess = new Gauge({ name: 'etl_last_success_timestamp_seconds', help: 'When the last successful run of the job finished (unix seconds).', labelNames: ['job'], registers: [registry], collect });
  const inProgress = new Gauge({ name: 'etl_runs_in_progress', help: 'Runs queued or running now, by job and status.', labelNames: ['job', 'status'], registers: [registry], collect });
  const partitions = options.partitionCounts === undefined ? undefined : new Gauge({ name: 'etl_partitions', help: 'Recorded partitions of the read jobs by grain and status (never-run partitions are not counted).', labelNames: ['job', 'grain', 'status'], registers: [registry], collect });
  const queueJobs = options.queueCounts === undefined ? undefined : new Gauge({ name: 'etl_queue_jobs', help: 'BullMQ jobs in the queue by state.', labelNames: ['queue', 'state'], registers: [registry], collect });
  const queueUp = options.queueCounts === undefined ? undefined : new Gauge({ name: 'etl_queue_up', help: '1 when the last scrape could read the BullMQ queue, else 0.', labelNames: ['queue'], registers: [registry], collect });
  const setCheckStates = options.checkStates === undefined ? undefined : checkGauges(registry, collect);

  /** Finished runs already counted: id -> true; pruned to the ids of the current window. */
  const counted = new Set<number>();
  const lastSuccessAt = new Map<string, number>();

  const count = (run: RunRecord): void => {
    runs.inc({ job: run.job, status: run.status });
    if (run.startedAt !== null && run.finishedAt !== null) duration.observe({ job: run.job }, Math.max(0, seconds(run.finishedAt - run.startedAt)));
    for (const node of run.nodes) {
      for (const kind of ['in', 'out', 'err'] as const) {
        // Touch zero too, so every node of a job has its three series.
        rows.inc({ job: run.job, node: node.name, kind }, node[kind]);
      }
    }
  };

  async function refresh(): Promise<void> {
    const store = await options.store();
    const recent = await store.list({ limit: window });
    const inWindow = new Set<number>();
    inProgress.reset();
    for (const run of [...recent].sort((a, b) => a.id - b.id)) {
      inWindow.add(run.id);
      if (!FINISHED_RECORD_STATUSES.has(run.status)) {
        inProgress.inc({ job: run.job, status: run.status });
        continue;
      }
      if (run.status === 'succeeded' && run.finishedAt !== null && run.finishedAt > (lastSuccessAt.get(run.job) ?? -Infinity)) lastSuccessAt.set(run.job, run.finishedAt);
      if (counted.has(run.id)) continue;
      counted.add(run.id);
      count(run);
    }
    for (const id of counted) if (!inWindow.has(id)) counted.delete(id);
    for (const [job, at] of lastSuccessAt) lastSuccess.set({ job }, seconds(at));
    if (options.partitionCounts !== undefined) {
      partitions!.reset();
      try {
        for (const c of await options.partitionCounts()) partitions!.set({ job: c.job, grain: c.grain, status: c.status }, c.count);
      } catch (error) {
        // The runs are the scrape's point: a partition store that cannot be read leaves etl_partitions empty.
        options.onPartitionError?.(error);
      }
    }
    if (options.checkStates !== undefined) {
      try {
        setCheckStates!(await options.checkStates());
      } catch (error) {
        setCheckStates!(undefined);
        options.onCheckError?.(error);
      }
    }
    if (options.queueCounts !== undefined) {
      const queue = options.queueName ?? 'etl';
      try {
        const counts = await options.queueCounts();
        queueJobs!.reset();
        for (const state of QUEUE_STATES) queueJobs!.set({ queue, state }, counts[state] ?? 0);
        queueUp!.set({ queue }, 1);
      } catch (error) {
        queueJobs!.reset();
        queueUp!.set({ queue }, 0);
        options.onQueueError?.(error);
      }
    }
  }

  return {
    registry,
    contentType: registry.contentType,
    async render() {
      // A scrape of its own: never one a concurrent scrape started a moment ago with older data.
      refreshedAt = 0;
      return registry.metrics();
    },
  };
}
