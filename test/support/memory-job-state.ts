// The paused jobs in memory: for tests.
import type { JobStateStore } from '../../runs/job-state.js';

export class MemoryJobStateStore implements JobStateStore {
  private readonly paused = new Set<string>();

  async setPaused(job: string, paused: boolean): Promise<void> {
    if (paused) this.paused.add(job);
    else this.paused.delete(job);
  }

  async pausedJobs(): Promise<ReadonlySet<string>> {
    return new Set(this.paused);
  }
}
