// The event store on a PostgreSQL server through a pg Pool of its own, with the collector's short timeouts
// (connect, statement server-side, read client-side), so a hung database answers 503 instead of holding requests.
// Rows go in with binary COPY (copy-binary.ts; the statement and the rows in one write: copy-in.ts); a COPY that meets a message id already stored (a retried batch) is rolled
// back by PostgreSQL and the rows go again through INSERT ... ON CONFLICT DO NOTHING, so nothing is doubled.
// The rows' identity links (identity-links.ts), when they have any this process has not stored already, are upserted
// by a second statement of the same query string: PostgreSQL runs the statements of one simple query as one
// transaction, so links and events commit (or roll back) together, still in one round trip.
import pg from 'pg';
import { maskText, urlSecrets } from '../secrets/mask.js';
import { COLLECTOR_COLUMNS } from '../writers/migrations.js';
import { quoteIdentifier } from '../sql/identifiers.js';
import { copyBinary } from './copy-binary.js';
import { CopyIn } from './copy-in.js';
import type { EventRow } from './event-row.js';
import { checkEventsTable, createEventsTable } from './events-table.js';
import { identityLinks, identityUpsertSql, jsonLiteral, KnownLinks, linksJson } from './identity-links.js';
import { raceRetried, sqlEventStore, sqlState, storeError, withTimeout, type EventStore } from './event-store.js';

export interface PgEventStoreOptions {
  readonly url: string;
  readonly schema: string;
  readonly writeTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** 'create': create the table if missing (a database of the collector's own); 'check': it must exist (migration 4). */
  readonly table: 'create' | 'check';
  readonly maxConnections?: number;
}

export async function pgEventStore(options: PgEventStoreOptions): Promise<EventStore> {
  const secrets = urlSecrets(options.url);
  const scrub = (text: string): string => maskText(text, secrets);
  const timeoutMs = options.writeTimeoutMs;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 4,
    application_name: 'etl collector',
    connectionTimeoutMillis: Math.min(options.connectTimeoutMs, timeoutMs),
    statement_timeout: timeoutMs,
    query_timeout: timeoutMs + 1_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  // A connection the server drops (restart, terminate) must not crash the process: the next write reports it.
  pool.on('error', () => undefined);
  try {
    if (options.table === 'create') await createEventsTable(pool, options.schema);
    await checkEventsTable(pool, options.schema);
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof Error) error.message = scrub(error.message);
    throw error;
  }
  const copySql = `COPY ${quoteIdentifier(options.schema)}.events (${COLLECTOR_COLUMNS.map(quoteIdentifier).join(', ')}) FROM STDIN (FORMAT binary)`;
  const knownLinks = new KnownLinks();
  const upsert = sqlEventStore({ db: pool, schema: options.schema, timeoutMs, scrub, onClose: () => pool.end(), knownLinks });

  /** One COPY on a connection of its own; a connection left mid-COPY (timeout, network) is destroyed, not reused. */
  const copy = async (sql: string, data: Buffer): Promise<void> => {
    const client = await pool.connect(); // within connectionTimeoutMillis
    // A checked-out client reports a dropped connection (server restart, terminate) as an 'error' event: without
    // a listener it would end the process. The COPY in progress fails too, and that failure is what we act on.
    const ignore = (): void => undefined;
    client.on('error', ignore);
    let released = false;
    const release = (broken?: Error): void => {
      if (!released) {
        client.off('error', ignore);
        client.release(broken);
      }
      released = true;
    };
    try {
      await withTimeout(client.query(new CopyIn(sql, data)).done, timeoutMs, 'writing events');
      release();
    } catch (error) {
      // An error PostgreSQL reported (a SQLSTATE) leaves the connection usable; anything else may not.
      release(sqlState(error) === undefined ? (error instanceof Error ? error : new Error(String(error))) : undefined);
      throw error;
    }
  };

  return {
    async insert(rows) {
      try {
        const links = knownLinks.pending(identityLinks(rows));
        const sql = links.length === 0 ? copySql : `${copySql}; ${identityUpsertSql(options.schema, jsonLiteral(linksJson(links)))}`;
        await raceRetried(() => copy(sql, copyBinary(rows)));
        knownLinks.remember(links);
      } catch (error) {
        // 23505: a message id already stored (a retry): the COPY wrote nothing; the upsert skips the known ids.
        if (sqlState(error) === '23505') return upsert.insert(rows);
        throw storeError(error, scrub);
      }
    },
    ping: () => upsert.ping(),
    close: () => upsert.close(),
  };
}
