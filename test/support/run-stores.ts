// Test support: every run storage to run the same tests on: in memory, and job_run (with job_state and the
// scheduler's setting) on PostgreSQL and PGlite.
import { memoryRunStorage } from './memory-run-storage.js';
import type { RunStorage } from '../../runs/run-storage.js';
import { sqlRunStorage } from '../../runs/sql-run-storage.js';
import { BACKENDS, createTestMetricsDb } from '../writers-backends.js';

export type OpenRunStore = () => Promise<RunStorage & { drop(): Promise<void> }>;

/** [name, open] pairs for describe.each: each open gives a fresh, empty storage and its clean-up. */
export const RUN_STORES: ReadonlyArray<[string, OpenRunStore]> = [
  ['memory', async () => ({ ...memoryRunStorage(), drop: async () => undefined })],
  ...BACKENDS.map((backend): [string, OpenRunStore] => [
    `job_run on ${backend}`,
    async () => {
      const metrics = await createTestMetricsDb(backend);
      return { ...sqlRunStorage(metrics.db), drop: () => metrics.drop() };
    },
  ]),
];
