// The BullMQ queue of the distributed mode: its options, the data a queued firing carries, the instant a job meant.
import { Queue, type Job } from 'bullmq';
import { RUN_TRIGGERS, type RunTrigger } from '../runs/run-store.js';
import { closeRedisConnection, createRedisConnection, type RedisConnection, type RedisRole } from './redis-connection.js';
import { DEFAULT_QUEUE, type LogFn } from './transport.js';

export type { LogFn, LogLevel } from './transport.js';

export const DEFAULT_PREFIX = 'bull'; // config/schema.ts's DEFAULT_QUEUE_PREFIX (queue/ may not import config/)

export interface QueueOptions {
  readonly redisUrl: string;
  /** Queue name (default 'etl'). */
  readonly queue?: string;
  /** BullMQ key prefix (default 'bull'); tests use a random one. */
  readonly prefix?: string;
  readonly onLog?: LogFn;
}

/**
 * What a queued firing carries: a Firing without `attempt` (the worker counts attempts from the job). Jobs made
 * by a job scheduler carry `{ job, trigger: 'schedule' }` only: their `scheduledFor` comes from the job id.
 */
export interface FiringJobData {
  readonly job: string;
  readonly trigger: RunTrigger;
  readonly scheduledFor?: number;
  /** Not read: the worker counts attempts itself (job.attemptsMade + 1), which a retry cannot get wrong. */
  readonly attempt?: number;
  readonly runId?: number;
}

/** A job whose data is not a firing (written by something else, or a different version): never retried. */
export class FiringDataError extends Error {
  override readonly name = 'FiringDataError';
}

const TRIGGERS: ReadonlySet<string> = new Set<RunTrigger>(RUN_TRIGGERS);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOptionalInteger(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isSafeInteger(value));
}

/** `data` of BullMQ job `jobId`, checked; throws FiringDataError naming the job and the field. */
export function parseFiringJobData(jobId: string, data: unknown): FiringJobData {
  const where = `bullmq job ${jobId}`;
  if (!isRecord(data)) throw new FiringDataError(`${where}: data is not an object`);
  const { job, trigger, scheduledFor, attempt, runId } = data;
  if (typeof job !== 'string' || job === '') throw new FiringDataError(`${where}: data.job is not a job name`);
  if (typeof trigger !== 'string' || !TRIGGERS.has(trigger)) {
    throw new FiringDataError(`${where}: data.trigger ${JSON.stringify(trigger)} is not one of ${[...TRIGGERS].join(', ')}`);
  }
  if (!isOptionalInteger(scheduledFor)) throw new FiringDataError(`${where}: data.scheduledFor is not epoch ms`);
  if (!isOptionalInteger(attempt)) throw new FiringDataError(`${where}: data.attempt is not an integer`);
  if (!isOptionalInteger(runId)) throw new FiringDataError(`${where}: data.runId is not an integer`);
  return data as unknown as FiringJobData;
}

/**
 * The instant a job meant (epoch ms), for Firing.scheduledFor.
 *
 * Jobs made by a job scheduler: BullMQ names each one `repeat:<schedulerId>:<millis>`, where `<millis>` is the
 * slot the Lua script (addJobScheduler / updateJobScheduler) stored the job under, i.e. the instant the
 * schedule meant; the id survives retries and stalled-job recovery. It is the primary source. The job's
 * `opts.prevMillis` holds the same value for cron patterns, but it is computed in JavaScript before the script
 * runs, and for `every` schedulers the script may move the slot (existing job replaced, slot collisions), so it
 * is only the fallback. `timestamp + opts.delay` is worse: `timestamp` is when the job was created, `delay` is
 * clamped to 0 for an overdue slot, and the Job returned by upsertJobScheduler has a different timestamp than
 * the stored one. Manual and backfill jobs carry `data.scheduledFor`; the last fallback is the job's creation.
 */
export function scheduledInstant(job: Pick<Job, 'id' | 'repeatJobKey' | 'opts' | 'timestamp'>, data: FiringJobData): number {
  if (data.scheduledFor !== undefined) return data.scheduledFor;
  if (job.repeatJobKey !== undefined && job.id !== undefined) {
    const slotPrefix = `repeat:${job.repeatJobKey}:`;
    if (job.id.startsWith(slotPrefix)) {
      const millis = job.id.slice(slotPrefix.length);
      if (/^\d+$/.test(millis)) return Number(millis);
    }
  }
  const prevMillis = job.opts.prevMillis;
  if (typeof prevMillis === 'number' && Number.isFinite(prevMillis)) return prevMillis;
  return job.timestamp;
}

/** The BullMQ job id of a manual or backfill run: from its run id, without ':' (BullMQ rejects it). */
export function manualJobId(runId: number): string {
  if (!Number.isSafeInteger(runId) || runId < 0) throw new Error(`bullmq queue: run id ${runId} is not a non-negative integer`);
  return `run-${runId}`;
}

export interface ResolvedQueueOptions {
  readonly redisUrl: string;
  readonly queue: string;
  readonly prefix: string;
  readonly onLog: LogFn;
}

/** Defaults applied and names checked (BullMQ refuses ':' in queue names). */
export function resolveQueueOptions(options: QueueOptions): ResolvedQueueOptions {
  const queue = options.queue ?? DEFAULT_QUEUE;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (queue === '' || queue.includes(':')) throw new Error(`bullmq queue: queue name ${JSON.stringify(queue)} must be non-empty, without ':'`);
  if (prefix === '') throw new Error('bullmq queue: prefix must be non-empty');
  return { redisUrl: options.redisUrl, queue, prefix, onLog: options.onLog ?? (() => {}) };
}

/** A new ioredis connection for this queue, named `<prefix>:<queue>:etl-<role>` in CLIENT LIST. */
export function queueConnection(options: ResolvedQueueOptions, role: RedisRole): RedisConnection {
  return createRedisConnection({
    redisUrl: options.redisUrl,
    role,
    connectionName: `${options.prefix}:${options.queue}:etl-${role}`,
    onLog: options.onLog,
  });
}

/**
 * Runs `use` with a Queue of its own connection, then closes both (no handle left open), also on error.
 * Errors are rethrown with the Redis URL masked.
 */
export async function withQueue<T>(options: QueueOptions, use: (queue: Queue<FiringJobData>) => Promise<T>): Promise<T> {
  const resolved = resolveQueueOptions(options);
  const connection = queueConnection(resolved, 'queue');
  const queue = new Queue<FiringJobData>(resolved.queue, { connection, prefix: resolved.prefix });
  queue.on('error', (error: Error) => {
    // Connection errors reach the caller (rethrown below) and the outage logs: not logged once per retry.
    if (!connection.isOutageError(error)) resolved.onLog('error', 'bullmq queue error', { queue: resolved.queue, error: connection.mask(error.message) });
  });
  try {
    await queue.waitUntilReady();
    return await use(queue);
  } catch (error) {
    if (error instanceof Error) error.message = connection.mask(error.message);
    throw error;
  } finally {
    try {
      await queue.close();
    } catch (error) {
      resolved.onLog('warn', 'bullmq queue: close failed', { queue: resolved.queue, error: connection.mask(String(error)) });
    }
    await closeRedisConnection(connection);
  }
}
