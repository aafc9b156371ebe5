// Test support: every run store to run the same tests on: in memory, and job_run on PostgreSQL and PGlite.
import { MemoryRunStore } from './memory-run-store.js';
import type { RunStore } from '../../runs/run-store.js';
import { SqlRunStore } from '../../runs/sql-run-store.js';
import { BACKENDS, createTestMetricsDb } from '../writers-backends.js';

export type OpenRunStore = () => Promise<{ store: RunStore; drop(): Promise<void> }>;

/** [name, open] pairs for describe.each: each open gives a fresh, empty store and its clean-up. */
export const RUN_STORES: ReadonlyArray<[string, OpenRunStore]> = [
  ['memory', async () => ({ store: new MemoryRunStore(), drop: async () => undefined })],
  ...BACKENDS.map((backend): [string, OpenRunStore] => [
    `job_run on ${backend}`,
    async () => {
      const metrics = await createTestMetricsDb(backend);
      return { store: new SqlRunStore(metrics.db), drop: () => metrics.drop() };
    },
  ]),
];
