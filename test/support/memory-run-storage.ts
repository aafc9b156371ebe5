// A run storage in memory (runs, paused jobs, scheduler presence) on one clock: for tests.
import type { RunStorage } from '../../runs/run-storage.js';
import { MemoryJobStateStore } from './memory-job-state.js';
import { MemoryRunStore } from './memory-run-store.js';
import { MemorySchedulerPresence } from './memory-scheduler-presence.js';

export interface MemoryRunStorage extends RunStorage {
  readonly runs: MemoryRunStore;
  readonly jobs: MemoryJobStateStore;
  readonly scheduler: MemorySchedulerPresence;
}

export function memoryRunStorage(now: () => number = Date.now): MemoryRunStorage {
  return { runs: new MemoryRunStore(now), jobs: new MemoryJobStateStore(), scheduler: new MemorySchedulerPresence(now) };
}
