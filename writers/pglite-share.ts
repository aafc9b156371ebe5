// Shares the embedded metrics database of the process that holds it: served over the PostgreSQL wire
// protocol on 127.0.0.1 and advertised in `<dir>.socket`, so other etl commands use it instead of waiting.
//
// One PostgreSQL session serves everyone (PGlite's nature): a client's transaction runs alone, the holder
// waits for it (pglite-wire-server.ts), so a client must not keep a transaction open across slow work; one
// held longer than the hold timeout (30 s) is disconnected and rolled back. Session settings (SET, PREPARE)
// are shared by all clients. A client statement runs on the holder's thread: a long one stalls the holder.
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { EtlError } from '../graph/errors.js';
import { quoteIdentifier } from '../sql/identifiers.js';
import { MetricsDbError } from './errors.js';
import type { MetricsDb, MetricsDbSettings, SqlQueryable, SqlTransaction } from './metrics-db.js';
import { openPostgresPool, postgresMetricsDb, type PostgresTimeouts } from './postgres-metrics-db.js';
import { servePglite, type PgliteSession, type WireServerOptions } from './pglite-wire-server.js';
import { currentProcess, isAlive } from './process-identity.js';

export type SharePgliteOptions = WireServerOptions;

export interface PgliteShare {
  readonly host: string;
  readonly port: number;
  /** Clients connected now. */
  readonly connections: number;
  /** Removes the advertisement, disconnects the clients (rolling back what they left open), stops serving. */
  close(): Promise<void>;
}

/** A database another process shares, found by findSharedPglite. */
export interface SharedPglite {
  readonly dir: string;
  readonly host: string;
  readonly port: number;
  /** The process that has the database open. */
  readonly pid: number;
  /** When it began sharing (ISO time). */
  readonly started?: string;
}

interface Advertisement {
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** Process start (process-identity.ts), to tell a reused PID. */
  readonly start: string;
  readonly started: string;
}

/** Where the process that holds `dir` says how to reach it. */
export const advertisementFile = (dir: string): string => `${dir}.socket`;

