// Runs recorded in the metrics database's job_run table (PostgreSQL or PGlite): the one home of job_run,
// written by the CLI, the schedulers and the workers, read by `etl runs` and the monitoring UI.
import type { JobRun } from '../graph/index.js';
import { maskText } from '../secrets/mask.js';
import { ensureMigrated, metricsTables, sqlState, toMetricsDbError, type MetricsDb } from '../writers/index.js';
import { isAlive, type ProcessIdentity } from '../embedded/index.js';
import { decodeRun, RUN_SELECT } from './run-columns.js';
import {
  orphanError,
  STALE_HEARTBEAT_MS,
  type CancelResult,
  type FinishedRecordStatus,
  type NewRun,
  type RunFilter,
  type RunRecord,
  type RunStore,
  type StartResult,
} from './run-store.js';
import { storeQuery } from './store-query.js';

const iso = (value: number | null | undefined): string | null => (value === null || value === undefined ? null : new Date(value).toISOString());

export class SqlRunStore implements RunStore {
  constructor(private readonly db: MetricsDb) {}

  private get t() {
    return metricsTables(this.db.settings.schema);
  }

  /** Runs one statement (migrating first); failures as MetricsDbError without secrets. */
  private sql<R>(what: string, text: string, params: readonly unknown[]): Promise<R[]> {
    return storeQuery<R>(this.db, 'job runs', what, text, params);
  }

  /** Run records never hold a secret: URLs masked, the database's own passwords scrubbed. */
  private scrub(text: string | null): string | null {
    return text === null ? null : maskText(text, this.db.secrets);
  }

  async create(run: NewRun): Promise<number | undefined> {
    const { owner } = run;
    const rows = await this.sql<{ id: string | number }>(
      'record a run',
      `INSERT INTO ${this.t.jobRun} (job, trigger, status, queued_at, scheduled_for, window_from, window_to, attempt, firing_key, host, pid, process_start, partition_key)
       VALUES ($1, $2, 'queued', $3::timestamptz, $4::timestamptz, $5::timestamptz, $6::timestamptz, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (firing_key) DO NOTHING RETURNING id`,
      [
        run.job, run.trigger, iso(run.queuedAt ?? Date.now()), iso(run.scheduledFor), iso(run.window?.from), iso(run.window?.to),
        run.attempt ?? 1, run.firingKey ?? null, owner?.host ?? null, owner?.pid ?? null, owner?.start ?? null, run.partitionKey ?? null,
      ],
    );
    return rows[0] === undefined ? undefined : Number(rows[0].id);
  }

  async start(id: number, owner: ProcessIdentity, retried = false): Promise<StartResult> {
    await ensureMigrated(this.db);
    try {
      const res = await this.db.query(
        `UPDATE ${this.t.jobRun} SET status = 'running', started_at = now(), heartbeat_at = now(), host = $2, pid = $3, process_start = $4
          WHERE id = $1 AND status = 'queued'`,
        [id, owner.host, owner.pid, owner.start],
      );
      if (res.rowCount === 1) return { started: true };
      const record = await this.get(id);
      return { started: false, reason: record === undefined ? `run ${id} does not exist` : `run ${id} is ${record.status}` };
    } catch (error) {
      if (sqlState(error) !== '23505') throw toMetricsDbError(`job runs (${this.db.target}): start a run`, error, this.db.secrets);
    }
    // The run holding the job may belong to a process that is gone (a worker killed mid-run): close it, try once more.
    if (!retried && (await this.closeOrphans()).length > 0) return this.start(id, owner, true);
    // Another run of the job is running (the unique index on running runs said so): this one is skipped.
    const [other] = await this.sql<{ id: string | number; host: string | null; pid: number | null }>(
      'find the running run',
      `SELECT r.id, r.host, r.pid FROM ${this.t.jobRun} r JOIN ${this.t.jobRun} me ON me.id = $1
        WHERE r.job = me.job AND coalesce(r.partition_key, '') = coalesce(me.partition_key, '') AND r.status = 'running'`,
      [id],
    );
    const by = other === undefined ? '' : ` (run ${other.id}${other.pid === null ? '' : `, pid ${other.pid} on ${other.host ?? '?'}`})`;
    const reason = `skipped: the job is already running${by}`;
    await this.finish(id, 'skipped', reason);
    return { started: false, reason };
  }

