// A run store in memory: for tests and for runs nobody needs to remember.
import { IN_PROGRESS_RUN_STATUSES, type JobRun } from '../graph/index.js';
import { isAlive } from '../writers/index.js';
import { orphanError, type NewRun, type RunFilter, type RunRecord, type RunStore } from './run-store.js';

interface Owned extends RunRecord {
  readonly start: string | null;
}

export class MemoryRunStore implements RunStore {
  private readonly records = new Map<number, Owned>();
  private nextId = 1;

  async create(run: NewRun): Promise<number> {
    const id = this.nextId++;
    const { owner } = run;
    this.records.set(id, {
      id, job: run.job, trigger: run.trigger, status: 'queued', queuedAt: run.queuedAt ?? Date.now(), startedAt: null, finishedAt: null,
      nodes: [], error: null, host: owner?.host ?? null, pid: owner?.pid ?? null, start: owner?.start ?? null,
    });
    return id;
  }

  async update(id: number, run: JobRun): Promise<void> {
    const existing = this.existing(id);
    this.records.set(id, { ...existing, status: run.status, startedAt: run.startedAt, finishedAt: run.finishedAt, nodes: run.nodes, error: run.error });
  }

  async fail(id: number, status: 'failed' | 'cancelled', error: string): Promise<void> {
    const existing = this.existing(id);
    this.records.set(id, { ...existing, status, finishedAt: Date.now(), error });
  }

  async get(id: number): Promise<RunRecord | undefined> {
    const record = this.records.get(id);
    if (record === undefined) return undefined;
    const { start: _start, ...rest } = record;
    return rest;
  }

  async list(filter: RunFilter = {}): Promise<RunRecord[]> {
    const matching = [...this.records.values()]
      .filter((r) => (filter.job === undefined || r.job === filter.job) && (filter.status === undefined || r.status === filter.status))
      .sort((a, b) => (b.startedAt ?? b.queuedAt ?? 0) - (a.startedAt ?? a.queuedAt ?? 0) || b.id - a.id)
      .slice(0, filter.limit ?? 20);
    return Promise.all(matching.map(async (r) => (await this.get(r.id))!));
  }

  async closeOrphans(): Promise<number[]> {
    const closed: number[] = [];
    for (const record of this.records.values()) {
      if (!IN_PROGRESS_RUN_STATUSES.has(record.status)) continue;
      if (record.pid !== null && isAlive({ host: record.host, pid: record.pid, start: record.start })) continue;
      await this.fail(record.id, 'failed', orphanError(record));
      closed.push(record.id);
    }
    return closed;
  }

  private existing(id: number): Owned {
    const existing = this.records.get(id);
    if (existing === undefined) throw new RangeError(`run store: no run ${id}`);
    return existing;
  }
}
