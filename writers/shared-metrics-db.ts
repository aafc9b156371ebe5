// The metrics database another process shares (embedded/pglite-share.ts finds it): a pg Pool to its wire
// port, with COPY FROM STDIN done by INSERT in the same transaction (the share cannot take COPY).
import { quoteIdentifier } from '../sql/identifiers.js';
import type { SharedPglite } from '../embedded/pglite-share.js';
import { readSharePassword } from '../embedded/share-password.js';
import { MetricsDbError } from './errors.js';
import type { MetricsDb, MetricsDbSettings, SqlQueryable, SqlTransaction } from './metrics-db.js';
import { openPostgresPool, postgresMetricsDb, type PostgresTimeouts } from './postgres-metrics-db.js';

/** Connections one process opens to a share: its statements run one cycle at a time anyway. */
export const SHARED_POOL_MAX = 2;
/** Values per INSERT when COPY is done by INSERT (PostgreSQL allows 65535 parameters). */
const MAX_PARAMETERS = 30_000;

/** The metrics database `share` serves, through a pg Pool; close it with `db.close()`. */
export function openSharedMetricsDb(share: SharedPglite, settings: MetricsDbSettings, timeouts: PostgresTimeouts = {}): MetricsDb {
  // pglite-wire-server accepts any database name (one database, one session; any user unless it names one) with the share's
  // password, kept beside its lock (readable by this user only). None: a share by a version without one.
  const password = readSharePassword(share.dir);
  const user = encodeURIComponent(share.user ?? 'postgres');
  const login = password === undefined ? user : `${user}:${encodeURIComponent(password)}`;
  const url = `postgres://${login}@${share.host.includes(':') ? `[${share.host}]` : share.host}:${share.port}/postgres`;
  const target = `pglite:${share.dir} (via the process ${share.pid} that has it open, ${share.host}:${share.port})`;
  const secrets = password === undefined ? [] : [password];
  // PGlite ignores statement_timeout (it cannot interrupt a statement): the pool's client-side read timeout applies.
  const db = postgresMetricsDb({ pool: openPostgresPool(url, timeouts, SHARED_POOL_MAX), settings, target, secrets, timeouts });
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
