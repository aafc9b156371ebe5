// What a run does to the partition store: a partition run (a queued backfill run) marks its partition
// running, then success / failed, or puts it back as its last finished run left it (cancelled, skipped); a
// scheduled run of the current window marks the current day. Failures here are logged, never fail a run.
import type { ReadWindow } from '../metrics/window.js';
import type { PartitionStore } from '../runs/partition-store.js';
import { dayPartitions, partitionRecordKey, type Partition } from '../runs/partitions.js';

export type MarkOutcome = { readonly status: 'succeeded' | 'failed' | 'cancelled' | 'skipped'; readonly runId: number | undefined; readonly error?: string | null };

function firstLine(text: string | null | undefined): string | undefined {
  return text ? text.split('\n')[0]! : undefined;
}

export async function markPartitionStarted(parts: PartitionStore, job: string, partition: Partition, runId: number | undefined): Promise<void> {
  await parts.set(job, partition, 'running', { attempt: true, ...(runId === undefined ? {} : { runId }) });
}

export async function markPartitionEnded(parts: PartitionStore, job: string, partition: Partition, outcome: MarkOutcome): Promise<void> {
  if (outcome.status === 'cancelled' || outcome.status === 'skipped') {
    await parts.restoreFromRuns(job, partition, partitionRecordKey(partition));
    return;
  }
  const reason = outcome.status === 'failed' ? firstLine(outcome.error) ?? 'failed' : undefined;
  await parts.set(job, partition, outcome.status === 'succeeded' ? 'success' : 'failed', {
    ...(outcome.runId === undefined ? {} : { runId: outcome.runId }),
    ...(reason === undefined ? {} : { reason }),
  });
}

/** A scheduled run of the current window: its day's partition takes the run's outcome ("so far" while the day lasts). */
export async function markScheduledDay(parts: PartitionStore, job: string, window: ReadWindow, outcome: MarkOutcome): Promise<void> {
  if (outcome.status !== 'succeeded' && outcome.status !== 'failed') return;
  const day = dayPartitions(window.days.from, window.days.from, window.timeZone)[0]!;
  const soFar = window.now < day.end ? `scheduled run: values up to ${new Date(Math.min(window.hours.to, day.end)).toISOString()}` : undefined;
  const reason = outcome.status === 'failed' ? firstLine(outcome.error) ?? 'failed' : soFar;
  await parts.set(job, day, outcome.status === 'succeeded' ? 'success' : 'failed', {
    attempt: true,
    ...(outcome.runId === undefined ? {} : { runId: outcome.runId }),
    ...(reason === undefined ? {} : { reason }),
  });
}
