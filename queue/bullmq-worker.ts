// `etl worker`: takes firings from the BullMQ queue and hands each to the executor (a FiringHandler).
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Firing, FiringHandler, FiringOutcome } from '../execution/firing.js';
import { parseFiringJobData, queueConnection, resolveQueueOptions, scheduledInstant, type FiringJobData, type QueueOptions } from './bullmq-queue.js';
import { closeRedisConnection, type LogFn, type RedisConnection } from './redis-connection.js';

export interface StartWorkerOptions extends QueueOptions {
  /** Firings run at once by this process. */
  readonly concurrency: number;
  readonly handler: FiringHandler;
  /** How long a job's lock lives without renewal; a worker gone longer loses the job (default 30 000 ms). */
  readonly lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker is gone (default 30 000 ms). */
  readonly stalledIntervalMs?: number;
  /** Recoveries a job may have before it is failed instead (default 1). */
  readonly maxStalledCount?: number;
  /** After the grace of close(): how long aborted handlers get to record the cancel (default 5000 ms). */
  readonly abortWaitMs?: number;
  /** Shown in BullMQ (processedBy) and the logs (default `<host>-<pid>`). */
  readonly workerName?: string;
}

/** What a job that did not fail returns (BullMQ stores it as the job's return value). */
export interface FiringSummary {
  readonly kind: 'succeeded' | 'skipped' | 'cancelled';
  readonly runId: number;
  readonly why?: string;
}

export interface ActiveFiring {
  readonly jobId: string;
  readonly firing: Firing;
  readonly startedAt: number;
}

export interface WorkerHandle {
  readonly name: string;
  /** Resolves once both Redis connections are up (the worker is taking jobs). */
  waitUntilReady(): Promise<void>;
  activeFirings(): ActiveFiring[];
  /** Aborts the signal of an active job of this process; false when it runs elsewhere or not at all. */
  cancelJob(jobId: string, reason?: string): boolean;
  /** cancelJob for the job of run `runId`. */
  cancelRun(runId: number, reason?: string): boolean;
  /**
   * Stops taking jobs, lets active ones finish for `graceMs`, then aborts their signals and waits up to
   * `abortWaitMs` for the handlers to record the cancel, then closes the connections. A handler still running
   * after that is left behind (exit the process after close): its job's lock expires and stalled-job recovery
   * gives the job to another worker.
   */
  close(graceMs: number): Promise<void>;
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

interface Running {
  readonly jobId: string;
  readonly firing: Firing;
  readonly startedAt: number;
  readonly controller: AbortController;
}

const DEFAULT_LOCK_MS = 30_000;
const DEFAULT_STALLED_INTERVAL_MS = 30_000;
const DEFAULT_ABORT_WAIT_MS = 5000;

function positive(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!Number.isFinite(chosen) || chosen <= 0) throw new Error(`startWorker: ${name} ${chosen} is not a positive number`);
  return chosen;
}

/** True when `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What the processor, the event logs and close() share. */
interface WorkerContext {
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
  };
}

