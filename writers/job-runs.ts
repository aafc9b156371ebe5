// Run records in the metrics database (job_run): what the scheduler writes and the monitoring UI reads.
import type { JobRun } from '../graph/run-status.js';
import { toMetricsDbError } from './errors.js';
import type { MetricsDb } from './metrics-db.js';
import { ensureMigrated } from './migrate.js';
import { metricsTables } from './sql-identifiers.js';

/** Stores a run (its per-node stats as JSON); returns the record's id. */
export async function saveJobRun(db: MetricsDb, run: JobRun, trigger: string): Promise<number> {
  await ensureMigrated(db);
  const t = metricsTables(db.settings.schema);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  try {
    const res = await db.query<{ id: string | number }>(
      `INSERT INTO ${t.jobRun} (job, trigger, status, started_at, finished_at, nodes, error)
       VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz, $6::jsonb, $7) RETURNING id`,
      [run.job, trigger, run.status, iso(run.startedAt), iso(run.finishedAt), JSON.stringify(run.nodes), run.error],
    );
    return Number(res.rows[0]!.id);
  } catch (error) {
    throw toMetricsDbError(`job runs (${db.target})`, error, db.secrets);
  }
}
