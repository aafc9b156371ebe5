// Runs recorded in the metrics database's job_run table (PostgreSQL or PGlite), where the UI will read them.
import type { JobRun, NodeRun, RunStatus } from '../graph/index.js';
import { ensureMigrated, metricsTables, saveJobRun, type MetricsDb } from '../writers/index.js';
import type { RunFilter, RunRecord, RunStore, RunTrigger } from './run-store.js';

interface JobRunRow {
  readonly id: string | number;
  readonly job: string;
  readonly trigger: string;
  readonly status: RunStatus;
  readonly started_at: Date | string | null;
  readonly finished_at: Date | string | null;
  readonly nodes: NodeRun[] | string;
  readonly error: string | null;
}

const ms = (value: Date | string | null): number | null => (value === null ? null : new Date(value).getTime());
const iso = (value: number | null): string | null => (value === null ? null : new Date(value).toISOString());

function toRecord(row: JobRunRow): RunRecord {
  return {
    id: Number(row.id),
    job: row.job,
    trigger: row.trigger,
    status: row.status,
    startedAt: ms(row.started_at),
    finishedAt: ms(row.finished_at),
    nodes: typeof row.nodes === 'string' ? (JSON.parse(row.nodes) as NodeRun[]) : row.nodes,
    error: row.error,
  };
}

export class SqlRunStore implements RunStore {
  constructor(private readonly db: MetricsDb) {}

  private get table(): string {
    return metricsTables(this.db.settings.schema).jobRun;
  }

  create(run: JobRun, trigger: RunTrigger): Promise<number> {
    return saveJobRun(this.db, run, trigger);
  }

  async update(id: number, run: JobRun): Promise<void> {
    await this.db.query(
      `UPDATE ${this.table} SET status = $2, finished_at = $3::timestamptz, nodes = $4::jsonb, error = $5 WHERE id = $1`,
      [id, run.status, iso(run.finishedAt), JSON.stringify(run.nodes), run.error],
    );
  }

  async get(id: number): Promise<RunRecord | undefined> {
    await ensureMigrated(this.db);
    const { rows } = await this.db.query<JobRunRow>(`SELECT * FROM ${this.table} WHERE id = $1`, [id]);
    return rows[0] === undefined ? undefined : toRecord(rows[0]);
  }

  async list(filter: RunFilter = {}): Promise<RunRecord[]> {
    await ensureMigrated(this.db);
    const { rows } = await this.db.query<JobRunRow>(
      `SELECT * FROM ${this.table}
        WHERE ($1::text IS NULL OR job = $1) AND ($2::text IS NULL OR status = $2)
        ORDER BY started_at DESC NULLS LAST, id DESC LIMIT $3`,
      [filter.job ?? null, filter.status ?? null, filter.limit ?? 20],
    );
    return rows.map(toRecord);
  }
}