function readJson(file: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
  if (/^\d+$/.test(text)) return { pid: Number(text) }; // a lock file of an older version: the PID alone
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const positiveInteger = (value: unknown, max = Number.MAX_SAFE_INTEGER): number | undefined =>
  Number.isInteger(value) && (value as number) > 0 && (value as number) <= max ? (value as number) : undefined;

/** The process holding `<dir>.lock` (dir-lock.ts writes pid, host, start), if any. */
function lockHolder(dir: string): { pid: number; host?: string; start?: string } | undefined {
  const lock = readJson(`${dir}.lock`);
  const pid = positiveInteger(lock?.pid);
  if (pid === undefined) return undefined;
  const host = text(lock?.host);
  const start = text(lock?.start);
  return { pid, ...(host === undefined ? {} : { host }), ...(start === undefined ? {} : { start }) };
}

/**
 * Serves `pglite`, the database in `dir` this process has open (openPglite), on 127.0.0.1 (any free port
 * unless `options.port`), and advertises it in `<dir>.socket` until close(). Close the share before PGlite.
 */
export async function sharePglite(pglite: PgliteSession, dir: string, options: SharePgliteOptions = {}): Promise<PgliteShare> {
  if (lockHolder(dir)?.pid !== process.pid) {
    throw new EtlError(`cannot share the embedded database ${dir}: this process has not locked it (open it with openPglite first)`);
  }
  const server = await servePglite(pglite, options);
  const file = advertisementFile(dir);
  const advertisement: Advertisement = { host: server.host, port: server.port, pid: process.pid, start: currentProcess().start, started: new Date().toISOString() };
  try {
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(advertisement)}\n`);
    renameSync(temp, file); // a reader sees the whole advertisement or none
  } catch (error) {
    await server.close();
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    host: server.host,
    port: server.port,
    get connections() {
      return server.connections;
    },
    close() {
      closed ??= (async () => {
        const current = readJson(file);
        if (current?.pid === process.pid && current.port === server.port) {
          try {
            unlinkSync(file);
          } catch {
            // Already gone.
          }
        }
        await server.close();
      })();
      return closed;
    },
  };
}

/**
 * The share of `dir` by a live process that holds its lock, or undefined: no advertisement, or a stale one
 * (its process is gone, or the lock is now held by another process, or by a process on another host).
 */
export function findSharedPglite(dir: string): SharedPglite | undefined {
  const ad = readJson(advertisementFile(dir));
  const host = text(ad?.host);
  const port = positiveInteger(ad?.port, 65_535);
  const pid = positiveInteger(ad?.pid);
  if (host === undefined || port === undefined || pid === undefined) return undefined;
  const lock = lockHolder(dir);
  if (lock === undefined || lock.pid !== pid) return undefined;
  if (lock.host !== undefined && lock.host !== '' && lock.host !== currentProcess().host) return undefined; // its 127.0.0.1 is not ours
  const start = text(ad?.start);
  if (start && lock.start && start !== lock.start) return undefined;
  if (!isAlive(lock)) return undefined;
  const started = text(ad?.started);
  return { dir, host, port, pid, ...(started === undefined ? {} : { started }) };
}

/** Connections one process opens to a share: its statements run one cycle at a time anyway. */
export const SHARED_POOL_MAX = 2;
/** Values per INSERT when COPY is done by INSERT (PostgreSQL allows 65535 parameters). */
const MAX_PARAMETERS = 30_000;

/** The metrics database `share` serves, through a pg Pool; close it with `db.close()`. */
export function openSharedMetricsDb(share: SharedPglite, settings: MetricsDbSettings, timeouts: PostgresTimeouts = {}): MetricsDb {
  // pglite-wire-server accepts any user and database name: there is one database, one session.
  const url = `postgres://postgres@${share.host}:${share.port}/postgres`;
  const target = `pglite:${share.dir} (via the process ${share.pid} that has it open, ${share.host}:${share.port})`;
  // PGlite ignores statement_timeout (it cannot interrupt a statement): the pool's client-side read timeout applies.
  const db = postgresMetricsDb({ pool: openPostgresPool(url, timeouts, SHARED_POOL_MAX), settings, target, timeouts });
  return {
    ...db,
    transaction<T>(body: (tx: SqlTransaction) => Promise<T>): Promise<T> {
      return db.transaction((tx) =>
        body({
          query: (sql, params) => tx.query(sql, params),
          // COPY FROM STDIN cannot go through the share: the same rows go in by INSERT, in this transaction.
          copyFrom: (table, columns, data) => copyByInsert(tx, table, columns, data),
        }),
      );
    },
  };
}

type Field = Buffer | string | null;

const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** The rows of PostgreSQL's binary COPY format, each field as its binary value (what a binary parameter takes). */
export function binaryCopyRows(data: Uint8Array): Field[][] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const bad = (why: string): MetricsDbError => new MetricsDbError(`COPY data (binary format): ${why}`, '22P04');
  if (buf.length < 19 || !buf.subarray(0, 11).equals(COPY_SIGNATURE)) throw bad('no PGCOPY signature');
  if ((buf.readInt32BE(11) & 0x10000) !== 0) throw bad('rows with OIDs are not supported');
  let at = 19 + buf.readInt32BE(15);
  const rows: Field[][] = [];
  for (;;) {
    if (at + 2 > buf.length) throw bad('no end marker');
    const count = buf.readInt16BE(at);
    at += 2;
    if (count === -1) return rows;
    const row: Field[] = [];
    for (let i = 0; i < count; i += 1) {
      if (at + 4 > buf.length) throw bad('truncated row');
      const length = buf.readInt32BE(at);
      at += 4;
      if (length === -1) {
        row.push(null);
        continue;
      }
      if (length < 0 || at + length > buf.length) throw bad('truncated field');
      row.push(buf.subarray(at, at + length));
      at += length;
    }
    rows.push(row);
  }
}

const TEXT_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function unescapeCopyText(field: string): string | null {
  if (field === '\\N') return null;
  return field.replace(/\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))/gs, (_all, octal?: string, hex?: string, other?: string) => {
    if (octal !== undefined) return String.fromCharCode(parseInt(octal, 8));
    if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
    return TEXT_ESCAPES[other!] ?? other!;
  });
}

/** The rows of PostgreSQL's text COPY format (tab-separated, one row a line, \N for NULL, backslash escapes). */
export function textCopyRows(data: string): Field[][] {
  const rows: Field[][] = [];
  for (const raw of data.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '\\.') break;
    if (line === '') continue;
    rows.push(line.split('\t').map(unescapeCopyText));
  }
  return rows;
}

/** COPY `table` (`columns`) FROM `data`, done by multi-row INSERTs in `tx`; resolves to the rows written. */
export async function copyByInsert(tx: SqlQueryable, table: string, columns: readonly string[], data: string | Uint8Array): Promise<number> {
  const rows = typeof data === 'string' ? textCopyRows(data) : binaryCopyRows(data);
  const width = columns.length;
  const bad = rows.findIndex((row) => row.length !== width);
  if (bad >= 0) throw new MetricsDbError(`COPY ${table}: row ${bad + 1} has ${rows[bad]!.length} fields, ${width} columns expected`, '22P04');
  const head = `INSERT INTO ${table} (${columns.map(quoteIdentifier).join(', ')}) VALUES `;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / width));
  let written = 0;
  for (let from = 0; from < rows.length; from += perStatement) {
    const chunk = rows.slice(from, from + perStatement);
    // Binary fields go as binary parameters (pg sends a Buffer so), typed by the target columns as in COPY.
    const tuples = chunk.map((_row, r) => `(${columns.map((_c, c) => `$${r * width + c + 1}`).join(', ')})`);
    written += (await tx.query(head + tuples.join(', '), chunk.flat())).rowCount;
  }
  return written;
}
