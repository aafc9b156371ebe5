// A firing: one request to run a job (from a schedule, a person, a retry), as the embedded scheduler and the
// BullMQ workers both hand it to the same executor (createFiringHandler in execution/run-firing.ts).
import type { RunTrigger } from '../runs/run-store.js';

export interface Firing {
  /** Job name (the registry's). */
  readonly job: string;
  readonly trigger: RunTrigger;
  /** The instant the schedule meant (epoch ms); for a manual run, when it was asked for. */
  readonly scheduledFor: number;
  /** 1 for the first attempt, 2 for the first retry, ... */
  readonly attempt: number;
  /** The run record created when the run was queued (manual triggers record at once), if any. */
  readonly runId?: number;
  /**
   * A queue gave this firing again after the worker that had it stopped renewing its lock (killed, stalled):
   * a run that attempt left running is waited for until it is provably gone, not a reason to skip.
   */
  readonly redelivered?: boolean;
}

/** How a firing ended, for the scheduler or queue to decide on a retry. */
export type FiringOutcome =
  | { readonly kind: 'succeeded'; readonly runId: number | undefined }
  /** runId: none when another scheduler recorded this firing already. */
  | { readonly kind: 'skipped'; readonly runId: number | undefined; readonly why: string }
  | { readonly kind: 'cancelled'; readonly runId: number | undefined }
  /** `retry`: false for configuration errors and UnrecoverableError-like failures. */
  | { readonly kind: 'failed'; readonly runId: number | undefined; readonly error: string; readonly retry: boolean };

/** Runs one firing to its end (records it, guards against a second run of the job, runs it). */
export type FiringHandler = (firing: Firing, signal: AbortSignal) => Promise<FiringOutcome>;

/** What the executor needs of a job's schedule (scheduler/schedule.ts's JobSchedule fits as it is). */
export interface RunPolicy {
  /** Attempts after a failed one. */
  readonly retries: number;
  /** A run taking longer fails ("timed out after ..."), ms. */
  readonly timeoutMs?: number;
}
