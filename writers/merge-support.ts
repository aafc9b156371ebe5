// Whether the metrics database runs MERGE (PostgreSQL 15 and later, PGlite): asked once per opened database.
import type { MetricsDb } from './metrics-db.js';

/** The first server version with MERGE (server_version_num). */
export const MERGE_SINCE_VERSION = 150_000;

const known = new WeakMap<MetricsDb, Promise<boolean>>();

/** True when `db` runs MERGE; the answer is cached per handle (a failed question is asked again). */
export function supportsMerge(db: MetricsDb): Promise<boolean> {
  let answer = known.get(db);
  if (answer === undefined) {
    answer = db
      .query<{ version: number }>(`SELECT current_setting('server_version_num')::int AS version`)
      .then((res) => (res.rows[0]?.version ?? 0) >= MERGE_SINCE_VERSION);
    known.set(db, answer);
    answer.catch(() => known.delete(db));
  }
  return answer;
}
