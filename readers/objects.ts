// objects reader: counts rows of configured tables of a source database -> hourly `objects.<name>.count`.
//
// A snapshot source: it counts what the tables hold at run time and writes the counts to the local hour
// containing `window.now` (the current hour). It has no history, so for a backfill window it produces
// no rows and warns (or fails, with pastWindow: 'fail') instead of writing today's counts into past hours.
// Table names are quoted as identifiers (`table` or `schema.table`); `where` is an SQL condition from the
// configuration (trusted like the rest of it) with its values in `params` ($1, $2...); it may not contain
// ';', so it can never add a second statement.
import { ConfigError } from '../graph/errors.js';
import { source, type SourceNode } from '../graph/node.js';
import type { MetricRow } from '../metrics/row.js';
import { quoteTableName } from '../sql/identifiers.js';
import { DEFAULT_SQL_SERVICE } from './sql-client.js';
import { readerQuery } from './sql-read.js';
import { snapshotHour, type SnapshotOptions } from './snapshot-window.js';

export interface ObjectsTable {
  /** Metric name part: `objects.<name>.count` (lower-case letters, digits, '_' or '-'). */
  readonly name: string;
  /** Table to count, `table` or `schema.table` (case-sensitive, quoted). */
  readonly table: string;
  /** Optional SQL condition, e.g. `revoked_at IS NULL` or `plan = $1`. */
  readonly where?: string;
  /** Values of the `$n` parameters of `where`. */
  readonly params?: readonly unknown[];
}

export interface ObjectsReaderOptions extends SnapshotOptions {
  readonly tables: readonly ObjectsTable[];
  /** Service name of the source database, a SqlClient (default 'website'). */
  readonly service?: string;
}

const READER = 'objects';
const NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** The counting statement of one configured table. */
export function objectsCountSql(table: ObjectsTable): string {
  const where = table.where === undefined || table.where.trim() === '' ? '' : ` WHERE (${table.where})`;
  return `SELECT count(*)::float8 AS count FROM ${quoteTableName(table.table)}${where}`;
}

function checkOptions(options: ObjectsReaderOptions): void {
  if (!Array.isArray(options.tables)) throw new ConfigError(`objects reader: 'tables' must be a list`);
  const seen = new Set<string>();
  options.tables.forEach((table, i) => {
    if (!NAME.test(table.name)) throw new ConfigError(`objects reader: tables[${i}].name ${JSON.stringify(table.name)} must be lower-case letters, digits, '_' or '-'`);
    if (seen.has(table.name)) throw new ConfigError(`objects reader: tables[${i}].name '${table.name}' is used twice`);
    seen.add(table.name);
    if (table.where !== undefined && table.where.includes(';')) {
      throw new ConfigError(`objects reader: tables[${i}].where may not contain ';' (one condition, values as $n params)`);
    }
    try {
      quoteTableName(table.table);
    } catch (error) {
      throw new ConfigError(`objects reader: tables[${i}].table: ${(error as Error).message}`);
    }
  });
}

export function objectsReader(options: ObjectsReaderOptions): SourceNode<MetricRow> {
  checkOptions(options);
  const service = options.service ?? DEFAULT_SQL_SERVICE;
  return source(async function* read(ctx) {
    const at = snapshotHour(READER, options);
    if (at === undefined || options.tables.length === 0) return;
    const counts = await Promise.all(
      options.tables.map(async (table) => {
        const rows = await readerQuery<{ count: number | string }>(READER, ctx, service, objectsCountSql(table), [...(table.params ?? [])]);
        return [`objects.${table.name}.count`, Number(rows[0]?.count ?? 0)] as const;
      }),
    );
    yield { dims: { date: at.date, hour: at.hour }, metrics: Object.fromEntries(counts) };
  }, `postgres counts (${service})`);
}
