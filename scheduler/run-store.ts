// Where runs are recorded (Dagster's RunStorage): one interface, in-memory and SQL implementations.
import type { JobRun, NodeRun, RunStatus } from '../graph/index.js';

/** What started a run. */
export type RunTrigger = 'manual' | 'schedule' | 'backfill';

/** A recorded run: the engine's JobRun plus its id and trigger. Times are epoch ms. */
export interface RunRecord {
  readonly id: number;
  readonly job: string;
  readonly trigger: RunTrigger | string;
  readonly status: RunStatus;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly nodes: readonly NodeRun[];
  readonly error: string | null;
}

export interface RunFilter {
  readonly job?: string;
  readonly status?: RunStatus;
  /** Most recent first; default 20. */
  readonly limit?: number;
}

export interface RunStore {
  /** Records a new run (usually 'running'); returns its id. */
  create(run: JobRun, trigger: RunTrigger): Promise<number>;
  /** Replaces the state of run `id` (status, finish time, per-node stats, error). */
  update(id: number, run: JobRun): Promise<void>;
  get(id: number): Promise<RunRecord | undefined>;
  list(filter?: RunFilter): Promise<RunRecord[]>;
}