/** The BullMQ processor: runs the handler, then returns a summary or throws what makes BullMQ retry or not. */
function firingProcessor(ctx: WorkerContext) {
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
    const fields = { queue, jobId, job: firing.job, trigger: firing.trigger, attempt: firing.attempt, scheduledFor: new Date(firing.scheduledFor).toISOString(), runId: firing.runId };
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

function logWorkerEvents(worker: Worker<FiringJobData, FiringSummary>, ctx: WorkerContext): void {
  const { queue, name, onLog, connection } = ctx;
  worker.on('error', (error: Error) => {
    // During an outage every retried command errors: the connection monitor logs the outage once instead.
    if (connection.isOutageError(error)) return;
    onLog('error', 'bullmq worker error', { queue, worker: name, error: connection.mask(error.message) });
  });
  worker.on('stalled', (jobId: string) => {
    onLog('warn', 'job stalled: its worker stopped renewing the lock; back in the queue for another worker', { queue, jobId, worker: name });
  });
  worker.on('failed', (job: Job<FiringJobData> | undefined, error: Error) => {
    if (ctx.ownErrors.has(error)) return;
    // Failed by BullMQ itself, e.g. stalled more often than maxStalledCount.
    onLog('error', 'job failed', { queue, jobId: job?.id, job: job?.name, error: connection.mask(error.message) });
  });
  worker.on('lockRenewalFailed', (jobIds: string[]) => {
    onLog('warn', 'job lock renewal failed: another worker may take these jobs', { queue, jobIds, worker: name });
  });
}

/** close(graceMs) of startWorker; see WorkerHandle.close. */
async function shutDown(worker: Worker<FiringJobData, FiringSummary>, ctx: WorkerContext, graceMs: number, abortWaitMs: number): Promise<void> {
  const { queue, name, onLog, connection, running } = ctx;
  onLog('info', 'bullmq worker closing', { queue, worker: name, active: running.size, graceMs });
  // pause() stops fetching (it interrupts the blocking fetch) and resolves once every job taken is finished,
  // in Redis too (completed / failed / delayed for retry). close() cannot be used for this: it waits with no
  // limit, and a later close(true) returns the same pending promise instead of forcing.
  const paused = worker.pause().catch((error: unknown) => {
    onLog('warn', 'bullmq worker: pause failed', { queue, worker: name, error: connection.mask(messageOf(error)) });
  });
  let finished = await settlesWithin(paused, graceMs);
  ctx.closingReason = new WorkerClosingError(`worker ${name} closing: grace of ${graceMs} ms over`);
  // No handler left but pause() pending: Redis is out of reach (pause waits for the connection), nothing to wait for.
  if (!finished && running.size > 0) {
    const aborted = [...running.values()];
    for (const run of aborted) run.controller.abort(ctx.closingReason);
    onLog('warn', 'grace over, aborting active jobs', { queue, worker: name, jobIds: aborted.map((run) => run.jobId), abortWaitMs });
    finished = await settlesWithin(paused, abortWaitMs);
    if (!finished && running.size > 0) {
      onLog('warn', 'jobs did not stop after abort: left to stalled-job recovery', { queue, worker: name, jobIds: [...running.keys()] });
    }
  }
  connection.markClosing();
  try {
    // Graceful when nothing is left (BullMQ finishes its last Redis writes); forced otherwise.
    await worker.close(!finished);
  } catch (error) {
    onLog('warn', 'bullmq worker: close failed', { queue, worker: name, error: connection.mask(messageOf(error)) });
  }
  await closeRedisConnection(connection);
  onLog('info', 'bullmq worker closed', { queue, worker: name });
}

/** Starts a worker on the queue of `options`; it takes jobs as soon as Redis is reachable. */
export function startWorker(options: StartWorkerOptions): WorkerHandle {
  const resolved = resolveQueueOptions(options);
  if (!Number.isSafeInteger(options.concurrency) || options.concurrency < 1) {
    throw new Error(`startWorker: concurrency ${options.concurrency} is not a positive integer`);
  }
  const lockDuration = positive('lockDurationMs', options.lockDurationMs, DEFAULT_LOCK_MS);
  const stalledInterval = positive('stalledIntervalMs', options.stalledIntervalMs, DEFAULT_STALLED_INTERVAL_MS);
  const abortWaitMs = options.abortWaitMs ?? DEFAULT_ABORT_WAIT_MS;
  const maxStalledCount = options.maxStalledCount ?? 1;
  if (!Number.isSafeInteger(maxStalledCount) || maxStalledCount < 1) {
    throw new Error(`startWorker: maxStalledCount ${maxStalledCount} must allow at least one recovery`);
  }
  const ctx: WorkerContext = {
    queue: resolved.queue,
    name: options.workerName ?? `${hostname()}-${process.pid}`,
    onLog: resolved.onLog,
    handler: options.handler,
    // BullMQ duplicates this template into its command and blocking connections (both watched for outages).
    connection: queueConnection(resolved, 'worker'),
    running: new Map(),
    ownErrors: new WeakSet(),
    closingReason: undefined,
  };
  const { queue, name, onLog, connection, running } = ctx;

  const worker = new Worker<FiringJobData, FiringSummary>(queue, firingProcessor(ctx), {
    connection,
    prefix: resolved.prefix,
    name,
    concurrency: options.concurrency,
    lockDuration,
    stalledInterval,
    maxStalledCount,
  });
  logWorkerEvents(worker, ctx);

  const ready = worker.waitUntilReady().then(
    () => onLog('info', 'bullmq worker started', { queue, prefix: resolved.prefix, worker: name, concurrency: options.concurrency, lockDurationMs: lockDuration, stalledIntervalMs: stalledInterval, redis: connection.mask(resolved.redisUrl) }),
    (error: unknown) => {
      onLog('error', 'bullmq worker could not start', { queue, worker: name, error: connection.mask(messageOf(error)) });
      throw error;
    },
  );
  ready.catch(() => {});

  function cancelJob(jobId: string, reason?: string): boolean {
    const run = running.get(jobId);
    if (run === undefined || run.controller.signal.aborted) return false;
    run.controller.abort(new FiringCancelledError(reason ?? `job ${jobId} cancelled`));
    onLog('info', 'job cancel requested', { queue, jobId, job: run.firing.job, runId: run.firing.runId });
    return true;
  }

  let closing: Promise<void> | undefined;
  return {
    name,
    waitUntilReady: () => ready,
    activeFirings: () => [...running.values()].map(({ jobId, firing, startedAt }) => ({ jobId, firing, startedAt })),
    cancelJob,
    cancelRun(runId, reason) {
      for (const run of running.values()) {
        if (run.firing.runId === runId) return cancelJob(run.jobId, reason);
      }
      return false;
    },
    close(graceMs) {
      closing ??= shutDown(worker, ctx, graceMs, abortWaitMs);
      return closing;
    },
  };
}
