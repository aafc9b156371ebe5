// The metrics database on a real PostgreSQL server, through a pg Pool (COPY with pg-copy-streams).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { MetricsDb, MetricsDbSettings, SqlResult, SqlTransaction } from './metrics-db.js';
import { quoteIdentifier } from './sql-identifiers.js';

/** The subset of pg.Pool this adapter uses. */
export interface PgPoolLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
  connect(): Promise<pg.PoolClient>;
  end(): Promise<void>;
}

function result<R>(res: { rows: unknown[]; rowCount: number | null }): SqlResult<R> {
  return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
}

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
}

/** Wraps a pg Pool as the metrics database port. */
export function postgresMetricsDb(options: PostgresMetricsDbOptions): MetricsDb {
  const { pool } = options;
  return {
    backend: 'postgres',
    target: options.target,
    settings: options.settings,
    secrets: options.secrets ?? [],
    async query<R>(text: string, params: readonly unknown[] = []) {
      return result<R>(await pool.query(text, params as unknown[]));
    },
    async transaction<T>(body: (tx: SqlTransaction) => Promise<T>): Promise<T> {
      const client = await pool.connect();
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
        throw error;
      } finally {
        // A connection that cannot even roll back is destroyed rather than reused.
        client.release(broken);
      }
    },
    async close() {
      if (options.ownsPool !== false) await pool.end();
    },
  };
}

/** Opens a pg Pool on `url` for the metrics database (a few connections: writers pipeline one batch each). */
export function openPostgresPool(url: string, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'etl metrics writer' });
  // An idle connection dropped by the server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return pool;
}
