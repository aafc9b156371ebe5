// The executor of firings, shared by the embedded scheduler and the BullMQ workers: looks the job up,
// records a paused job's firing as skipped, runs the job as a recorded run (one run of a job at a time,
// its schedule's timeout, the window current at the firing) and says whether a failure may be retried.
// A final outcome (succeeded, or failed after the last attempt) is told to the alert sink, unawaited.
import { describeError, GraphError, MissingServiceError, UsageError, type ServiceProviders } from '../graph/index.js';
import type { JobRegistry } from '../jobs/registry.js';
import { currentWindow, type ReadWindow } from '../metrics/window.js';
import type { AlertSink, FinalOutcome } from './final-outcome.js';
import type { Firing, FiringHandler, FiringOutcome, RunPolicy } from './firing.js';
import { markPartitionEnded, markPartitionStarted, markScheduledDay, type MarkOutcome } from './partition-marks.js';
import type { PartitionStore } from '../runs/partition-store.js';
import { parsePartitionKey, partitionWindow, type Partition } from '../runs/partitions.js';
import { RunLog } from './run-log.js';
import { runRecordedJob } from './run-recorded-job.js';
import type { RunStore } from '../runs/run-store.js';

export interface FiringLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface FiringDeps {
  readonly registry: JobRegistry;
  readonly services: ServiceProviders;
  readonly store: RunStore;
  readonly schedules: ReadonlyMap<string, RunPolicy>;
  readonly timeZone: string;
  readonly log: FiringLog;
  /** Firings of the embedded scheduler carry a key, so two schedulers on one database record one run. */
  readonly firingKeys?: boolean;
  /** Told of final outcomes (failure and recovery alerts); never awaited, its failures only logged. */
  readonly alerts?: AlertSink;
  /** Where partition runs (queued backfill runs) and scheduled runs of the current window record their partition. */
  readonly partitions?: PartitionStore;
  /** The clock of partition windows (tests). */
  readonly now?: () => number;
}

/**
 * Tells `deps.alerts` of a final outcome without waiting: a webhook that fails or hangs neither fails nor
 * delays the run, it is logged (its message is already masked by the sink).
 */
function alert(deps: FiringDeps, fields: Record<string, unknown>, outcome: FinalOutcome): void {
  const sink = deps.alerts;
  if (sink === undefined) return;
  let sent: Promise<void>;
  try {
    sent = sink.notify(outcome);
  } catch (error) {
    sent = Promise.reject(error);
  }
  sent.catch((error: unknown) => deps.log.warn({ ...fields, runId: outcome.runId }, `alert not sent: ${error instanceof Error ? error.message : String(error)}`));
}

/** A failure is final when it will not be retried: not retryable, or the schedule's last attempt. */
function finalFailure(firing: Firing, schedule: RunPolicy | undefined, retry: boolean): boolean {
  return !retry || firing.attempt > (schedule?.retries ?? 0);
}

/** Errors that every attempt would hit again: configuration, an invalid graph, a missing service. */
function retryable(error: unknown): boolean {
  return !(error instanceof UsageError || error instanceof GraphError || error instanceof MissingServiceError);
}

