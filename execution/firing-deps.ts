// What the firing executor is given (the registry, services, stores, policies, log, alert sink) and what
// each of its steps carries about the firing at hand.
import type { ServiceProviders } from '../graph/index.js';
import type { AnyJob, JobRegistry } from '../jobs/registry.js';
import type { ReadWindow } from '../metrics/window.js';
import type { JobStateStore } from '../runs/job-state.js';
import type { PartitionStore } from '../runs/partition-store.js';
import type { Partition } from '../runs/partitions.js';
import type { RunStore } from '../runs/run-store.js';
import type { AlertSink } from './final-outcome.js';
import type { AfterRun } from './run-recorded-job.js';
import type { Firing, RunPolicy } from './firing.js';

export interface FiringLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface FiringDeps {
  readonly registry: JobRegistry;
  readonly services: ServiceProviders;
  readonly store: RunStore;
  /** Which jobs are paused (their scheduled firings are recorded skipped). */
  readonly jobs: Pick<JobStateStore, 'pausedJobs'>;
  readonly schedules: ReadonlyMap<string, RunPolicy>;
  readonly timeZone: string;
  readonly log: FiringLog;
  /** Firings of the embedded scheduler carry a key, so two schedulers on one database record one run. */
  readonly firingKeys?: boolean;
  /** Done after each run that succeeded (the checks on what it wrote): execution/run-recorded-job.ts. */
  readonly afterRun?: AfterRun;
  /** Told of final outcomes (failure and recovery alerts); never awaited, its failures only logged. */
  readonly alerts?: AlertSink;
  /** Where partition runs (queued backfill runs) and scheduled runs of the current window record their partition. */
  readonly partitions?: PartitionStore;
  /** The clock of partition windows (tests). */
  readonly now?: () => number;
  /** How long a redelivered firing waits for its dead attempt's run to be closed, and how often it looks (tests). */
  readonly redeliveryWait?: RedeliveryWait;
}

/** Default: the store's heartbeat staleness plus one heartbeat, looked at every second (execution/dead-attempt.ts). */
export interface RedeliveryWait {
  readonly timeoutMs: number;
  readonly pollMs: number;
}

/** One firing being executed: what every step after the lookup needs. */
export interface FiringContext {
  readonly deps: FiringDeps;
  readonly firing: Firing;
  readonly job: AnyJob;
  /** The log fields of every line about this firing. */
  readonly fields: Record<string, unknown>;
  readonly policy: RunPolicy | undefined;
  readonly partition: Partition | undefined;
  readonly window: ReadWindow | undefined;
}
