// `etl scheduler` in the distributed mode: BullMQ job schedulers kept equal to the job registry's schedules, manual runs queued.
import { getNextMillis, type Job, type JobSchedulerJson, type JobsOptions, type Queue } from 'bullmq';
import { manualJobId, withQueue, type FiringJobData, type QueueOptions } from './bullmq-queue.js';
import type { ManualFiring, QueueSchedule, SyncResult } from './transport.js';

/** Finished jobs BullMQ keeps per queue (the run store is the history; these are for inspection). */
const KEEP_COMPLETED = 1000;
const KEEP_FAILED = 5000;

interface SchedulerTemplate {
  readonly name: string;
  readonly data: FiringJobData;
  readonly opts: {
    readonly attempts: number;
    readonly backoff: { readonly type: 'exponential'; readonly delay: number };
    readonly removeOnComplete: number;
    readonly removeOnFail: number;
  };
}

function templateOf(schedule: QueueSchedule): SchedulerTemplate {
  return {
    name: schedule.job,
    data: { job: schedule.job, trigger: 'schedule' },
    opts: {
      attempts: schedule.retries + 1,
      backoff: { type: 'exponential', delay: schedule.retryDelayMs },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    },
  };
}

/** Checks every schedule before anything is written, so a bad one changes nothing. */
function checkSchedules(schedules: ReadonlyArray<QueueSchedule>): void {
  const seen = new Set<string>();
  for (const schedule of schedules) {
    const where = `syncJobSchedulers: job ${JSON.stringify(schedule.job)}`;
    if (typeof schedule.job !== 'string' || schedule.job === '') throw new Error('syncJobSchedulers: a schedule has no job name');
    if (seen.has(schedule.job)) throw new Error(`${where}: scheduled twice`);
    seen.add(schedule.job);
    if (!Number.isSafeInteger(schedule.retries) || schedule.retries < 0) throw new Error(`${where}: retries ${schedule.retries} is not a non-negative integer`);
    if (!Number.isFinite(schedule.retryDelayMs) || schedule.retryDelayMs < 0) throw new Error(`${where}: retryDelayMs ${schedule.retryDelayMs} is not a non-negative number`);
    let next: number | undefined;
    try {
      next = getNextMillis(Date.now(), { pattern: schedule.cron, tz: schedule.timeZone });
    } catch (error) {
      throw new Error(`${where}: cron ${JSON.stringify(schedule.cron)} in ${schedule.timeZone}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (next === undefined || !Number.isFinite(next)) throw new Error(`${where}: cron ${JSON.stringify(schedule.cron)} in ${schedule.timeZone} never fires`);
  }
}

/** JSON with sorted keys: the same value gives the same text whatever the key order BullMQ returns. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** States in which a scheduler's next job will still run. */
const PENDING_STATES: ReadonlySet<string> = new Set(['delayed', 'waiting', 'prioritized', 'paused', 'active']);

/**
 * True when `existing` already is `schedule` and its next job is waiting to run. Upserting an unchanged
 * scheduler is not harmless: BullMQ deletes its pending job and makes a new one for the next slot after now,
 * so a restart of `etl scheduler` would drop an overdue firing waiting for a worker, or skip the slot being
 * promoted at that very millisecond.
 */
async function isInPlace(queue: Queue<FiringJobData>, existing: JobSchedulerJson<FiringJobData>, schedule: QueueSchedule): Promise<boolean> {
  const template = templateOf(schedule);
  const same =
    existing.pattern === schedule.cron &&
    existing.tz === schedule.timeZone &&
    existing.every === undefined &&
    existing.name === template.name &&
    canonical(existing.template?.data) === canonical(template.data) &&
    canonical(existing.template?.opts) === canonical(template.opts);
  if (!same || existing.next === undefined) return false;
  const next: Job<FiringJobData> | undefined = await queue.getJob(`repeat:${existing.key}:${existing.next}`);
  if (next === undefined) return false;
  return PENDING_STATES.has(await next.getState());
}

/**
 * Makes the queue's job schedulers those of `schedules`: one scheduler per job, id = job name, pattern = cron
 * in the job's time zone; removes schedulers of jobs that lost their schedule. Idempotent; two processes may
 * run it at once (BullMQ's upsert and remove are single Lua scripts: one scheduler, one pending job per id).
 */
export async function syncJobSchedulers(options: QueueOptions, schedules: ReadonlyArray<QueueSchedule>): Promise<SyncResult> {
  checkSchedules(schedules);
  return withQueue(options, async (queue) => {
    const existing = new Map((await queue.getJobSchedulers()).map((scheduler) => [scheduler.key, scheduler]));
    const upserted: string[] = [];
    const unchanged: string[] = [];
    const removed: string[] = [];
    for (const schedule of schedules) {
      const current = existing.get(schedule.job);
      if (current !== undefined && (await isInPlace(queue, current, schedule))) {
        unchanged.push(schedule.job);
        continue;
      }
      await queue.upsertJobScheduler(schedule.job, { pattern: schedule.cron, tz: schedule.timeZone }, templateOf(schedule));
      upserted.push(schedule.job);
    }
    const wanted = new Set(schedules.map((schedule) => schedule.job));
    for (const id of existing.keys()) {
      if (wanted.has(id)) continue;
      // false when a concurrent sync removed it first: it is gone either way.
      await queue.removeJobScheduler(id);
      removed.push(id);
    }
    return { upserted, removed, unchanged };
  });
}

/** Next firing (epoch ms) per scheduled job, as BullMQ will fire it; null when its scheduler has none. */
export async function nextFirings(options: QueueOptions): Promise<Record<string, number | null>> {
  return withQueue(options, async (queue) => {
    const next: Record<string, number | null> = {};
    for (const scheduler of await queue.getJobSchedulers()) {
      next[scheduler.key] = typeof scheduler.next === 'number' && Number.isFinite(scheduler.next) ? scheduler.next : null;
    }
    return next;
  });
}

/**
 * Queues a manual or backfill run; returns its BullMQ job id (`run-<runId>`). Queuing the same run twice
 * queues it once: BullMQ ignores an add whose job id exists (and returns the existing job).
 */
export async function enqueueManual(options: QueueOptions, firing: ManualFiring): Promise<string> {
  return (await enqueueManyManual(options, [firing]))[0]!;
}

/** The BullMQ job of a manual or backfill run: its name, data and options (`run-<runId>`). */
function manualJob(firing: ManualFiring): { name: string; data: FiringJobData; opts: JobsOptions & { jobId: string } } {
  const retries = firing.retries ?? 0;
  if (!Number.isSafeInteger(retries) || retries < 0) throw new Error(`enqueueManual: retries ${retries} is not a non-negative integer`);
  return {
    name: firing.job,
    data: { job: firing.job, trigger: firing.trigger, scheduledFor: firing.scheduledFor ?? Date.now(), runId: firing.runId },
    opts: {
      jobId: manualJobId(firing.runId),
      attempts: retries + 1,
      ...(retries > 0 ? { backoff: { type: 'exponential', delay: firing.retryDelayMs ?? 0 } } : {}),
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    },
  };
}

/**
 * Queues several manual or backfill runs over one connection, in one round trip (BullMQ addBulk: the
 * partitions of a backfill); returns their job ids in order. A run queued already is queued once.
 */
export async function enqueueManyManual(options: QueueOptions, firings: readonly ManualFiring[]): Promise<string[]> {
  if (firings.length === 0) return [];
  const jobs = firings.map(manualJob);
  return withQueue(options, async (queue) => {
    const added = await queue.addBulk(jobs);
    return added.map((job, i) => job.id ?? jobs[i]!.opts.jobId);
  });
}

/** States a queued run can be taken back from (not yet taken by a worker). */
const REMOVABLE_STATES: ReadonlySet<string> = new Set(['waiting', 'delayed', 'prioritized', 'paused']);

/**
 * Takes back a manual run that no worker has taken yet (for cancel); true when it was removed. A running
 * job is not touched (false): BullMQ's remove refuses a locked job, and the state is checked first.
 */
export async function removeQueued(options: QueueOptions, runId: number): Promise<boolean> {
  const jobId = manualJobId(runId);
  return withQueue(options, async (queue) => {
    const job = await queue.getJob(jobId);
    if (job === undefined) return false;
    if (!REMOVABLE_STATES.has(await job.getState())) return false;
    return (await queue.remove(jobId)) === 1;
  });
}
