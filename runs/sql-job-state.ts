// The state of jobs in the metrics database's job_state table (PostgreSQL or PGlite): one row per job ever paused.
import { metricsTables, type MetricsDb } from '../writers/index.js';
import type { JobStateStore } from './job-state.js';
import { storeQuery } from './store-query.js';

export class SqlJobStateStore implements JobStateStore {
  constructor(private readonly db: MetricsDb) {}

  async setPaused(job: string, paused: boolean): Promise<void> {
    const t = metricsTables(this.db.settings.schema);
    await storeQuery(
      this.db,
      'job runs',
      'pause or resume a job',
      `INSERT INTO ${t.jobState} (job, paused) VALUES ($1, $2) ON CONFLICT (job) DO UPDATE SET paused = EXCLUDED.paused, updated_at = now()`,
      [job, paused],
    );
  }

  async pausedJobs(): Promise<ReadonlySet<string>> {
    const t = metricsTables(this.db.settings.schema);
    const rows = await storeQuery<{ job: string }>(this.db, 'job runs', 'read paused jobs', `SELECT job FROM ${t.jobState} WHERE paused`, []);
    return new Set(rows.map((r) => r.job));
  }
}
