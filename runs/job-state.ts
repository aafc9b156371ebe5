// The state of jobs, apart from their runs (Dagster keeps it at the instance, not in RunStorage): which
// jobs are paused. A paused job's scheduled firings are recorded skipped; manual runs and backfills run.
export interface JobStateStore {
  /** Pauses or resumes `job`. */
  setPaused(job: string, paused: boolean): Promise<void>;
  /** The jobs paused now. */
  pausedJobs(): Promise<ReadonlySet<string>>;
}
