// One statement of a store of runs/ on the metrics database: migrated first; a failure becomes a
// MetricsDbError naming the store, the database and what it did, with the database's secrets scrubbed.
import { ensureMigrated, toMetricsDbError, type MetricsDb } from '../writers/index.js';

/** Runs `text` with `params` on `db` (migrating first); `area` and `what` name it in an error ("job runs", "list runs"). */
export async function storeQuery<R>(db: MetricsDb, area: string, what: string, text: string, params: readonly unknown[]): Promise<R[]> {
  await ensureMigrated(db);
  try {
    return (await db.query<R>(text, params)).rows;
  } catch (error) {
    throw toMetricsDbError(`${area} (${db.target}): ${what}`, error, db.secrets);
  }
}