export function createFiringHandler(deps: FiringDeps): FiringHandler {
  const { store, log } = deps;
  return async (firing: Firing, signal: AbortSignal): Promise<FiringOutcome> => {
    const fields = { job: firing.job, trigger: firing.trigger, attempt: firing.attempt, scheduledFor: new Date(firing.scheduledFor).toISOString() };
    const job = deps.registry.get(firing.job);
    const schedule = deps.schedules.get(firing.job);
    if (job === undefined) {
      const error = `no job is named '${firing.job}' here (jobs: ${deps.registry.names().join(', ')})`;
      const runId = firing.runId ?? (await store.create({ job: firing.job, trigger: firing.trigger, scheduledFor: firing.scheduledFor, attempt: firing.attempt }));
      if (runId !== undefined) await store.finish(runId, 'failed', error);
      log.error({ ...fields, runId }, error);
      return { kind: 'failed', runId, error, retry: false };
    }
    // A person's request (a manual run, a backfill) runs even when the job is paused; its schedule does not.
    if (firing.trigger !== 'manual' && firing.trigger !== 'backfill' && (await store.pausedJobs()).has(job.name)) {
      const runId = await store.create({ job: job.name, trigger: firing.trigger, scheduledFor: firing.scheduledFor, attempt: firing.attempt, ...key(deps, firing) });
      const why = 'skipped: the job is paused (etl resume to run it again)';
      if (runId !== undefined) await store.finish(runId, 'skipped', why);
      log.info({ ...fields, runId }, why);
      return { kind: 'skipped', runId: runId ?? 0, why };
    }
    // A retry is a new attempt with a record of its own (the queued record, if any, was the first attempt's).
    let queuedRun = firing.attempt > 1 ? undefined : firing.runId;
    let partitionKey: string | null = null;
    if (queuedRun !== undefined) {
      // A queue re-delivers a job whose worker died (a stalled job keeps its attempt number): the first
      // delivery's record is no longer queued, so this run gets a record of its own.
      let record = await store.get(queuedRun);
      if (record?.status === 'running') {
        await store.closeOrphans();
        record = await store.get(queuedRun);
      }
      if (record !== undefined && record.status !== 'queued') {
        log.warn({ ...fields, runId: queuedRun, status: record.status }, `run ${queuedRun} is ${record.status}: this delivery is recorded as a new run`);
        queuedRun = undefined;
      } else {
        partitionKey = record?.partitionKey ?? null;
      }
    }
    const partition = partitionKey === null ? undefined : parsePartitionKey(partitionKey, deps.timeZone);
    if (partitionKey !== null && partition === undefined) {
      const error = `run ${queuedRun}: partition '${partitionKey}' is not a day (day:YYYY-MM-DD) or an hour (hour:YYYY-MM-DDTHH:00+hh:mm) of ${deps.timeZone}`;
      await store.finish(queuedRun!, 'failed', error);
      log.error({ ...fields, runId: queuedRun }, error);
      return { kind: 'failed', runId: queuedRun, error, retry: false };
    }
    const window = job.windowed ? windowOf(firing, partition, deps) : undefined;
    const mark = (outcome: MarkOutcome): Promise<void> => markOutcome(deps, job.name, partition, window, firing, outcome);
    if (partition !== undefined && deps.partitions !== undefined) {
      await markPartitionStarted(deps.partitions, job.name, partition, queuedRun).catch((error: unknown) => log.warn({ ...fields }, `partition ${partition.key} not recorded: ${describeError(error)}`));
    }
    const final = (runId: number | undefined, status: 'succeeded' | 'failed', more: { error?: string; retryable?: boolean } = {}): FinalOutcome => ({
      job: job.name,
      runId,
      status,
      attempt: firing.attempt,
      attempts: (schedule?.retries ?? 0) + 1,
      ...(window === undefined ? {} : { window: window.hours }),
      ...more,
    });
    const runLog = new RunLog();
    try {
      const result = await runRecordedJob({
        job,
        params: (window === undefined ? {} : { window }) as never,
        trigger: firing.trigger,
        services: deps.services,
        store,
        ...(queuedRun === undefined ? {} : { runId: queuedRun }),
        record: { scheduledFor: firing.scheduledFor, attempt: firing.attempt, ...(window ? { window: window.hours } : {}), ...key(deps, firing), ...(partitionKey === null ? {} : { partitionKey }) },
        signal,
        ...(schedule?.timeoutMs === undefined ? {} : { timeoutMs: schedule.timeoutMs }),
        log: runLog,
        onStoreError: (error) => log.warn({ ...fields }, `the run could not be recorded: ${describeError(error)}`),
      });
      const runId = result.recordId ?? 0;
      if (result.status === 'duplicate') return { kind: 'skipped', runId, why: result.reason ?? 'recorded by another scheduler' };
      if (result.status === 'skipped' || result.run === undefined) {
        log.info({ ...fields, runId }, result.reason ?? 'skipped');
        await mark({ status: 'skipped', runId: result.recordId });
        return { kind: 'skipped', runId, why: result.reason ?? 'skipped' };
      }
      const { run } = result;
      const took = (run.finishedAt ?? Date.now()) - run.startedAt;
      await mark({ status: run.status === 'succeeded' || run.status === 'cancelled' ? run.status : 'failed', runId, error: run.error });
      if (run.status === 'succeeded') {
        log.info({ ...fields, runId, ms: took }, `run ${runId} of ${job.name} succeeded`);
        alert(deps, fields, final(runId, 'succeeded'));
        return { kind: 'succeeded', runId };
      }
      if (run.status === 'cancelled') {
        log.warn({ ...fields, runId, ms: took }, `run ${runId} of ${job.name} cancelled`);
        return { kind: 'cancelled', runId };
      }
      const error = run.error ?? `job '${job.name}' failed`;
      const retry = run.nodes.every((n) => n.fatal === null || n.fatalRetryable !== false);
      log.error({ ...fields, runId, ms: took, retry }, `run ${runId} of ${job.name} failed: ${error.split('\n')[0]}`);
      if (finalFailure(firing, schedule, retry)) alert(deps, fields, final(runId, 'failed', { error, retryable: retry }));
      return { kind: 'failed', runId, error, retry };
    } catch (error) {
      const message = `job '${job.name}': ${describeError(error)}`;
      log.error({ ...fields }, message);
      await mark({ status: 'failed', runId: firing.runId, error: message });
      const retry = retryable(error);
      if (finalFailure(firing, schedule, retry)) alert(deps, fields, final(firing.runId, 'failed', { error: message, retryable: retry }));
      return { kind: 'failed', runId: firing.runId, error: message, retry };
    }
  };
}

/** The window a firing reads: its partition's, or the one current at the instant the schedule meant. */
function windowOf(firing: Firing, partition: Partition | undefined, deps: FiringDeps): ReadWindow {
  return partition === undefined ? currentWindow(firing.scheduledFor, deps.timeZone) : partitionWindow(partition, deps.timeZone, (deps.now ?? Date.now)());
}

/** Records the outcome in the partition store (a failure to do so is logged: the run's own record stands). */
async function markOutcome(deps: FiringDeps, job: string, partition: Partition | undefined, window: ReadWindow | undefined, firing: Firing, outcome: MarkOutcome): Promise<void> {
  const parts = deps.partitions;
  if (parts === undefined || window === undefined) return;
  try {
    if (partition !== undefined) await markPartitionEnded(parts, job, partition, outcome);
    else if (firing.trigger === 'schedule' || firing.trigger === 'retry') await markScheduledDay(parts, job, window, outcome);
  } catch (error) {
    deps.log.warn({ job, runId: outcome.runId }, `partition not recorded: ${describeError(error)}`);
  }
}

function key(deps: FiringDeps, firing: Firing): { firingKey?: string } {
  if (!deps.firingKeys || firing.trigger === 'manual') return {};
  return { firingKey: `${firing.job}@${new Date(firing.scheduledFor).toISOString()}#${firing.attempt}` };
}
