// The metrics database on a real PostgreSQL server, through a pg Pool (COPY with pg-copy-streams).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { formatDuration } from '../graph/duration.js';
import { quoteIdentifier } from '../sql/identifiers.js';
import { MetricsDbError } from './errors.js';
import type { MetricsDb, MetricsDbSettings, SqlResult, SqlTable, SqlTransaction } from './metrics-db.js';
import { parseTimestamptz } from './timestamptz-text.js';

/** The subset of pg.Pool this adapter uses. */
export interface PgPoolLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
  connect(): Promise<pg.PoolClient>;
  end(): Promise<void>;
}

function result<R>(res: { rows: unknown[]; rowCount: number | null }): SqlResult<R> {
  return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
}

function table(res: pg.QueryResult<unknown[]>): SqlTable {
  return { names: res.fields.map((f) => f.name), rows: res.rows };
}

/** Type parsers of the read-only connections: pg's own, but a faster one for timestamptz (the same Dates). */
const READ_ONLY_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.TIMESTAMPTZ && format !== 'binary' ? parseTimestamptz : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

function copySql(table: string, columns: readonly string[], binary: boolean): string {
  return `COPY ${table} (${columns.map(quoteIdentifier).join(', ')}) FROM STDIN${binary ? ' WITH (FORMAT binary)' : ''}`;
}

function transactionOn(client: pg.PoolClient): SqlTransaction {
  return {
    async query<R>(text: string, params: readonly unknown[] = []) {
      return result<R>(await client.query(text, params as unknown[]));
    },
    async copyFrom(table, columns, data) {
      const stream = client.query(copyStreams.from(copySql(table, columns, typeof data !== 'string')));
      const chunk = typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      await pipeline(Readable.from([chunk]), stream);
      return stream.rowCount;
    },
  };
}

export interface PostgresMetricsDbOptions {
  readonly pool: PgPoolLike;
  readonly settings: MetricsDbSettings;
  /** Where it is, password already masked. */
  readonly target: string;
  readonly secrets?: readonly string[];
  /** Close the pool on close() (default true). */
  readonly ownsPool?: boolean;
  /** The pool's timeouts, to say which one expired. */
  readonly timeouts?: PostgresTimeouts;
  /**
   * The server's URL, for readOnlyQuery's own connections (default_transaction_read_only=on). Only for a real
   * PostgreSQL: the embedded database's wire server has one shared session, whose settings must not change.
   */
  readonly readOnlyUrl?: string;
}

export interface PostgresTimeouts {
  /** Connecting (TCP, TLS, authentication) may take this long, ms (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** One statement may take this long, ms (default 5 min): server-side statement_timeout, and a client-side
   * read timeout a little longer, for a server that stops answering altogether. */
  readonly statementTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 300_000;

/** pg's messages for its client-side timeouts (it gives them no code). */
const CONNECT_TIMEOUT = /connection timeout|timeout exceeded when trying to connect/i;
const READ_TIMEOUT = /query read timeout/i;

/** A timeout of the pool as an error naming the database and the time waited; other errors unchanged. */
export function explainTimeout(error: unknown, target: string, timeouts: PostgresTimeouts = {}): unknown {
  const message = error instanceof Error ? error.message : '';
  const code = (error as { code?: unknown } | null)?.code;
  if (CONNECT_TIMEOUT.test(message)) {
    const ms = timeouts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    return new MetricsDbError(`metrics database ${target}: no answer within ${formatDuration(ms)} while connecting (metricsDatabase.connectTimeout)`);
  }
  if (READ_TIMEOUT.test(message) || code === '57014') {
    const ms = timeouts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    return new MetricsDbError(`metrics database ${target}: a statement got no answer within ${formatDuration(ms)} (metricsDatabase.statementTimeout)`, typeof code === 'string' ? code : undefined);
  }
  return error;
}

/** Wraps a pg Pool as the metrics database port. */
export function postgresMetricsDb(options: PostgresMetricsDbOptions): MetricsDb {
  const { pool } = options;
  const explain = (error: unknown): unknown => explainTimeout(error, options.target, options.timeouts);
  const readOnly = options.readOnlyUrl === undefined ? undefined : readOnlyPools(options.readOnlyUrl, options.timeouts);
  return {
    backend: 'postgres',
    target: options.target,
    settings: options.settings,
    secrets: options.secrets ?? [],
    ...(readOnly === undefined ? {} : { readOnlyQuery: async (text: string, params: readonly unknown[], timeoutMs: number) => table(await readOnly.pool(timeoutMs).query({ text, values: params as unknown[], rowMode: 'array' })) }),
    async query<R>(text: string, params: readonly unknown[] = []) {
      try {
        return result<R>(await pool.query(text, params as unknown[]));
      } catch (error) {
        throw explain(error);
      }
    },
    async transaction<T>(body: (tx: SqlTransaction) => Promise<T>): Promise<T> {
      const client = await pool.connect().catch((error: unknown) => {
        throw explain(error);
      });
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const value = await body(transactionOn(client));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw explain(error);
      } finally {
        // A connection that cannot even roll back is destroyed rather than reused.
        client.release(broken);
      }
    },
    async close() {
      await readOnly?.end();
      if (options.ownsPool !== false) await pool.end();
    },
  };
}

/**
 * Small pools of read-only connections, one per statement timeout (dashboards use one): each statement is one
 * round trip, where a READ ONLY transaction with its own timeout costs four (BEGIN, settings, query, COMMIT).
 */
function readOnlyPools(url: string, timeouts: PostgresTimeouts = {}): { pool(timeoutMs: number): pg.Pool; end(): Promise<void> } {
  const pools = new Map<number, pg.Pool>();
  return {
    pool(timeoutMs) {
      let found = pools.get(timeoutMs);
      if (found === undefined) {
        found = new pg.Pool({
          connectionString: url,
          // A dashboard asks for all its panels at once (20 for the shipped one): as many connections as the writers' pool.
          max: 10,
          application_name: 'etl dashboards',
          options: '-c default_transaction_read_only=on',
          types: READ_ONLY_TYPES,
          connectionTimeoutMillis: timeouts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
          statement_timeout: timeoutMs,
          query_timeout: timeoutMs + 5_000,
        });
        found.on('error', () => undefined);
        pools.set(timeoutMs, found);
      }
      return found;
    },
    async end() {
      await Promise.all([...pools.values()].map((p) => p.end()));
      pools.clear();
    },
  };
}

/** Opens a pg Pool on `url` for the metrics database (a few connections: writers pipeline one batch each). */
export function openPostgresPool(url: string, timeouts: PostgresTimeouts = {}, max = 10): pg.Pool {
  const statement = timeouts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: 'etl metrics writer',
    connectionTimeoutMillis: timeouts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    statement_timeout: statement,
    // Client side, a little later than the server's own timeout: catches a server that stopped answering.
    query_timeout: statement + 5_000,
  });
  // An idle connection dropped by the server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return pool;
}
