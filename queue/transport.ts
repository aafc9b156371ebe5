// The queue as a transport: what the house asks of it (queue runs, take them back, count them, keep the job schedules, run workers), whatever carries it.
import type { Firing, FiringHandler } from '../execution/firing.js';
import type { RunTrigger } from '../runs/run-store.js';

export type LogLevel = 'info' | 'warn' | 'error';
export type LogFn = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

/** The queue name when none is configured. */
export const DEFAULT_QUEUE = 'etl';

/** Where the queue is; the URL's scheme chooses the transport (see openQueueTransport). */
export interface QueueConnectionOptions {
  readonly url: string;
  /** Queue name (default 'etl'). */
  readonly queue?: string;
  /** Key prefix of the queue's data (the transport's default); tests use a random one. */
  readonly prefix?: string;
  readonly onLog?: LogFn;
}

/** The states counted by QueueTransport.counts (the UI's queue page and etl_queue_jobs{state}). */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];
export type QueueStateCounts = Readonly<Record<QueueState, number>>;

/** A manual or backfill run handed to the queue; its run record exists already. */
export interface ManualFiring {
  readonly job: string;
  /** The run record created when the run was asked for; names the run in the queue. */
  readonly runId: number;
  readonly trigger: Extract<RunTrigger, 'manual' | 'backfill'>;
  /** The instant the run is for (default: now, when it was asked for). */
  readonly scheduledFor?: number;
  /** Retries after a failed attempt (default 0). */
  readonly retries?: number;
  readonly retryDelayMs?: number;
}

/** A job's schedule as the queue fires it (scheduler/schedule.ts's JobSchedule fits as it is). */
export interface QueueSchedule {
  readonly job: string;
  /** 5 or 6 fields (leading seconds). */
  readonly cron: string;
  /** IANA time zone the cron is read in. */
  readonly timeZone: string;
  /** Retries after a failed attempt (attempts = retries + 1). */
  readonly retries: number;
  /** First retry delay; doubles per retry. */
  readonly retryDelayMs: number;
}

export interface SyncResult {
  /** Schedules created or changed. */
  readonly upserted: string[];
  /** Schedules of jobs that lost theirs. */
  readonly removed: string[];
  /** Schedules already as wanted, with their next firing in place: left alone. */
  readonly unchanged: string[];
}

export interface QueueWorkerOptions {
  /** Firings run at once by this process. */
  readonly concurrency: number;
  readonly handler: FiringHandler;
  /** How long a run's lock lives without renewal; a worker gone longer loses the run (default 30 000 ms). */
  readonly lockDurationMs?: number;
  /** How often this worker looks for runs whose worker is gone (default 30 000 ms). */
  readonly stalledIntervalMs?: number;
  /** Recoveries a run may have before it is failed instead (default 1). */
  readonly maxStalledCount?: number;
  /** After the grace of close(): how long aborted handlers get to record the cancel (default 5000 ms). */
  readonly abortWaitMs?: number;
  /** Shown in the queue and the logs (default `<host>-<pid>`). */
  readonly workerName?: string;
}

export interface ActiveFiring {
  /** The run's id in the queue. */
  readonly jobId: string;
  readonly firing: Firing;
  readonly startedAt: number;
}

export interface QueueWorker {
  readonly name: string;
  /** Resolves once the worker is taking runs. */
  waitUntilReady(): Promise<void>;
  activeFirings(): ActiveFiring[];
  /** Aborts the signal of the active firing of run `runId` in this process; false when it runs elsewhere or not at all. */
  cancelRun(runId: number, reason?: string): boolean;
  /**
   * Stops taking runs, lets active ones finish for `graceMs`, then aborts their signals and waits a little for
   * the handlers to record the cancel. A handler still running after that is left to the queue's recovery.
   */
  close(graceMs: number): Promise<void>;
}

/** One queue. Each call opens and closes what it needs (no connection is held between calls). */
export interface QueueTransport {
  /** The queue's name (for logs and the `queue` label). */
  readonly queue: string;
  /** Queues a manual or backfill run; returns its id in the queue. The same run queued twice is queued once. */
  enqueue(firing: ManualFiring): Promise<string>;
  /** Queues several runs in one round trip (the partitions of a backfill); their ids, in order. */
  enqueueMany(firings: readonly ManualFiring[]): Promise<string[]>;
  /** Takes back a run no worker has taken yet (for cancel); true when it was removed. */
  removeQueued(runId: number): Promise<boolean>;
  counts(): Promise<QueueStateCounts>;
  /** Makes the queue's schedules those given (idempotent; several schedulers may run it at once). */
  syncSchedules(schedules: ReadonlyArray<QueueSchedule>): Promise<SyncResult>;
  /** Starts a worker handing each firing it takes to `options.handler`. */
  startWorker(options: QueueWorkerOptions): QueueWorker;
}
