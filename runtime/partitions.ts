// Partitions of the read jobs, the same way from the CLI, the scheduler (catchup) and the web UI: the
// calendar (each day's status and its hours'), and a backfill queued for whoever runs jobs (the BullMQ
// workers, or the embedded scheduler that is alive): one queued run per partition (trigger 'backfill').
import { UsageError } from '../graph/errors.js';
import { openQueueTransport } from '../queue/open-transport.js';
import { PARTITION_STATUSES, PartitionStore, type PartitionState, type PartitionStatus } from '../runs/partition-store.js';
import { hourPartitions, dayPartitions, partitionRecordKey, partitionsOf, partitionWindow, type Partition, type PartitionGrain } from '../runs/partitions.js';
import { backfillRange } from './backfill-range.js';
import { partitionedJob, partitionedJobNames } from './partitioned-job.js';
import { queueOptionsFor } from './queue.js';
import type { EtlRuntime } from './runtime.js';

/** More partitions than this in one backfill is a mistake (a year of hours is 8,760 runs). */
export const MAX_BACKFILL_PARTITIONS = 2_000;

export interface CalendarDay {
  readonly date: string;
  readonly day: PartitionState;
  /** 23, 24 or 25: each hour partition's own state, or, when the hour was never run on its own, the day's status. */
  readonly hours: readonly PartitionState[];
}

export interface PartitionCalendar {
  readonly job: string;
  readonly timeZone: string;
  readonly from: string;
  readonly to: string;
  readonly days: readonly CalendarDay[];
  /** Over the day partitions. */
  readonly counts: Readonly<Record<PartitionStatus, number>>;
}

export interface BackfillRequest {
  readonly from: string;
  readonly to: string;
  readonly grain: PartitionGrain;
  readonly only?: 'failed' | 'missing';
  /** Just these partition keys (a re-run of one partition). */
  readonly keys?: readonly string[];
}

export type BackfillQueued =
  | { readonly kind: 'queued'; readonly runIds: readonly number[]; readonly by: 'worker' | 'scheduler' }
  /** No BullMQ queue and no embedded scheduler alive: nothing recorded. */
  | { readonly kind: 'no-runner' }
  | { readonly kind: 'nothing'; readonly reason: string };

/** Read jobs ('all' and each enabled reader's job) have partitions; other jobs do not. */
export async function isPartitionedJob(runtime: EtlRuntime, job: string): Promise<boolean> {
  return partitionedJobNames(await runtime.readers()).includes(job);
}

export async function partitionStore(runtime: EtlRuntime): Promise<PartitionStore> {
  return new PartitionStore(await runtime.metricsDb());
}

export async function partitionCalendar(runtime: EtlRuntime, job: string, range: { from?: string; to?: string }, now = Date.now()): Promise<PartitionCalendar> {
  const { config } = runtime;
  partitionedJob(config, await runtime.readers(), job);
  const { from, to } = backfillRange(config.timeZone, range, 20, now, { from: 'from', to: 'to' });
  const parts = await partitionStore(runtime);
  const days = await parts.states(job, dayPartitions(from, to, config.timeZone));
  const hours = await parts.states(job, hourPartitions(from, to, config.timeZone));
  const counts = Object.fromEntries(PARTITION_STATUSES.map((s) => [s, 0])) as Record<PartitionStatus, number>;
  for (const d of days) counts[d.status] += 1;
  // Hour keys start with their local date ('2026-10-25T02:00+01:00'): one pass groups them by day.
  const hoursByDate = new Map<string, PartitionState[]>();
  for (const h of hours) {
    const date = h.key.slice(0, 10);
    const list = hoursByDate.get(date);
    if (list === undefined) hoursByDate.set(date, [h]);
    else list.push(h);
  }
  return {
    job,
    timeZone: config.timeZone,
    from,
    to,
    counts,
    days: days.map((day) => ({
      date: day.key,
      day,
      hours: (hoursByDate.get(day.key) ?? [])
        .map((h) => (h.status === 'missing' && day.status !== 'missing' && h.start < (day.updatedAt ?? now) ? { ...h, status: day.status, runId: day.runId, reason: day.reason, updatedAt: day.updatedAt } : h)),
    })),
  };
}

