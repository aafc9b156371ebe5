// A run store in memory: for tests and for runs nobody needs to remember.
import type { JobRun } from '../graph/index.js';
import type { RunFilter, RunRecord, RunStore, RunTrigger } from './run-store.js';

export class MemoryRunStore implements RunStore {
  private readonly records = new Map<number, RunRecord>();
  private nextId = 1;

  async create(run: JobRun, trigger: RunTrigger): Promise<number> {
    const id = this.nextId++;
    this.records.set(id, toRecord(id, trigger, run));
    return id;
  }

  async update(id: number, run: JobRun): Promise<void> {
    const existing = this.records.get(id);
    if (existing === undefined) throw new RangeError(`run store: no run ${id}`);
    this.records.set(id, toRecord(id, existing.trigger, run));
  }

  async get(id: number): Promise<RunRecord | undefined> {
    return this.records.get(id);
  }

  async list(filter: RunFilter = {}): Promise<RunRecord[]> {
    return [...this.records.values()]
      .filter((r) => (filter.job === undefined || r.job === filter.job) && (filter.status === undefined || r.status === filter.status))
      .sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0) || b.id - a.id)
      .slice(0, filter.limit ?? 20);
  }
}

function toRecord(id: number, trigger: string, run: JobRun): RunRecord {
  return { id, job: run.job, trigger, status: run.status, startedAt: run.startedAt, finishedAt: run.finishedAt, nodes: run.nodes, error: run.error };
}
