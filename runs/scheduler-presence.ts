// Whether an embedded scheduler is running on this database, apart from the runs it runs: it beats every
// few seconds, and `etl trigger` (and a backfill from the web UI) queue a run for it only while it does.
import type { ProcessIdentity } from '../embedded/process-identity.js';

/** An embedded scheduler that has not beaten for this long is gone. */
export const STALE_SCHEDULER_MS = 15_000;

/** The process of a live embedded scheduler. */
export interface SchedulerProcess {
  readonly host: string;
  readonly pid: number;
}

export interface SchedulerPresence {
  /** An embedded scheduler says it is alive (every few seconds), so `etl trigger` queues runs for it. */
  beat(owner: ProcessIdentity): Promise<void>;
  /** The embedded scheduler that beat within the last STALE_SCHEDULER_MS, if any. */
  live(): Promise<SchedulerProcess | undefined>;
}