/** The partitions a request names, checked; `options.now` is the clock (tests). */
async function chosenPartitions(runtime: EtlRuntime, job: string, request: BackfillRequest, now: number): Promise<Partition[]> {
  const { config } = runtime;
  const range = backfillRange(config.timeZone, request, 7, now, { from: 'from', to: 'to' });
  let partitions = partitionsOf(request.grain, range.from, range.to, config.timeZone).filter((p) => p.start < now);
  if (request.keys !== undefined) {
    const wanted = new Set(request.keys);
    const unknown = request.keys.filter((k) => !partitions.some((p) => p.key === k));
    if (unknown.length > 0) throw new UsageError(`partition '${unknown[0]}' is not a ${request.grain} of ${job} between ${range.from} and ${range.to} (${config.timeZone})`);
    partitions = partitions.filter((p) => wanted.has(p.key));
  }
  // A partition already queued or running is not queued twice (two schedulers catching up, a double click).
  const states = await (await partitionStore(runtime)).states(job, partitions);
  partitions = states
    .filter((s) => s.status !== 'queued' && s.status !== 'running' && (request.only === undefined || s.status === request.only))
    .map((s) => ({ grain: s.grain, key: s.key, start: s.start, end: s.end }));
  if (partitions.length > MAX_BACKFILL_PARTITIONS) {
    throw new UsageError(`${partitions.length} ${request.grain} partitions from ${range.from} to ${range.to}: at most ${MAX_BACKFILL_PARTITIONS} at once (a shorter range, or grain day)`);
  }
  return partitions;
}

/**
 * Records one queued run per partition and hands them to the queue's workers or to the live embedded scheduler
 * (`self`: this process is that scheduler, as for catchup). Throws UsageError on a bad job, range or key.
 */
export async function queueBackfill(runtime: EtlRuntime, job: string, request: BackfillRequest, options: { readonly self?: boolean; readonly now?: number } = {}): Promise<BackfillQueued> {
  const { config } = runtime;
  const now = options.now ?? Date.now();
  const { skippedReason } = partitionedJob(config, await runtime.readers(), job);
  const partitions = await chosenPartitions(runtime, job, request, now);
  if (partitions.length === 0) return { kind: 'nothing', reason: request.only === undefined ? 'no partition in that range' : `no ${request.only} partition in that range` };
  const parts = await partitionStore(runtime);
  if (skippedReason !== undefined) {
    for (const p of partitions) await parts.set(job, p, 'skipped', { reason: skippedReason });
    return { kind: 'nothing', reason: `recorded skipped: ${skippedReason}` };
  }
  const { runs: store, scheduler } = await runtime.runStorage();
  const queue = queueOptionsFor(config);
  if (queue === undefined && options.self !== true && (await scheduler.live()) === undefined) return { kind: 'no-runner' };
  const transport = queue === undefined ? undefined : await openQueueTransport(queue);
  const runIds: number[] = [];
  for (const partition of partitions) {
    const window = partitionWindow(partition, config.timeZone, now);
    const runId = (await store.create({ job, trigger: 'backfill', scheduledFor: partition.start, window: window.hours, partitionKey: partitionRecordKey(partition) }))!;
    await parts.set(job, partition, 'queued', { runId });
    runIds.push(runId);
  }
  if (transport !== undefined) {
    // One connection and one round trip for all of them (BullMQ: addBulk).
    try {
      await transport.enqueueMany(partitions.map((p, i) => ({ job, runId: runIds[i]!, trigger: 'backfill' as const, scheduledFor: p.start })));
    } catch (error) {
      for (const [i, partition] of partitions.entries()) {
        await store.finish(runIds[i]!, 'failed', `could not be queued: ${error instanceof Error ? error.message : String(error)}`);
        await parts.restoreFromRuns(job, partition, partitionRecordKey(partition));
      }
      throw error;
    }
  }
  return { kind: 'queued', runIds, by: queue === undefined ? 'scheduler' : 'worker' };
}
