// The run storage in the metrics database (PostgreSQL or PGlite): job_run, job_state and the scheduler's setting.
import type { MetricsDb } from '../writers/index.js';
import type { RunStorage } from './run-storage.js';
import { SqlJobStateStore } from './sql-job-state.js';
import { SqlRunStore } from './sql-run-store.js';
import { SqlSchedulerPresence } from './sql-scheduler-presence.js';

export function sqlRunStorage(db: MetricsDb): RunStorage {
  return { runs: new SqlRunStore(db), jobs: new SqlJobStateStore(db), scheduler: new SqlSchedulerPresence(db) };
}
