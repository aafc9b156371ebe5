// What a run does to the partition store: a partition run (a queued backfill run) marks its partition
// running, then success / failed, or puts it back as its last finished run left it (cancelled, skipped); a
// scheduled run of the current window marks the current day. Failures here are logged, never fail a run.
import type { ReadWindow } from '../metrics/window.js';
import type { PartitionStore } from '../runs/partition-store.js';
import { dayPartitions, partitionRecordKey, type Partition } from '../runs/partitions.js';
import { windowDates } from '../metrics/window.js';

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

/**
 * A read started by a person (`etl read --write`, `etl run`): each local day its window covers whole takes
 * the run's outcome, and so does today when the window reaches now ("so far", as a scheduled run marks it).
 * A day the window covers only in part (an hour of it) is left as it was.
 */
export async function markReadDays(parts: PartitionStore, job: string, window: ReadWindow, outcome: MarkOutcome): Promise<void> {
  if (outcome.status !== 'succeeded' && outcome.status !== 'failed') return;
  if (window.isCurrent) return markScheduledDay(parts, job, window, outcome);
  if (window.hourlyOnly) return;
  const dates = windowDates(window);
  const covered = dayPartitions(dates[0]!, dates[dates.length - 1]!, window.timeZone).filter((day) => window.hours.from <= day.start && window.hours.to >= Math.min(day.end, window.now));
  const status = outcome.status === 'succeeded' ? 'success' : 'failed';
  const runId = outcome.runId === undefined ? {} : { runId: outcome.runId };
  const past = covered.filter((day) => day.end <= window.now);
  const failed = outcome.status === 'failed' ? { reason: firstLine(outcome.error) ?? 'failed' } : {};
  await parts.setMany(job, past, status, { attempt: true, ...runId, ...failed });
  const today = covered.filter((day) => day.end > window.now);
  const soFar = { reason: `read: values up to ${new Date(Math.min(window.hours.to, window.now)).toISOString()}` };
  await parts.setMany(job, today, status, { attempt: true, ...runId, ...(outcome.status === 'failed' ? failed : soFar) });
}
