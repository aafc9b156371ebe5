// `etl worker`: takes firings from the BullMQ queue and hands each to the executor (a FiringHandler).
import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import { queueConnection, resolveQueueOptions, type FiringJobData, type QueueOptions, type ResolvedQueueOptions } from './bullmq-queue.js';
import { FiringCancelledError, firingProcessor, messageOf, WorkerClosingError, type FiringSummary, type WorkerContext } from './bullmq-processor.js';
import { closeRedisConnection } from './redis-connection.js';
import type { QueueWorker, QueueWorkerOptions } from './transport.js';

/** `workerName` is shown in BullMQ as processedBy. */
export interface StartWorkerOptions extends QueueOptions, QueueWorkerOptions {}

/**
 * close(graceMs): stops taking jobs, lets active ones finish for `graceMs`, then aborts their signals and waits
 * up to `abortWaitMs` for the handlers to record the cancel, then closes the connections. A handler still
 * running after that is left behind (exit the process after close): its job's lock expires and stalled-job
 * recovery gives the job to another worker. waitUntilReady: both Redis connections are up.
 */
export interface WorkerHandle extends QueueWorker {
  /** Aborts the signal of an active job of this process; false when it runs elsewhere or not at all. */
  cancelJob(jobId: string, reason?: string): boolean;
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

interface WorkerSettings {
  readonly lockDuration: number;
  readonly stalledInterval: number;
  readonly maxStalledCount: number;
  readonly abortWaitMs: number;
}

/** The numbers of `options`, checked, defaults applied. */
function workerSettings(options: StartWorkerOptions): WorkerSettings {
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
  return { lockDuration, stalledInterval, maxStalledCount, abortWaitMs };
}

function workerContext(options: StartWorkerOptions, resolved: ResolvedQueueOptions): WorkerContext {
  return {
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
}

/** The handle of a started worker: its active firings, cancel, close. */
function workerHandle(worker: Worker<FiringJobData, FiringSummary>, ctx: WorkerContext, ready: Promise<void>, abortWaitMs: number): WorkerHandle {
  const { queue, name, onLog, running } = ctx;
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

/** Starts a worker on the queue of `options`; it takes jobs as soon as Redis is reachable. */
export function startWorker(options: StartWorkerOptions): WorkerHandle {
  const resolved = resolveQueueOptions(options);
  const settings = workerSettings(options);
  const ctx = workerContext(options, resolved);
  const { queue, name, onLog, connection } = ctx;

  const worker = new Worker<FiringJobData, FiringSummary>(queue, firingProcessor(ctx), {
    connection,
    prefix: resolved.prefix,
    name,
    concurrency: options.concurrency,
    lockDuration: settings.lockDuration,
    stalledInterval: settings.stalledInterval,
    maxStalledCount: settings.maxStalledCount,
  });
  logWorkerEvents(worker, ctx);

  const ready = worker.waitUntilReady().then(
    () => onLog('info', 'bullmq worker started', { queue, prefix: resolved.prefix, worker: name, concurrency: options.concurrency, lockDurationMs: settings.lockDuration, stalledIntervalMs: settings.stalledInterval, redis: connection.mask(resolved.redisUrl) }),
    (error: unknown) => {
      onLog('error', 'bullmq worker could not start', { queue, worker: name, error: connection.mask(messageOf(error)) });
      throw error;
    },
  );
  ready.catch(() => {});
  return workerHandle(worker, ctx, ready, settings.abortWaitMs);
}
