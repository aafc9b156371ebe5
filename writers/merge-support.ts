// Whether the metrics database runs MERGE (PostgreSQL 15 and later, PGlite): asked once per opened database.
import { oncePerDb } from './per-db.js';

/** The first server version with MERGE (server_version_num). */
export const MERGE_SINCE_VERSION = 150_000;

/** True when `db` runs MERGE. */
export const supportsMerge = oncePerDb(async (db) => {
  const res = await db.query<{ version: number }>(`SELECT current_setting('server_version_num')::int AS version`);
  return (res.rows[0]?.version ?? 0) >= MERGE_SINCE_VERSION;
});
