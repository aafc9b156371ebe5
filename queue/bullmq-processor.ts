// The BullMQ processor of `etl worker`: a job turned into a Firing, handed to the FiringHandler, its outcome turned into what makes BullMQ retry or not.
import { UnrecoverableError, type Job } from 'bullmq';
import type { Firing, FiringHandler, FiringOutcome } from '../execution/firing.js';
import { parseFiringJobData, scheduledInstant, type FiringJobData } from './bullmq-queue.js';
import type { RedisConnection } from './redis-connection.js';
import type { LogFn } from './transport.js';

/** What a job that did not fail returns (BullMQ stores it as the job's return value). */
export interface FiringSummary {
  readonly kind: 'succeeded' | 'skipped' | 'cancelled';
  /** As the outcome says (none for a firing another scheduler recorded already). */
  readonly runId: number | undefined;
  readonly why?: string;
}

/** The abort reason of a firing whose worker closed before it finished. */
export class WorkerClosingError extends Error {
  override readonly name = 'WorkerClosingError';
}

/** The abort reason of a firing cancelled through cancelJob / cancelRun. */
export class FiringCancelledError extends Error {
  override readonly name = 'FiringCancelledError';
}

/** A failed outcome that may be retried: BullMQ retries it per the job's attempts and backoff. */
export class RetryableFiringError extends Error {
  override readonly name = 'RetryableFiringError';
}

/** A job whose handler runs in this process. */
export interface Running {
  readonly jobId: string;
  readonly firing: Firing;
  readonly startedAt: number;
  readonly controller: AbortController;
}

/** The message of a thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What the processor, the event logs and close() share. */
export interface WorkerContext {
  readonly queue: string;
  readonly name: string;
  readonly onLog: LogFn;
  readonly handler: FiringHandler;
  readonly connection: RedisConnection;
  /** Jobs whose handler runs in this process, by BullMQ job id. */
  readonly running: Map<string, Running>;
  /** Errors thrown by our processor: already logged, not logged again from the 'failed' event. */
  readonly ownErrors: WeakSet<Error>;
  /** Set when close() ran out of grace: a job taken after that starts aborted. */
  closingReason: WorkerClosingError | undefined;
}

/**
 * Whether BullMQ gives this job again after its worker stopped renewing the lock (killed, stalled): it was
 * started more often than it ended (attemptsMade counts ended attempts; a stall does not), or stalled before.
 */
export function isRedelivery(job: Pick<Job, 'attemptsStarted' | 'attemptsMade' | 'stalledCounter'>): boolean {
  return job.stalledCounter > 0 || job.attemptsStarted > job.attemptsMade + 1;
}

/** The Firing of a BullMQ job: attempt from attemptsMade, trigger 'retry' after the first attempt. */
function firingOf(job: Job<FiringJobData>, jobId: string): Firing {
  const data = parseFiringJobData(jobId, job.data);
  const attempt = job.attemptsMade + 1;
  return {
    job: data.job,
    trigger: attempt > 1 ? 'retry' : data.trigger,
    scheduledFor: scheduledInstant(job, data),
    attempt,
    ...(data.runId === undefined ? {} : { runId: data.runId }),
    ...(isRedelivery(job) ? { redelivered: true } : {}),
  };
}

/** The BullMQ processor: runs the handler, then returns a summary or throws what makes BullMQ retry or not. */
export function firingProcessor(ctx: WorkerContext) {
  const { queue, onLog } = ctx;
  return async function processFiring(job: Job<FiringJobData>, _token?: string, bullSignal?: AbortSignal): Promise<FiringSummary> {
    const jobId = job.id ?? '(no id)';
    let firing: Firing;
    try {
      firing = firingOf(job, jobId);
    } catch (error) {
      const unrecoverable = new UnrecoverableError(messageOf(error));
      ctx.ownErrors.add(unrecoverable);
      onLog('error', 'job failed, not retried', { queue, jobId, job: job.name, error: unrecoverable.message });
      throw unrecoverable;
    }
    const attempts = job.opts.attempts ?? 1;
    const controller = new AbortController();
    if (ctx.closingReason !== undefined) controller.abort(ctx.closingReason);
    // BullMQ's own signal (Worker#cancelJob) aborts ours too.
    const onCancel = (): void => controller.abort(bullSignal?.reason ?? new FiringCancelledError(`job ${jobId} cancelled`));
    bullSignal?.addEventListener('abort', onCancel, { once: true });
    const startedAt = Date.now();
    ctx.running.set(jobId, { jobId, firing, startedAt, controller });
    const fields = { queue, jobId, job: firing.job, trigger: firing.trigger, attempt: firing.attempt, scheduledFor: new Date(firing.scheduledFor).toISOString(), runId: firing.runId, ...(firing.redelivered ? { redelivered: true } : {}) };
    onLog('info', 'job started', fields);
    let outcome: FiringOutcome;
    try {
      outcome = await ctx.handler(firing, controller.signal);
    } catch (error) {
      // The executor reports failures as outcomes; a throw is a bug there: retried like any failure.
      const thrown = error instanceof Error ? error : new Error(String(error));
      ctx.ownErrors.add(thrown);
      onLog('error', 'job handler threw', { ...fields, ms: Date.now() - startedAt, error: thrown.message, retried: firing.attempt < attempts });
      throw thrown;
    } finally {
      ctx.running.delete(jobId);
      bullSignal?.removeEventListener('abort', onCancel);
    }
    const done = { ...fields, ms: Date.now() - startedAt, outcome: outcome.kind, runId: outcome.runId };
    if (outcome.kind === 'failed') {
      if (outcome.retry && firing.attempt < attempts) {
        onLog('warn', 'job failed, will be retried', { ...done, attempts, error: outcome.error });
      } else {
        onLog('error', 'job failed, not retried', { ...done, attempts, error: outcome.error, why: outcome.retry ? 'no attempts left' : 'not retryable' });
      }
      const error = outcome.retry ? new RetryableFiringError(outcome.error) : new UnrecoverableError(outcome.error);
      ctx.ownErrors.add(error);
      throw error;
    }
    onLog('info', 'job finished', done);
    return outcome.kind === 'skipped' ? { kind: outcome.kind, runId: outcome.runId, why: outcome.why } : { kind: outcome.kind, runId: outcome.runId };
  };
}
