// The raw events table where the collector writes, and the identities table beside it: created in a database of
// its own (the metrics database has migrations 4, 6 and 8), and checked before the first request, so a foreign
// `events` table fails at start, not per request.
import { COLLECTOR_COLUMNS, contextStatements, eventsTableStatements, IDENTITIES_COLUMNS, identityStatements } from '../writers/migrations.js';
import { quoteIdentifier } from '../sql/identifiers.js';
import { CollectorSetupError } from './errors.js';

/** The subset of a SQL client used here. */
export interface TableSqlPort {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * Creates `<schema>.events` and `<schema>.identities` (and the schema) unless they exist; a table of an earlier
 * version gets its `type` (version 6), `context` and `integrations` (version 8) columns, and an identities table made
 * now is filled from the events already stored.
 */
export async function createEventsTable(db: TableSqlPort, schema: string): Promise<void> {
  await db.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
  for (const statement of eventsTableStatements(schema, { ifNotExists: true })) await db.query(statement);
  const { rows } = await db.query<{ found: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS found`, [`${quoteIdentifier(schema)}.identities`]);
  for (const statement of identityStatements(schema, { ifNotExists: true, fill: rows[0]?.found !== true })) await db.query(statement);
  for (const statement of contextStatements(schema, { ifNotExists: true })) await db.query(statement);
}

/** Throws a CollectorSetupError naming what `<schema>.events` or `<schema>.identities` lacks (a table of the same name that is not ours). */
export async function checkEventsTable(db: TableSqlPort, schema: string): Promise<void> {
  const { rows } = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name IN ('events', 'identities')`,
    [schema],
  );
  for (const [table, columns] of [['events', COLLECTOR_COLUMNS], ['identities', IDENTITIES_COLUMNS]] as const) {
    const have = new Set(rows.filter((r) => r.table_name === table).map((r) => r.column_name));
    if (have.size === 0) throw new CollectorSetupError(`collector: table ${schema}.${table} does not exist (run etl db migrate)`);
    const missing = columns.filter((c) => !have.has(c));
    if (missing.length > 0) {
      throw new CollectorSetupError(`collector: table ${schema}.${table} is not the collector's: column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing`);
    }
  }
}