  async update(id: number, run: JobRun): Promise<void> {
    const nodes = run.nodes.map((node) => ({
      ...node,
      fatal: this.scrub(node.fatal),
      errors: node.errors.map((e) => ({ ...e, error: this.scrub(e.error)!, row: this.scrub(e.row)! })),
    }));
    // A record already ended (cancelled while queued, closed as orphan) keeps its end.
    await this.sql(
      'update a run',
      `UPDATE ${this.t.jobRun} SET status = $2, started_at = $3::timestamptz, finished_at = $4::timestamptz, nodes = $5::jsonb, error = $6
        WHERE id = $1 AND status IN ('queued', 'running')`,
      [id, run.status, iso(run.startedAt), iso(run.finishedAt), JSON.stringify(nodes), this.scrub(run.error)],
    );
  }

  async finish(id: number, status: FinishedRecordStatus, error: string | null): Promise<void> {
    await this.sql(
      'end a run',
      `UPDATE ${this.t.jobRun} SET status = $2, finished_at = now(), error = $3 WHERE id = $1 AND status IN ('queued', 'running')`,
      [id, status, this.scrub(error)],
    );
  }

  async setLog(id: number, lines: readonly string[]): Promise<void> {
    await this.sql('store the log', `UPDATE ${this.t.jobRun} SET log_tail = $2::jsonb WHERE id = $1`, [id, JSON.stringify(lines.map((l) => this.scrub(l)))]);
  }

  async heartbeat(id: number): Promise<{ readonly cancelRequested: boolean }> {
    const rows = await this.sql<{ cancel: boolean }>(
      'heartbeat',
      `UPDATE ${this.t.jobRun} SET heartbeat_at = now() WHERE id = $1 RETURNING cancel_requested_at IS NOT NULL AS cancel`,
      [id],
    );
    return { cancelRequested: rows[0]?.cancel ?? false };
  }

  async requestCancel(id: number): Promise<CancelResult> {
    const queued = await this.sql<{ id: string }>(
      'cancel a queued run',
      `UPDATE ${this.t.jobRun} SET status = 'cancelled', finished_at = now(), cancel_requested_at = now(), error = 'cancelled while queued'
        WHERE id = $1 AND status = 'queued' RETURNING id`,
      [id],
    );
    if (queued.length > 0) return 'cancelled';
    const running = await this.sql<{ id: string }>(
      'cancel a running run',
      `UPDATE ${this.t.jobRun} SET cancel_requested_at = coalesce(cancel_requested_at, now()) WHERE id = $1 AND status = 'running' RETURNING id`,
      [id],
    );
    if (running.length > 0) return 'requested';
    return (await this.get(id)) === undefined ? 'unknown' : 'finished';
  }

  async get(id: number): Promise<RunRecord | undefined> {
    const rows = await this.sql<Record<string, unknown>>('read a run', `SELECT ${RUN_SELECT} FROM ${this.t.jobRun} WHERE id = $1`, [id]);
    return rows[0] === undefined ? undefined : decodeRun(rows[0]);
  }

  async list(filter: RunFilter = {}): Promise<RunRecord[]> {
    const rows = await this.sql<Record<string, unknown>>(
      'list runs',
      `SELECT ${RUN_SELECT} FROM ${this.t.jobRun}
        WHERE ($1::text IS NULL OR job = $1) AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR trigger = $3)
          AND ($4::bigint IS NULL OR id < $4)
        ORDER BY id DESC LIMIT $5`,
      [filter.job ?? null, filter.status ?? null, filter.trigger ?? null, filter.beforeId ?? null, filter.limit ?? 20],
    );
    return rows.map(decodeRun);
  }

  async closeOrphans(): Promise<number[]> {
    const open = await this.sql<{ id: string | number; host: string | null; pid: number | null; process_start: string | null; silent: boolean }>(
      'find unfinished runs',
      `SELECT id, host, pid, process_start, (status = 'running' AND heartbeat_at < now() - $1 * interval '1 millisecond') AS silent
         FROM ${this.t.jobRun} WHERE status IN ('queued', 'running') AND pid IS NOT NULL`,
      [STALE_HEARTBEAT_MS],
    );
    const closed: number[] = [];
    for (const run of open) {
      const owner = { host: run.host, pid: run.pid === null ? null : Number(run.pid) };
      const gone = !isAlive({ host: run.host, pid: Number(run.pid), start: run.process_start });
      if (!gone && !run.silent) continue;
      const rows = await this.sql<{ id: string }>(
        'close a run whose process is gone',
        `UPDATE ${this.t.jobRun} SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
        [run.id, orphanError(owner, gone ? 'gone' : 'silent')],
      );
      if (rows.length > 0) closed.push(Number(run.id));
    }
    return closed;
  }
}
