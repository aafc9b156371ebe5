// Where runs are recorded (Dagster's RunStorage): one interface, in-memory and SQL implementations. Runs
// only: the paused state of jobs (job-state.ts) and the embedded scheduler's liveness
// (scheduler-presence.ts) are stores of their own, the three opened together (run-storage.ts).
// A run is recorded when it is queued, before its graph exists; `start` claims it for a process (at most
// one run of a job is running at a time: a second start is recorded skipped); the engine's events then
// carry it to its end. A record left in progress by a process that is gone is closed as failed by the next
// process that opens the store (closeOrphans): on the same host when its PID is gone or reused, on any
// host when its heartbeat stopped.
import { RUN_STATUSES, type JobRun, type NodeRun } from '../graph/run-status.js';
import type { ProcessIdentity } from '../embedded/process-identity.js';

/** What started a run: the one list (adding a trigger starts here; the SQL store refuses values not in it). */
export const RUN_TRIGGERS = ['manual', 'schedule', 'backfill', 'retry'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/** A record's state: the engine's run states, plus skipped (a firing that found its job running or paused). */
export const RECORD_STATUSES = [...RUN_STATUSES, 'skipped'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];
/** The finished group: a record in one of these states does not change any more. */
export type FinishedRecordStatus = Exclude<RecordStatus, 'queued' | 'running'>;
export const FINISHED_RECORD_STATUSES: ReadonlySet<RecordStatus> = new Set<FinishedRecordStatus>(['succeeded', 'failed', 'cancelled', 'skipped']);

export function isRunTrigger(value: string): value is RunTrigger {
  return RUN_TRIGGERS.some((trigger) => trigger === value);
}

export function isRecordStatus(value: string): value is RecordStatus {
  return RECORD_STATUSES.some((status) => status === value);
}

/** A run about to be run. */
export interface NewRun {
  readonly job: string;
  readonly trigger: RunTrigger;
  /** The process that will run it (none: a run queued for whichever worker takes it). */
  readonly owner?: ProcessIdentity;
  /** Epoch ms (default now). */
  readonly queuedAt?: number;
  /** The instant a schedule meant (epoch ms). */
  readonly scheduledFor?: number;
  /** The time window the run reads, [from, to) epoch ms. */
  readonly window?: { readonly from: number; readonly to: number };
  /** 1 for the first attempt (default). */
  readonly attempt?: number;
  /** Unique per firing: a second create with the same key records nothing (two schedulers, one firing). */
  readonly firingKey?: string;
  /** The partition it runs ('2026-11-10', '2026-11-10T09'): runs of different partitions of a job may run at once. */
  readonly partitionKey?: string;
}

/** A recorded run. Times are epoch ms. */
export interface RunRecord {
  readonly id: number;
  readonly job: string;
  readonly trigger: RunTrigger;
  readonly status: RecordStatus;
  readonly queuedAt: number | null;
  readonly scheduledFor: number | null;
  readonly windowFrom: number | null;
  readonly windowTo: number | null;
  readonly attempt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly nodes: readonly NodeRun[];
  readonly error: string | null;
  /** The host and PID of the process that ran it, when known. */
  readonly host: string | null;
  readonly pid: number | null;
  /** The last lines of the run's log. */
  readonly logTail: readonly string[];
  /** Someone asked to cancel it (`etl cancel`); its process stops it at its next heartbeat. */
  readonly cancelRequested: boolean;
  /** The partition a backfill run covers. */
  readonly partitionKey: string | null;
}

export interface RunFilter {
  readonly job?: string;
  readonly status?: RecordStatus;
  readonly trigger?: RunTrigger;
  /** Only runs with an id below this (the cursor of the next page). */
  readonly beforeId?: number;
  /** Most recent first; default 20. */
  readonly limit?: number;
}

export type StartResult = { readonly started: true } | { readonly started: false; readonly reason: string };

export type CancelResult = 'cancelled' | 'requested' | 'finished' | 'unknown';

/** How long a running record may go without a heartbeat before any process may close it. */
export const STALE_HEARTBEAT_MS = 20_000;
/** How often a running process beats. */
export const HEARTBEAT_MS = 5_000;

export interface RunStore {
  /** Records a new run, status 'queued'; its id, or undefined when its firing key was recorded already. */
  create(run: NewRun): Promise<number | undefined>;
  /**
   * Claims queued run `id` for `owner` and marks it running; when another run of the job is running, the
   * record ends 'skipped' (the reason names that run) and started is false.
   */
  start(id: number, owner: ProcessIdentity): Promise<StartResult>;
  /** Replaces the state of run `id` with the engine's (status, times, per-node stats, error). */
  update(id: number, run: JobRun): Promise<void>;
  /** Ends run `id` outside the engine (it could not start, was skipped, cancelled while queued, ...). */
  finish(id: number, status: FinishedRecordStatus, error: string | null): Promise<void>;
  /** Stores the last lines of the run's log. */
  setLog(id: number, lines: readonly string[]): Promise<void>;
  /** The owner is alive: returns whether a cancel was asked for. */
  heartbeat(id: number): Promise<{ readonly cancelRequested: boolean }>;
  /** Cancels a queued run at once; asks the process of a running one to stop it. */
  requestCancel(id: number): Promise<CancelResult>;
  get(id: number): Promise<RunRecord | undefined>;
  list(filter?: RunFilter): Promise<RunRecord[]>;
  /** Closes as failed every record in progress whose process is gone; returns their ids. */
  closeOrphans(): Promise<number[]>;
}

/** The error recorded on a run whose process died before it finished. */
export function orphanError(owner: { readonly host: string | null; readonly pid: number | null }, why: 'gone' | 'silent' = 'gone'): string {
  const who = owner.pid === null ? 'its process' : `pid ${owner.pid} on ${owner.host ?? 'an unknown host'}`;
  if (why === 'silent') return `process exited before the run finished (worker lost: no heartbeat from ${who} for ${STALE_HEARTBEAT_MS / 1000}s)`;
  return `process exited before the run finished (${who})`;
}
