// The embedded metrics database: PGlite (PostgreSQL in WebAssembly) in a data directory, same SQL as the server.
import type { Transaction } from '@electric-sql/pglite';
import { quoteIdentifier } from '../sql/identifiers.js';
import type { MetricsDb, MetricsDbSettings, SqlResult, SqlTransaction } from './metrics-db.js';

/** The subset of PGlite this adapter uses. */
export interface PgliteLike {
  query<R>(text: string, params?: unknown[], options?: { blob?: Blob }): Promise<{ rows: R[]; affectedRows?: number }>;
  transaction<T>(body: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly closed: boolean;
}

function result<R>(res: { rows: R[]; affectedRows?: number }): SqlResult<R> {
  return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
}

/**
 * The COPY data as the Blob PGlite reads '/dev/blob' from. PGlite only asks a Blob for arrayBuffer(): bytes
 * that fill their buffer (the writer's reused ones) are handed over as they are, where `new Blob([data])`
 * and PGlite's arrayBuffer() made two more copies of every batch, dead external memory until a full GC.
 */
class BytesBlob extends Blob {
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    super([]);
    this.#bytes = bytes;
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#bytes;
    const whole = bytes.byteOffset === 0 && bytes.buffer instanceof ArrayBuffer && bytes.byteLength === bytes.buffer.byteLength;
    return Promise.resolve(whole ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer);
  }
}

function transactionOn(tx: Transaction): SqlTransaction {
  return {
    async query<R>(text: string, params: readonly unknown[] = []) {
      return result<R>(await tx.query<R>(text, params as unknown[]));
    },
    async copyFrom(table, columns, data) {
      const format = typeof data === 'string' ? '' : ' WITH (FORMAT binary)';
      const blob: Blob = typeof data === 'string' ? new Blob([data]) : new BytesBlob(data);
      const res = await tx.query(`COPY ${table} (${columns.map(quoteIdentifier).join(', ')}) FROM '/dev/blob'${format}`, [], {
        blob,
      });
      return res.affectedRows ?? 0;
    },
  };
}

export interface PgliteMetricsDbOptions {
  readonly pglite: PgliteLike;
  readonly settings: MetricsDbSettings;
  readonly target: string;
  /** Close the PGlite instance on close() (default true). */
  readonly ownsInstance?: boolean;
}

/** Wraps a PGlite instance as the metrics database port. */
export function pgliteMetricsDb(options: PgliteMetricsDbOptions): MetricsDb {
  const { pglite } = options;
  return {
    backend: 'pglite',
    target: options.target,
    settings: options.settings,
    secrets: [],
    async query<R>(text: string, params: readonly unknown[] = []) {
      return result<R>(await pglite.query<R>(text, params as unknown[]));
    },
    transaction<T>(body: (tx: SqlTransaction) => Promise<T>): Promise<T> {
      return pglite.transaction((tx) => body(transactionOn(tx)));
    },
    async close() {
      if (options.ownsInstance !== false && !pglite.closed) await pglite.close();
    },
  };
}
