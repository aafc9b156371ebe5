// The status of each partition of a job (the metrics database's `partition` table): what a backfill, a
// re-run or a scheduled run of the current window last did to it. A partition never run is 'missing'.
import { metricsTables, type MetricsDb } from '../writers/index.js';
import type { Partition, PartitionGrain } from './partitions.js';
import { storeQuery } from './store-query.js';

export const PARTITION_STATUSES = ['missing', 'queued', 'running', 'success', 'failed', 'skipped'] as const;
export type PartitionStatus = (typeof PARTITION_STATUSES)[number];

export interface PartitionState {
  readonly job: string;
  readonly grain: PartitionGrain;
  readonly key: string;
  readonly start: number;
  readonly end: number;
  readonly status: PartitionStatus;
  readonly runId: number | null;
  readonly attempts: number;
  readonly reason: string | null;
  readonly updatedAt: number | null;
}

interface Row {
  readonly job: string;
  readonly grain: PartitionGrain;
  readonly key: string;
  readonly start_at: Date | string;
  readonly end_at: Date | string;
  readonly status: Exclude<PartitionStatus, 'missing'>;
  readonly run_id: string | number | null;
  readonly attempts: number;
  readonly reason: string | null;
  readonly updated_at: Date | string;
}

export class PartitionStore {
  constructor(private readonly db: MetricsDb) {}

  private sql<R>(what: string, text: string, params: readonly unknown[]): Promise<R[]> {
    return storeQuery<R>(this.db, 'partitions', what, text, params);
  }

  /** Records what happened to a partition; `attempt` counts one more try (a run started). */
  async set(job: string, partition: Partition, status: Exclude<PartitionStatus, 'missing'>, options: { runId?: number; reason?: string; attempt?: boolean } = {}): Promise<void> {
    await this.setMany(job, [partition], status, options);
  }

  /** Records the same outcome for many partitions of a job in one statement (a read over many days). */
  async setMany(job: string, partitions: readonly Partition[], status: Exclude<PartitionStatus, 'missing'>, options: { runId?: number; reason?: string; attempt?: boolean } = {}): Promise<void> {
    if (partitions.length === 0) return;
    const t = metricsTables(this.db.settings.schema);
    await this.sql(
      'record partitions',
      `INSERT INTO ${t.partition} (job, grain, key, start_at, end_at, status, run_id, attempts, reason)
       SELECT $1, p.grain, p.key, p.start_at, p.end_at, $6, $7, $8, $9
         FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS p(grain, key, start_at, end_at)
       ON CONFLICT (job, grain, key) DO UPDATE SET status = EXCLUDED.status, run_id = coalesce(EXCLUDED.run_id, ${t.partition}.run_id),
         attempts = ${t.partition}.attempts + EXCLUDED.attempts, reason = EXCLUDED.reason, updated_at = now()`,
      [
        job,
        partitions.map((p) => p.grain),
        partitions.map((p) => p.key),
        partitions.map((p) => new Date(p.start).toISOString()),
        partitions.map((p) => new Date(p.end).toISOString()),
        status,
        options.runId ?? null,
        options.attempt ? 1 : 0,
        options.reason ?? null,
      ],
    );
  }

  /** Puts a partition back as it was before a run that did not finish (cancelled): its row, or none. */
  async restore(job: string, previous: PartitionState): Promise<void> {
    const t = metricsTables(this.db.settings.schema);
    if (previous.status === 'missing') {
      await this.sql('restore a partition', `DELETE FROM ${t.partition} WHERE job = $1 AND grain = $2 AND key = $3`, [job, previous.grain, previous.key]);
      return;
    }
    await this.sql(
      'restore a partition',
      `UPDATE ${t.partition} SET status = $4, run_id = $5, reason = $6, updated_at = now() WHERE job = $1 AND grain = $2 AND key = $3`,
      [job, previous.grain, previous.key, previous.status, previous.runId, previous.reason],
    );
  }

  /**
   * Puts a partition back to what its last finished run left (queued or running when that run was cancelled
   * or skipped): success, failed or skipped, or missing (no row) when none of its runs finished.
   */
  async restoreFromRuns(job: string, partition: Partition, recordKey: string): Promise<void> {
    const t = metricsTables(this.db.settings.schema);
    await this.sql(
      'restore a partition from its runs',
      `WITH last AS (
         SELECT id, status, error FROM ${t.jobRun} WHERE job = $1 AND partition_key = $4 AND status IN ('succeeded', 'failed', 'skipped') ORDER BY id DESC LIMIT 1
       ), kept AS (
         UPDATE ${t.partition} p SET status = CASE l.status WHEN 'succeeded' THEN 'success' ELSE l.status END, run_id = l.id,
           reason = CASE WHEN l.status = 'succeeded' THEN NULL ELSE split_part(l.error, E'\n', 1) END, updated_at = now()
         FROM last l WHERE p.job = $1 AND p.grain = $2 AND p.key = $3 RETURNING p.key
       )
       DELETE FROM ${t.partition} WHERE job = $1 AND grain = $2 AND key = $3 AND NOT EXISTS (SELECT 1 FROM last)`,
      [job, partition.grain, partition.key, recordKey],
    );
  }

  /** How many partitions each job has in each recorded state (for /metrics). */
  async counts(): Promise<Array<{ job: string; grain: PartitionGrain; status: Exclude<PartitionStatus, 'missing'>; count: number }>> {
    const t = metricsTables(this.db.settings.schema);
    const rows = await this.sql<{ job: string; grain: PartitionGrain; status: Exclude<PartitionStatus, 'missing'>; count: string | number }>(
      'count partitions',
      `SELECT job, grain, status, count(*) AS count FROM ${t.partition} GROUP BY job, grain, status ORDER BY job, grain, status`,
      [],
    );
    return rows.map((r) => ({ ...r, count: Number(r.count) }));
  }

  /** The state of each of `partitions` of `job` ('missing' when never recorded), in their order. */
  async states(job: string, partitions: readonly Partition[]): Promise<PartitionState[]> {
    if (partitions.length === 0) return [];
    const t = metricsTables(this.db.settings.schema);
    const rows = await this.sql<Row>(
      'read partitions',
      `SELECT * FROM ${t.partition} WHERE job = $1 AND (grain, key) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
      [job, partitions.map((p) => p.grain), partitions.map((p) => p.key)],
    );
    const byKey = new Map(rows.map((r) => [`${r.grain}:${r.key}`, r]));
    return partitions.map((p) => {
      const row = byKey.get(`${p.grain}:${p.key}`);
      if (row === undefined) return { job, grain: p.grain, key: p.key, start: p.start, end: p.end, status: 'missing', runId: null, attempts: 0, reason: null, updatedAt: null };
      return {
        job, grain: p.grain, key: p.key, start: p.start, end: p.end, status: row.status,
        runId: row.run_id === null ? null : Number(row.run_id), attempts: Number(row.attempts), reason: row.reason, updatedAt: new Date(row.updated_at).getTime(),
      };
    });
  }
}
