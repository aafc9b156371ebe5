// The raw events table where the collector writes: created in a database of its own (the metrics database has
// migration 4), and checked before the first request, so a foreign `events` table fails at start, not per request.
import { EVENTS_COLUMNS, eventsTableStatements } from '../writers/migrations.js';
import { quoteIdentifier } from '../sql/identifiers.js';
import { CollectorSetupError } from './errors.js';

/** The subset of a SQL client used here. */
export interface TableSqlPort {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

/** Creates `<schema>.events` (and the schema) unless they exist. */
export async function createEventsTable(db: TableSqlPort, schema: string): Promise<void> {
  await db.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
  for (const statement of eventsTableStatements(schema, { ifNotExists: true })) await db.query(statement);
}

/** Throws a CollectorSetupError naming what `<schema>.events` lacks (a table of the same name that is not ours). */
export async function checkEventsTable(db: TableSqlPort, schema: string): Promise<void> {
  const { rows } = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'events'`,
    [schema],
  );
  if (rows.length === 0) throw new CollectorSetupError(`collector: table ${schema}.events does not exist (run etl db migrate)`);
  const have = new Set(rows.map((r) => r.column_name));
  const missing = EVENTS_COLUMNS.filter((c) => !have.has(c));
  if (missing.length > 0) {
    throw new CollectorSetupError(`collector: table ${schema}.events is not the collector's: column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing`);
  }
}
