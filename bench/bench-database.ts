// A database of its own for a benchmark on the local PostgreSQL server (BENCH_PG_URL), dropped afterwards:
// the tests' helper, on the benchmarks' server.
import { createTestDatabase, type TestDatabase } from '../test/support/pg.js';

export const BENCH_SERVER = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';

export type BenchDatabase = TestDatabase;

/** Creates database `<prefix>_<random>` with a pool of `max` connections; `drop()` drops it (WITH FORCE). */
export function createBenchDatabase(prefix: string, max = 2): Promise<BenchDatabase> {
  return createTestDatabase(prefix, { adminUrl: `${BENCH_SERVER}/postgres`, max });
}
