// Runs recorded in the metrics database's job_run table (PostgreSQL or PGlite): the one home of job_run,
// written by the CLI and the workers, read by `etl runs` and the monitoring UI.
import type { JobRun, NodeRun, RunStatus } from '../graph/index.js';
import { maskText } from '../secrets/mask.js';
import { ensureMigrated, isAlive, metricsTables, toMetricsDbError, type MetricsDb } from '../writers/index.js';
import { orphanError, type NewRun, type RunFilter, type RunRecord, type RunStore } from './run-store.js';

interface JobRunRow {
  readonly id: string | number;
  readonly job: string;
  readonly trigger: string;
  readonly status: RunStatus;
  readonly queued_at: Date | string | null;
  readonly started_at: Date | string | null;
  readonly finished_at: Date | string | null;
  readonly nodes: NodeRun[] | string;
  readonly error: string | null;
  readonly host: string | null;
  readonly pid: number | null;
}

const COLUMNS = 'id, job, trigger, status, queued_at, started_at, finished_at, nodes, error, host, pid';
const ms = (value: Date | string | null): number | null => (value === null ? null : new Date(value).getTime());
const iso = (value: number | null): string | null => (value === null ? null : new Date(value).toISOString());

function toRecord(row: JobRunRow): RunRecord {
  return {
    id: Number(row.id),
    job: row.job,
    trigger: row.trigger,
    status: row.status,
    queuedAt: ms(row.queued_at),
    startedAt: ms(row.started_at),
    finishedAt: ms(row.finished_at),
    nodes: typeof row.nodes === 'string' ? (JSON.parse(row.nodes) as NodeRun[]) : row.nodes,
    error: row.error,
    host: row.host,
    pid: row.pid === null ? null : Number(row.pid),
  };
}

export class SqlRunStore implements RunStore {
  constructor(private readonly db: MetricsDb) {}

  private get table(): string {
    return metricsTables(this.db.settings.schema).jobRun;
  }

  /** Runs one statement on job_run (migrating first), failures as MetricsDbError without secrets. */
  private async sql<R>(what: string, text: string, params: readonly unknown[]): Promise<R[]> {
    await ensureMigrated(this.db);
    try {
      return (await this.db.query<R>(text, params)).rows;
    } catch (error) {
      throw toMetricsDbError(`job runs (${this.db.target}): ${what}`, error, this.db.secrets);
    }
  }

  /** Run records never hold a secret: URLs masked, the database's own passwords scrubbed. */
  private scrub(text: string | null): string | null {
    return text === null ? null : maskText(text, this.db.secrets);
  }

  async create(run: NewRun): Promise<number> {
    const { owner } = run;
    const rows = await this.sql<{ id: string | number }>(
      'record a run',
      `INSERT INTO ${this.table} (job, trigger, status, queued_at, host, pid, process_start)
       VALUES ($1, $2, 'queued', $3::timestamptz, $4, $5, $6) RETURNING id`,
      [run.job, run.trigger, iso(run.queuedAt ?? Date.now()), owner?.host ?? null, owner?.pid ?? null, owner?.start ?? null],
    );
    return Number(rows[0]!.id);
  }

  async update(id: number, run: JobRun): Promise<void> {
    const nodes = run.nodes.map((node) => ({ ...node, fatal: this.scrub(node.fatal), errors: node.errors.map((e) => ({ ...e, error: this.scrub(e.error)!, row: this.scrub(e.row)! })) }));
    await this.sql(
      'update a run',
      `UPDATE ${this.table} SET status = $2, started_at = $3::timestamptz, finished_at = $4::timestamptz, nodes = $5::jsonb, error = $6 WHERE id = $1`,
      [id, run.status, iso(run.startedAt), iso(run.finishedAt), JSON.stringify(nodes), this.scrub(run.error)],
    );
  }

  async fail(id: number, status: 'failed' | 'cancelled', error: string): Promise<void> {
    await this.sql('end a run', `UPDATE ${this.table} SET status = $2, finished_at = now(), error = $3 WHERE id = $1`, [id, status, this.scrub(error)]);
  }

  async get(id: number): Promise<RunRecord | undefined> {
    const rows = await this.sql<JobRunRow>('read a run', `SELECT ${COLUMNS} FROM ${this.table} WHERE id = $1`, [id]);
    return rows[0] === undefined ? undefined : toRecord(rows[0]);
  }

  async list(filter: RunFilter = {}): Promise<RunRecord[]> {
    const rows = await this.sql<JobRunRow>(
      'list runs',
      `SELECT ${COLUMNS} FROM ${this.table}
        WHERE ($1::text IS NULL OR job = $1) AND ($2::text IS NULL OR status = $2)
        ORDER BY coalesce(started_at, queued_at) DESC NULLS LAST, id DESC LIMIT $3`,
      [filter.job ?? null, filter.status ?? null, filter.limit ?? 20],
    );
    return rows.map(toRecord);
  }

  async closeOrphans(): Promise<number[]> {
    const open = await this.sql<{ id: string | number; host: string | null; pid: number | null; process_start: string | null }>(
      'find unfinished runs',
      `SELECT id, host, pid, process_start FROM ${this.table} WHERE status IN ('queued', 'running')`,
      [],
    );
    const dead = open.filter((r) => r.pid === null || !isAlive({ host: r.host, pid: Number(r.pid), start: r.process_start }));
    for (const run of dead) {
      await this.sql(
        'close a run whose process is gone',
        `UPDATE ${this.table} SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1 AND status IN ('queued', 'running')`,
        [run.id, orphanError({ host: run.host, pid: run.pid === null ? null : Number(run.pid) })],
      );
    }
    return dead.map((r) => Number(r.id));
  }
}
