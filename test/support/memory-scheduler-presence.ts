// The embedded scheduler's beat in memory, on an injectable clock: for tests.
import type { ProcessIdentity } from '../../embedded/index.js';
import { STALE_SCHEDULER_MS, type SchedulerPresence, type SchedulerProcess } from '../../runs/scheduler-presence.js';

export class MemorySchedulerPresence implements SchedulerPresence {
  private last: { readonly host: string; readonly pid: number; readonly at: number } | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  async beat(owner: ProcessIdentity): Promise<void> {
    this.last = { host: owner.host, pid: owner.pid, at: this.now() };
  }

  async live(): Promise<SchedulerProcess | undefined> {
    const s = this.last;
    return s !== undefined && s.at > this.now() - STALE_SCHEDULER_MS ? { host: s.host, pid: s.pid } : undefined;
  }
}
