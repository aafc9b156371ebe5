// The executor of firings, shared by the embedded scheduler and the queue's workers, as a few named steps:
// look the job up, skip a paused job's scheduled firing, take up the record queued for it (or not, when it
// is a redelivery: then wait for the run its dead attempt left to be closed), find its partition and window,
// run it as a recorded run, then tell the partition store, the log and the alert sink how it ended and
// whether a failure may be retried.
import { describeError, GraphError, MissingServiceError, UsageError, type JobRun } from '../graph/index.js';
import type { AnyJob } from '../jobs/registry.js';
import { currentWindow, type ReadWindow } from '../metrics/window.js';
import { parsePartitionKey, partitionWindow, type Partition } from '../runs/partitions.js';
import { releaseDeadAttempt } from './dead-attempt.js';
import type { FiringContext, FiringDeps } from './firing-deps.js';
export type { FiringDeps, FiringLog } from './firing-deps.js';
import { alert, finalFailure, finalOutcome, firingKey, markOutcome, markStarted } from './firing-steps.js';
import type { Firing, FiringHandler, FiringOutcome } from './firing.js';
import { RunLog } from './run-log.js';
import { runRecordedJob, type RecordedRun } from './run-recorded-job.js';

/** The record a firing takes up: the one queued for it, with its partition, or none (a new record is made). */
interface QueuedRecord {
  readonly runId: number | undefined;
  readonly partitionKey: string | null;
}

/** Errors that every attempt would hit again: configuration, an invalid graph, a missing service. */
function retryable(error: unknown): boolean {
  return !(error instanceof UsageError || error instanceof GraphError || error instanceof MissingServiceError);
}

export function createFiringHandler(deps: FiringDeps): FiringHandler {
  return async (firing: Firing, signal: AbortSignal): Promise<FiringOutcome> => {
    const fields = { job: firing.job, trigger: firing.trigger, attempt: firing.attempt, scheduledFor: new Date(firing.scheduledFor).toISOString() };
    const job = deps.registry.get(firing.job);
    if (job === undefined) return failUnknownJob(deps, firing, fields);
    const paused = await skipWhenPaused(deps, firing, job, fields);
    if (paused !== undefined) return paused;
    const queued = await takeUpQueuedRecord(deps, firing, fields);
    const released = firing.redelivered ? await releaseDeadAttempt(deps, firing, queued, fields, signal) : undefined;
    if (released !== undefined) return released;
    const partition = queued.partitionKey === null ? undefined : parsePartitionKey(queued.partitionKey, deps.timeZone);
    if (queued.partitionKey !== null && partition === undefined) return failBadPartition(deps, queued, fields);
    const ctx: FiringContext = { deps, firing, job, fields, policy: deps.schedules.get(firing.job), partition, window: job.windowed ? windowOf(firing, partition, deps) : undefined };
    if (partition !== undefined) await markStarted(ctx, partition, queued.runId);
    try {
      return await runAndReport(ctx, queued, signal);
    } catch (error) {
      return failBeforeRun(ctx, error);
    }
  };
}

async function failUnknownJob(deps: FiringDeps, firing: Firing, fields: Record<string, unknown>): Promise<FiringOutcome> {
  const error = `no job is named '${firing.job}' here (jobs: ${deps.registry.names().join(', ')})`;
  const runId = firing.runId ?? (await deps.store.create({ job: firing.job, trigger: firing.trigger, scheduledFor: firing.scheduledFor, attempt: firing.attempt }));
  if (runId !== undefined) await deps.store.finish(runId, 'failed', error);
  deps.log.error({ ...fields, runId }, error);
  return { kind: 'failed', runId, error, retry: false };
}

/** A person's request (a manual run, a backfill) runs even when the job is paused; its schedule does not. */
async function skipWhenPaused(deps: FiringDeps, firing: Firing, job: AnyJob, fields: Record<string, unknown>): Promise<FiringOutcome | undefined> {
  if (firing.trigger === 'manual' || firing.trigger === 'backfill') return undefined;
  if (!(await deps.jobs.pausedJobs()).has(job.name)) return undefined;
  const runId = await deps.store.create({ job: job.name, trigger: firing.trigger, scheduledFor: firing.scheduledFor, attempt: firing.attempt, ...firingKey(deps, firing) });
  const why = 'skipped: the job is paused (etl resume to run it again)';
  if (runId !== undefined) await deps.store.finish(runId, 'skipped', why);
  deps.log.info({ ...fields, runId }, why);
  return { kind: 'skipped', runId, why };
}

/**
 * The record queued for this firing, if it is still queued. A retry is a new attempt with a record of its
 * own (the queued record, if any, was the first attempt's). A queue re-delivers a job whose worker died (a
 * stalled job keeps its attempt number): the first delivery's record is no longer queued, so this run gets
 * a record of its own, of the same partition.
 */
