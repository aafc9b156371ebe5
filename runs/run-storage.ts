// Where runs and the state around them are kept, as three narrow stores on one database (Dagster keeps its
// RunStorage apart from instance-level state): a caller takes only the member it uses.
import type { JobStateStore } from './job-state.js';
import type { RunStore } from './run-store.js';
import type { SchedulerPresence } from './scheduler-presence.js';

export interface RunStorage {
  /** The run records. */
  readonly runs: RunStore;
  /** Which jobs are paused. */
  readonly jobs: JobStateStore;
  /** Whether an embedded scheduler is running. */
  readonly scheduler: SchedulerPresence;
}
