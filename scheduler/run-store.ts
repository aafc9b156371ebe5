// Where runs are recorded (Dagster's RunStorage): one interface, in-memory and SQL implementations.
// A run is recorded when it is queued, before its graph exists, by the process that will run it; the
// engine's events then move it to running and to its end. A record left in progress by a process that is
// gone is closed as failed by the next process that opens the store (closeOrphans).
import type { JobRun, NodeRun, RunStatus } from '../graph/index.js';
import type { ProcessIdentity } from '../writers/index.js';

/** What started a run. */
export type RunTrigger = 'manual' | 'schedule' | 'backfill' | 'retry';

/** A run about to be run. */
export interface NewRun {
  readonly job: string;
  readonly trigger: RunTrigger;
  /** The process that will run it (default: none recorded). */
  readonly owner?: ProcessIdentity;
  /** Epoch ms (default now). */
  readonly queuedAt?: number;
}

/** A recorded run: the engine's JobRun plus its id, trigger and owner. Times are epoch ms. */
export interface RunRecord {
  readonly id: number;
  readonly job: string;
  readonly trigger: RunTrigger | string;
  readonly status: RunStatus;
  readonly queuedAt: number | null;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly nodes: readonly NodeRun[];
  readonly error: string | null;
  /** The host and PID of the process that ran it, when known. */
  readonly host: string | null;
  readonly pid: number | null;
}

export interface RunFilter {
  readonly job?: string;
  readonly status?: RunStatus;
  /** Most recent first; default 20. */
  readonly limit?: number;
}

export interface RunStore {
  /** Records a new run, status 'queued'; returns its id. */
  create(run: NewRun): Promise<number>;
  /** Replaces the state of run `id` with the engine's (status, times, per-node stats, error). */
  update(id: number, run: JobRun): Promise<void>;
  /** Ends run `id` that could not run to its end through the engine (its services failed, ...). */
  fail(id: number, status: 'failed' | 'cancelled', error: string): Promise<void>;
  get(id: number): Promise<RunRecord | undefined>;
  list(filter?: RunFilter): Promise<RunRecord[]>;
  /** Closes as failed every queued or running record whose process is gone; returns their ids. */
  closeOrphans(): Promise<number[]>;
}

/** The error recorded on a run whose process died before it finished. */
export function orphanError(owner: { readonly host: string | null; readonly pid: number | null }): string {
  if (owner.pid === null) return 'process exited before the run finished (recorded by an earlier version: owner unknown)';
  return `process exited before the run finished (pid ${owner.pid} on ${owner.host ?? 'an unknown host'})`;
}