async function takeUpQueuedRecord(deps: FiringDeps, firing: Firing, fields: Record<string, unknown>): Promise<QueuedRecord> {
  const queuedRun = firing.attempt > 1 ? undefined : firing.runId;
  if (queuedRun === undefined) return { runId: undefined, partitionKey: null };
  let record = await deps.store.get(queuedRun);
  if (record?.status === 'running') {
    await deps.store.closeOrphans();
    record = await deps.store.get(queuedRun);
  }
  if (record !== undefined && record.status !== 'queued') {
    deps.log.warn({ ...fields, runId: queuedRun, status: record.status }, `run ${queuedRun} is ${record.status}: this delivery is recorded as a new run`);
    return { runId: undefined, partitionKey: record.partitionKey };
  }
  return { runId: queuedRun, partitionKey: record?.partitionKey ?? null };
}

async function failBadPartition(deps: FiringDeps, queued: QueuedRecord, fields: Record<string, unknown>): Promise<FiringOutcome> {
  const error = `run ${queued.runId}: partition '${queued.partitionKey}' is not a day (day:YYYY-MM-DD) or an hour (hour:YYYY-MM-DDTHH:00+hh:mm) of ${deps.timeZone}`;
  if (queued.runId !== undefined) await deps.store.finish(queued.runId, 'failed', error);
  deps.log.error({ ...fields, runId: queued.runId }, error);
  return { kind: 'failed', runId: queued.runId, error, retry: false };
}

/** Runs the job as a recorded run, then reports its end. */
async function runAndReport(ctx: FiringContext, queued: QueuedRecord, signal: AbortSignal): Promise<FiringOutcome> {
  const { deps, firing, job, window, policy } = ctx;
  const result = await runRecordedJob({
    job,
    params: window === undefined ? {} : { window },
    trigger: firing.trigger,
    services: deps.services,
    store: deps.store,
    ...(queued.runId === undefined ? {} : { runId: queued.runId }),
    record: { scheduledFor: firing.scheduledFor, attempt: firing.attempt, ...(window ? { window: window.hours } : {}), ...firingKey(deps, firing), ...(queued.partitionKey === null ? {} : { partitionKey: queued.partitionKey }) },
    signal,
    ...(policy?.timeoutMs === undefined ? {} : { timeoutMs: policy.timeoutMs }),
    log: new RunLog(),
    ...(deps.afterRun === undefined ? {} : { afterRun: deps.afterRun }),
    onStoreError: (error) => deps.log.warn({ ...ctx.fields }, `the run could not be recorded: ${describeError(error)}`),
  });
  const runId = result.recordId;
  if (result.status === 'duplicate') return { kind: 'skipped', runId, why: result.reason ?? 'recorded by another scheduler' };
  if (result.status === 'skipped' || result.run === undefined) return reportSkipped(ctx, result);
  return reportEnded(ctx, result.run, runId);
}

async function reportSkipped(ctx: FiringContext, result: RecordedRun): Promise<FiringOutcome> {
  const why = result.reason ?? 'skipped';
  ctx.deps.log.info({ ...ctx.fields, runId: result.recordId }, why);
  await markOutcome(ctx, { status: 'skipped', runId: result.recordId });
  return { kind: 'skipped', runId: result.recordId, why };
}

async function reportEnded(ctx: FiringContext, run: JobRun, runId: number | undefined): Promise<FiringOutcome> {
  const { deps, job, fields } = ctx;
  const took = (run.finishedAt ?? Date.now()) - run.startedAt;
  await markOutcome(ctx, { status: run.status === 'succeeded' || run.status === 'cancelled' ? run.status : 'failed', runId, error: run.error });
  if (run.status === 'succeeded') {
    deps.log.info({ ...fields, runId, ms: took }, `run ${runId} of ${job.name} succeeded`);
    alert(ctx, finalOutcome(ctx, runId, 'succeeded'));
    return { kind: 'succeeded', runId };
  }
  if (run.status === 'cancelled') {
    deps.log.warn({ ...fields, runId, ms: took }, `run ${runId} of ${job.name} cancelled`);
    return { kind: 'cancelled', runId };
  }
  const error = run.error ?? `job '${job.name}' failed`;
  const retry = run.nodes.every((n) => n.fatal === null || n.fatalRetryable !== false);
  deps.log.error({ ...fields, runId, ms: took, retry }, `run ${runId} of ${job.name} failed: ${error.split('\n')[0]}`);
  if (finalFailure(ctx, retry)) alert(ctx, finalOutcome(ctx, runId, 'failed', { error, retryable: retry }));
  return { kind: 'failed', runId, error, retry };
}

/** The run could not be run at all (a missing service, an invalid graph, the store down). */
async function failBeforeRun(ctx: FiringContext, error: unknown): Promise<FiringOutcome> {
  const { firing } = ctx;
  const message = `job '${ctx.job.name}': ${describeError(error)}`;
  ctx.deps.log.error({ ...ctx.fields }, message);
  await markOutcome(ctx, { status: 'failed', runId: firing.runId, error: message });
  const retry = retryable(error);
  if (finalFailure(ctx, retry)) alert(ctx, finalOutcome(ctx, firing.runId, 'failed', { error: message, retryable: retry }));
  return { kind: 'failed', runId: firing.runId, error: message, retry };
}

/** The window a firing reads: its partition's, or the one current at the instant the schedule meant. */
function windowOf(firing: Firing, partition: Partition | undefined, deps: FiringDeps): ReadWindow {
  return partition === undefined ? currentWindow(firing.scheduledFor, deps.timeZone) : partitionWindow(partition, deps.timeZone, (deps.now ?? Date.now)());
}
