// A run store in memory, with the SQL store's semantics (runs only: memory-run-storage.ts adds job state and
// scheduler presence): for tests.
import type { JobRun } from '../../graph/index.js';
import { isAlive, type ProcessIdentity } from '../../embedded/index.js';
import { orphanError, STALE_HEARTBEAT_MS, type CancelResult, type FinishedRecordStatus, type NewRun, type RunFilter, type RunRecord, type RunStore, type StartResult } from '../../runs/run-store.js';

interface Held extends RunRecord {
  readonly start: string | null;
  readonly firingKey: string | null;
  readonly heartbeatAt: number | null;
}

const inProgress = (r: RunRecord): boolean => r.status === 'queued' || r.status === 'running';

export class MemoryRunStore implements RunStore {
  private readonly records = new Map<number, Held>();
  private nextId = 1;

  constructor(private readonly now: () => number = Date.now) {}

  async create(run: NewRun): Promise<number | undefined> {
    if (run.firingKey !== undefined && [...this.records.values()].some((r) => r.firingKey === run.firingKey)) return undefined;
    const id = this.nextId++;
    const { owner } = run;
    this.records.set(id, {
      id, job: run.job, trigger: run.trigger, status: 'queued', queuedAt: run.queuedAt ?? this.now(), scheduledFor: run.scheduledFor ?? null,
      windowFrom: run.window?.from ?? null, windowTo: run.window?.to ?? null, attempt: run.attempt ?? 1, startedAt: null, finishedAt: null,
      nodes: [], error: null, host: owner?.host ?? null, pid: owner?.pid ?? null, start: owner?.start ?? null, logTail: [], cancelRequested: false, partitionKey: run.partitionKey ?? null,
      firingKey: run.firingKey ?? null, heartbeatAt: null,
    });
    return id;
  }

  async start(id: number, owner: ProcessIdentity): Promise<StartResult> {
    const record = this.existing(id);
    if (record.status !== 'queued') return { started: false, reason: `run ${id} is ${record.status}` };
    let other = [...this.records.values()].find((r) => r.job === record.job && r.partitionKey === record.partitionKey && r.status === 'running');
    if (other !== undefined && (await this.closeOrphans()).includes(other.id)) other = undefined;
    if (other !== undefined) {
      const reason = `skipped: the job is already running (run ${other.id}${other.pid === null ? '' : `, pid ${other.pid} on ${other.host ?? '?'}`})`;
      await this.finish(id, 'skipped', reason);
      return { started: false, reason };
    }
    this.set(id, { status: 'running', startedAt: this.now(), heartbeatAt: this.now(), host: owner.host, pid: owner.pid, start: owner.start });
    return { started: true };
  }

  async update(id: number, run: JobRun): Promise<void> {
    if (!inProgress(this.existing(id))) return;
    this.set(id, { status: run.status, startedAt: run.startedAt, finishedAt: run.finishedAt, nodes: run.nodes, error: run.error });
  }

  async finish(id: number, status: FinishedRecordStatus, error: string | null): Promise<void> {
    if (inProgress(this.existing(id))) this.set(id, { status, finishedAt: this.now(), error });
  }

  async setLog(id: number, lines: readonly string[]): Promise<void> {
    this.set(id, { logTail: [...lines] });
  }

  async heartbeat(id: number): Promise<{ readonly cancelRequested: boolean }> {
    this.set(id, { heartbeatAt: this.now() });
    return { cancelRequested: this.existing(id).cancelRequested };
  }

  async requestCancel(id: number): Promise<CancelResult> {
    const record = this.records.get(id);
    if (record === undefined) return 'unknown';
    if (record.status === 'queued') {
      this.set(id, { status: 'cancelled', finishedAt: this.now(), error: 'cancelled while queued', cancelRequested: true });
      return 'cancelled';
    }
    if (record.status !== 'running') return 'finished';
    this.set(id, { cancelRequested: true });
    return 'requested';
  }

  async get(id: number): Promise<RunRecord | undefined> {
    const record = this.records.get(id);
    if (record === undefined) return undefined;
    const { start: _s, firingKey: _f, heartbeatAt: _h, ...rest } = record;
    return rest;
  }

  async list(filter: RunFilter = {}): Promise<RunRecord[]> {
    const matching = [...this.records.values()]
      .filter((r) => (filter.job === undefined || r.job === filter.job) && (filter.status === undefined || r.status === filter.status))
      .filter((r) => (filter.trigger === undefined || r.trigger === filter.trigger) && (filter.beforeId === undefined || r.id < filter.beforeId))
      .sort((a, b) => b.id - a.id)
      .slice(0, filter.limit ?? 20);
    return Promise.all(matching.map(async (r) => (await this.get(r.id))!));
  }

  async closeOrphans(): Promise<number[]> {
    const closed: number[] = [];
    for (const record of this.records.values()) {
      if (!inProgress(record) || record.pid === null) continue;
      const gone = !isAlive({ host: record.host, pid: record.pid, start: record.start });
      const silent = record.status === 'running' && record.heartbeatAt !== null && record.heartbeatAt < this.now() - STALE_HEARTBEAT_MS;
      if (!gone && !silent) continue;
      await this.finish(record.id, 'failed', orphanError(record, gone ? 'gone' : 'silent'));
      closed.push(record.id);
    }
    return closed;
  }

  private existing(id: number): Held {
    const existing = this.records.get(id);
    if (existing === undefined) throw new RangeError(`run store: no run ${id}`);
    return existing;
  }

  private set(id: number, changes: Partial<Held>): void {
    this.records.set(id, { ...this.existing(id), ...changes });
  }
}
