// A backfill: one recorded run per partition (trigger backfill), `concurrency` at a time, each partition's
// status kept in the partition store. Re-running it rewrites the same values (the writers upsert), so two
// identical backfills leave identical tables; `only` re-runs just the failed or missing partitions; a
// cancel (Ctrl-C) leaves finished partitions finished and puts the rest back as they were.
import { describeError, type ServiceProviders } from '../graph/index.js';
import type { Job, JobParams } from '../jobs/job.js';
import type { PartitionState, PartitionStatus, PartitionStore } from '../runs/partition-store.js';
import { partitionRecordKey, partitionWindow, type Partition } from '../runs/partitions.js';
import { runRecordedJob, type AfterRun } from './run-recorded-job.js';
import type { RunStore } from '../runs/run-store.js';

export interface BackfillProgress {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly running: number;
}

export interface PartitionResult {
  readonly partition: Partition;
  readonly status: PartitionStatus | 'cancelled';
  readonly runId: number | undefined;
  readonly error: string | null;
}

export interface BackfillOptions {
  readonly job: Job<JobParams>;
  readonly partitions: readonly Partition[];
  readonly timeZone: string;
  readonly runs: RunStore;
  readonly parts: PartitionStore;
  readonly services: ServiceProviders;
  /** Runs at once (default 2). */
  readonly concurrency?: number;
  /** Only partitions in these states (default: all). */
  readonly only?: ReadonlyArray<'failed' | 'missing'>;
  /** The job reads no history (snapshot readers only): its partitions are recorded skipped with this reason. */
  readonly skippedReason?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: BackfillProgress) => void;
  readonly now?: () => number;
  /** Done after each partition's run that succeeded (the checks on the buckets it wrote). */
  readonly afterRun?: AfterRun;
}

/** Runs one partition as a recorded run and records its end in the partition store. */
async function runPartition(options: BackfillOptions, state: PartitionState, partition: Partition): Promise<PartitionResult> {
  const { job, parts } = options;
  const window = partitionWindow(partition, options.timeZone, (options.now ?? Date.now)());
  try {
    const outcome = await runRecordedJob({
      job,
      params: { window },
      trigger: 'backfill',
      services: options.services,
      store: options.runs,
      record: { window: window.hours, partitionKey: partitionRecordKey(partition), scheduledFor: partition.start },
      ...(options.afterRun === undefined ? {} : { afterRun: options.afterRun }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const { status, recordId } = outcome;
    if (status === 'cancelled') {
      await parts.restore(job.name, state);
      return { partition, status: 'cancelled', runId: recordId, error: null };
    }
    const ok = status === 'succeeded';
    const error = ok ? null : (outcome.run?.error ?? outcome.reason ?? status);
    await parts.set(job.name, partition, ok ? 'success' : status === 'skipped' ? 'skipped' : 'failed', {
      ...(recordId === undefined ? {} : { runId: recordId }),
      ...(error === null ? {} : { reason: error.split('\n')[0]! }),
    });
    return { partition, status: ok ? 'success' : status === 'skipped' ? 'skipped' : 'failed', runId: recordId, error };
  } catch (error) {
    const message = describeError(error);
    await parts.set(job.name, partition, 'failed', { reason: message });
    return { partition, status: 'failed', runId: undefined, error: message };
  }
}

export async function runBackfill(options: BackfillOptions): Promise<PartitionResult[]> {
  const { job, parts } = options;
  const states = await parts.states(job.name, options.partitions);
  const chosen = options.only === undefined ? states : states.filter((s) => (options.only as readonly string[]).includes(s.status));
  const results: PartitionResult[] = [];
  let running = 0;
  const progress = (): void => options.onProgress?.({ total: chosen.length, done: results.length, failed: results.filter((r) => r.status === 'failed').length, running });
  progress();
  const one = async (state: PartitionState): Promise<void> => {
    const partition: Partition = { grain: state.grain, key: state.key, start: state.start, end: state.end };
    if (options.skippedReason !== undefined) {
      await parts.set(job.name, partition, 'skipped', { reason: options.skippedReason });
      results.push({ partition, status: 'skipped', runId: undefined, error: options.skippedReason });
      return;
    }
    running += 1;
    await parts.set(job.name, partition, 'running', { attempt: true });
    progress();
    try {
      results.push(await runPartition(options, state, partition));
    } finally {
      running -= 1;
      progress();
    }
  };
  const queue = [...chosen];
  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 2, queue.length)) }, async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if (options.signal?.aborted) break;
      await one(next);
    }
  });
  await Promise.all(workers);
  return results.sort((a, b) => a.partition.start - b.partition.start);
}
