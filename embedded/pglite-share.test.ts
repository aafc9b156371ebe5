// The embedded database shared over the wire: clients in other processes and the holder's own code at once.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsDbSettings } from '../writers/open-metrics-db.js';
import { openPglite } from './open-pglite.js';
import { openSharedMetricsDb } from '../writers/shared-metrics-db.js';
import { advertisementFile, findSharedPglite, sharePglite, type PgliteShare, type SharedPglite } from './pglite-share.js';
import { isRefusedCopy } from './pglite-wire-server.js';
import { processStart } from './process-identity.js';
import { readSharePassword } from './share-password.js';
import { scramClient } from '../test/support/scram-client.js';

const root = mkdtempSync(join(tmpdir(), 'etl-share-'));
const dir = join(root, 'metrics-db');
const HOLD_TIMEOUT_MS = 3_000;
const MAX_CONNECTIONS = 6;
const notices: string[] = [];
let pglite: PGlite;
let share: PgliteShare;
let found: SharedPglite;
/** The password the share generated (clients authenticate with it). */
let password: string;

beforeAll(async () => {
  pglite = await openPglite(dir);
  await pglite.exec(`CREATE TABLE share_rows (who text, tx int, n int, PRIMARY KEY (who, tx, n));
    CREATE TABLE copy_rows (id int4 PRIMARY KEY, day date, v float8, note text)`);
  share = await sharePglite(pglite, dir, { holdTimeoutMs: HOLD_TIMEOUT_MS, maxConnections: MAX_CONNECTIONS, onNotice: (m) => notices.push(m) });
  password = readSharePassword(dir)!;
});

afterAll(async () => {
  await share?.close();
  await pglite?.close();
  rmSync(root, { recursive: true, force: true });
});

const client = (options: pg.ClientConfig = {}): pg.Client =>
  new pg.Client({ host: share.host, port: share.port, user: 'postgres', database: 'postgres', password, connectionTimeoutMillis: 5_000, ...options });

/** Frontend messages, built by hand (as a raw client would send them). */
const fe = {
  message(type: string, body: Buffer): Buffer {
    const head = Buffer.alloc(5);
    head.write(type, 0, 'latin1');
    head.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([head, body]);
  },
  startup(): Buffer {
    const body = Buffer.from('user\0postgres\0database\0postgres\0\0');
    const head = Buffer.alloc(8);
    head.writeInt32BE(body.length + 8, 0);
    head.writeInt32BE(196_608, 4);
    return Buffer.concat([head, body]);
  },
  query: (sql: string): Buffer => fe.message('Q', Buffer.from(`${sql}\0`)),
  parse: (sql: string): Buffer => fe.message('P', Buffer.concat([Buffer.from(`\0${sql}\0`), Buffer.alloc(2)])),
  bind(values: string[]): Buffer {
    const parts = [Buffer.from('\0\0'), Buffer.alloc(2), Buffer.alloc(2)];
    parts[2]!.writeInt16BE(values.length);
    for (const v of values) {
      const len = Buffer.alloc(4);
      len.writeInt32BE(Buffer.byteLength(v));
      parts.push(len, Buffer.from(v));
    }
    parts.push(Buffer.alloc(2));
    return fe.message('B', Buffer.concat(parts));
  },
  execute: (): Buffer => fe.message('E', Buffer.from('\0\0\0\0\0')),
  sync: (): Buffer => fe.message('S', Buffer.alloc(0)),
};

interface Reply {
  readonly type: string;
  readonly body: Buffer;
}

/** A client speaking the wire protocol by hand, recording the replies it gets (it answers SCRAM by itself). */
function rawClient(): { socket: Socket; replies: Reply[]; closed: Promise<void>; until(test: (r: Reply[]) => boolean, ms?: number): Promise<void> } {
  const socket = connect(share.port, share.host);
  socket.on('error', () => undefined);
  const replies: Reply[] = [];
  const scram = scramClient(password);
  let buf = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 5 && buf.length >= 1 + buf.readInt32BE(1)) {
      const length = buf.readInt32BE(1);
      const reply = { type: String.fromCharCode(buf[0]!), body: buf.subarray(5, 1 + length) };
      replies.push(reply);
      buf = buf.subarray(1 + length);
      if (reply.type === 'R' && reply.body.readInt32BE(0) === 10) socket.write(scram.initial());
      if (reply.type === 'R' && reply.body.readInt32BE(0) === 11) socket.write(scram.final(reply.body.toString('utf8', 4)));
    }
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return {
    socket,
    replies,
    closed,
    async until(test, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (!test(replies)) {
        if (Date.now() > deadline) throw new Error(`no such reply within ${ms}ms: ${replies.map((r) => r.type).join('')}`);
        await sleep(10);
      }
    },
  };
}

const readyCount = (replies: Reply[]): number => replies.filter((r) => r.type === 'Z').length;
function dataRows(replies: Reply[]): string[][] {
  return replies
    .filter((r) => r.type === 'D')
    .map(({ body }) => {
      const fields: string[] = [];
      for (let i = 0, at = 2; i < body.readInt16BE(0); i += 1) {
        const length = body.readInt32BE(at);
        fields.push(body.toString('utf8', at + 4, at + 4 + length));
        at += 4 + length;
      }
      return fields;
    });
}
const errorField = (reply: Reply, field: string): string | undefined =>
  reply.body
    .toString('utf8')
    .split('\0')
    .find((f) => f.startsWith(field))
    ?.slice(1);

// The other process: 20 transactions of 10 rows, with $1 parameters, checking what it sees inside each.
const CHILD = `
const [pgPath, host, port, who, password] = process.argv.slice(2);
const pg = (await import(pgPath)).default;
const pool = new pg.Pool({ host, port: Number(port), user: 'postgres', database: 'postgres', password, max: 2, connectionTimeoutMillis: 10000 });
const problems = [];
for (let tx = 0; tx < 20; tx++) {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    for (let n = 0; n < 10; n++) {
      await c.query('INSERT INTO share_rows (who, tx, n) VALUES ($1, $2, $3)', [who, tx, n]);
      const own = await c.query('SELECT count(*)::int AS k FROM share_rows WHERE who = $1 AND tx = $2', [who, tx]);
      if (own.rows[0].k !== n + 1) problems.push('own transaction ' + tx + ' shows ' + own.rows[0].k + ' rows after ' + (n + 1));
      const half = await c.query('SELECT who, tx, count(*)::int AS k FROM share_rows WHERE who <> $1 GROUP BY who, tx HAVING count(*) <> 10', [who]);
      if (half.rows.length > 0) problems.push('sees half a transaction: ' + JSON.stringify(half.rows));
    }
    await c.query('COMMIT');
  } finally {
    c.release();
  }
}
await pool.end();
process.stdout.write(JSON.stringify({ problems }));
`;

function runChild(who: string): Promise<{ problems: string[] }> {
  const script = join(root, 'share-client.mjs');
  writeFileSync(script, CHILD);
  const pgPath = new URL(`file://${createRequire(import.meta.url).resolve('pg')}`).href;
  const child = spawn(process.execPath, [script, pgPath, share.host, String(share.port), who, password], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { problems: string[] }) : reject(new Error(`client process exited ${code}: ${err}`))));
  });
}

/** Binary COPY data (PostgreSQL's format) for rows of binary fields. */
function binaryCopy(rows: (Buffer | null)[][]): Uint8Array {
  const int = (bytes: 2 | 4, value: number): Buffer => {
    const b = Buffer.alloc(bytes);
    if (bytes === 2) b.writeInt16BE(value);
    else b.writeInt32BE(value);
    return b;
  };
  const parts = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), int(4, 0), int(4, 0)];
  for (const row of rows) {
    parts.push(int(2, row.length));
    for (const field of row) parts.push(...(field === null ? [int(4, -1)] : [int(4, field.length), field]));
  }
  parts.push(int(2, -1));
  return Buffer.concat(parts);
}

describe('sharing the embedded database with other processes', () => {
  it('advertises itself in <dir>.socket, which findSharedPglite reads', () => {
    const ad = JSON.parse(readFileSync(advertisementFile(dir), 'utf8')) as Record<string, unknown>;
    expect(ad).toMatchObject({ host: '127.0.0.1', port: share.port, pid: process.pid });
    expect(typeof ad.started).toBe('string');
    expect(share.port).toBeGreaterThan(0);
    found = findSharedPglite(dir)!;
    expect(found).toMatchObject({ dir, host: '127.0.0.1', port: share.port, pid: process.pid });
  });

  it('a client process, a pg pool here and the holder write at once: nothing lost, no transaction split or seen half-done', async () => {
    const db = openSharedMetricsDb(found, metricsDbSettings({}));
    const holderProblems: string[] = [];
    const holder = async (): Promise<void> => {
      for (let tx = 0; tx < 20; tx += 1) {
        await pglite.transaction(async (t) => {
          for (let n = 0; n < 10; n += 1) {
            await t.query('INSERT INTO share_rows (who, tx, n) VALUES ($1, $2, $3)', ['holder', tx, n]);
            await new Promise(setImmediate); // give clients every chance to slip in
            const half = await t.query<{ who: string }>(`SELECT who, tx, count(*) FROM share_rows WHERE who <> 'holder' GROUP BY who, tx HAVING count(*) <> 10`);
            if (half.rows.length > 0) holderProblems.push(`holder sees half a transaction: ${JSON.stringify(half.rows)}`);
          }
        });
      }
    };
    const poolProblems: string[] = [];
    const viaPool = async (): Promise<void> => {
      for (let tx = 0; tx < 20; tx += 1) {
        await db.transaction(async (t) => {
          for (let n = 0; n < 10; n += 1) {
            await t.query('INSERT INTO share_rows (who, tx, n) VALUES ($1, $2, $3)', ['pool', tx, n]);
            const half = await t.query(`SELECT who, tx, count(*) FROM share_rows WHERE who <> 'pool' GROUP BY who, tx HAVING count(*) <> 10`);
            if (half.rows.length > 0) poolProblems.push(`pool sees half a transaction: ${JSON.stringify(half.rows)}`);
          }
        });
      }
    };
    try {
      const [child] = await Promise.all([runChild('child'), holder(), viaPool()]);
      expect([...child.problems, ...holderProblems, ...poolProblems]).toEqual([]);
      const groups = await pglite.query<{ who: string; txs: number; rows: number; whole: boolean }>(
        `SELECT who, count(DISTINCT tx)::int AS txs, count(*)::int AS rows, bool_and(k = 10) AS whole
           FROM (SELECT who, tx, count(*) OVER (PARTITION BY who, tx) AS k FROM share_rows) g GROUP BY who ORDER BY who`,
      );
      expect(groups.rows).toEqual([
        { who: 'child', txs: 20, rows: 200, whole: true },
        { who: 'holder', txs: 20, rows: 200, whole: true },
        { who: 'pool', txs: 20, rows: 200, whole: true },
      ]);
    } finally {
      await db.close();
    }
  });

  it('openSharedMetricsDb: COPY (binary and text) goes in by INSERT in the transaction; a duplicate key fails as COPY does (23505)', async () => {
    const db = openSharedMetricsDb(found, metricsDbSettings({}));
    try {
      expect(db.target).toBe(`pglite:${dir} (via the process ${process.pid} that has it open, 127.0.0.1:${share.port})`);
      const int4 = (v: number): Buffer => Buffer.from([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]);
      const float8 = (v: number): Buffer => {
        const b = Buffer.alloc(8);
        b.writeDoubleBE(v);
        return b;
      };
      const days = (iso: string): number => (Date.parse(iso) - Date.parse('2000-01-01')) / 86_400_000;
      const binary = binaryCopy([
        [int4(1), int4(days('2026-12-01')), float8(1.5), Buffer.from('tab\there')],
        [int4(2), null, null, null],
      ]);
      const columns = ['id', 'day', 'v', 'note'];
      expect(await db.transaction((tx) => tx.copyFrom('copy_rows', columns, binary))).toBe(2);
      expect(await db.transaction((tx) => tx.copyFrom('copy_rows', columns, '3\t2026-12-02\t2.5\tline\\nbreak \\\\ \\x41\n4\t\\N\t\\N\t\\N\n'))).toBe(2);
      const rows = await db.query('SELECT id, day::text AS day, v, note FROM copy_rows ORDER BY id');
      expect(rows.rows).toEqual([
        { id: 1, day: '2026-12-01', v: 1.5, note: 'tab\there' },
        { id: 2, day: null, v: null, note: null },
        { id: 3, day: '2026-12-02', v: 2.5, note: 'line\nbreak \\ A' },
        { id: 4, day: null, v: null, note: null },
      ]);
      await expect(db.transaction((tx) => tx.copyFrom('copy_rows', columns, binary))).rejects.toMatchObject({ code: '23505' });
      // More values than one statement takes: several INSERTs, one transaction.
      const many = Array.from({ length: 10_000 }, (_v, i) => `${100 + i}\t\\N\t${i}\tx`).join('\n');
      expect(await db.transaction((tx) => tx.copyFrom('copy_rows', columns, many))).toBe(10_000);
      expect((await pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM copy_rows')).rows[0]!.n).toBe(10_004);
    } finally {
      await db.close();
    }
  });

  it("a client's half-sent extended-protocol cycle is not interleaved with another client's, nor with the holder's queries", async () => {
    const a = rawClient();
    const b = rawClient();
    try {
      a.socket.write(fe.startup());
      b.socket.write(fe.startup());
      await a.until((r) => readyCount(r) === 1);
      await b.until((r) => readyCount(r) === 1);
      a.socket.write(Buffer.concat([fe.parse(`SELECT 'A-statement', $1::text`), fe.bind(['A-param'])]));
      await a.until((r) => r.some((m) => m.type === '2')); // BindComplete: A's cycle is open
      b.socket.write(Buffer.concat([fe.parse(`SELECT 'B-statement', $1::text`), fe.bind(['B-param']), fe.execute(), fe.sync()]));
      let holderDone = false;
      const holderQuery = pglite.query('SELECT 1').then(() => (holderDone = true));
      await sleep(300);
      expect(dataRows(b.replies)).toEqual([]); // B waits for A's Sync
      expect(holderDone).toBe(false);
      a.socket.write(Buffer.concat([fe.execute(), fe.sync()]));
      await a.until((r) => readyCount(r) === 2);
      await b.until((r) => readyCount(r) === 2);
      await holderQuery;
      expect(dataRows(a.replies)).toEqual([['A-statement', 'A-param']]);
      expect(dataRows(b.replies)).toEqual([['B-statement', 'B-param']]);
    } finally {
      a.socket.destroy();
      b.socket.destroy();
    }
  });

  it("connecting does not wait for the holder's transaction; the client's first statement does", async () => {
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    const holderTx = pglite.transaction(async (tx) => {
      await tx.query(`INSERT INTO share_rows VALUES ('slow-holder', 1, 1)`);
      inside();
      await sleep(1_000);
    });
    await entered;
    const c = client();
    const from = Date.now();
    await c.connect();
    const connected = Date.now() - from;
    const rows = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM share_rows WHERE who = 'slow-holder'`);
    const answered = Date.now() - from;
    await holderTx;
    await c.end();
    expect(connected).toBeLessThan(500);
    expect(answered).toBeGreaterThan(connected);
    expect(rows.rows).toEqual([{ n: 1 }]); // run after the holder's COMMIT, never inside its transaction
  });

  it('a client that disconnects in the middle of a transaction is rolled back, and the holder goes on', async () => {
    const a = rawClient();
    a.socket.write(fe.startup());
    await a.until((r) => readyCount(r) === 1);
    a.socket.write(Buffer.concat([fe.query('BEGIN'), fe.query(`INSERT INTO share_rows VALUES ('gone', 1, 1)`)]));
    await a.until((r) => readyCount(r) === 3);
    expect(a.replies.at(-1)!.body.toString()).toBe('T'); // in a transaction
    a.socket.destroy();
    await a.closed;
    const rows = await pglite.query<{ n: number }>(`SELECT count(*)::int AS n FROM share_rows WHERE who = 'gone'`);
    expect(rows.rows[0]!.n).toBe(0);
    expect(pglite.isInTransaction()).toBe(false);
    await pglite.transaction(async (tx) => tx.query(`INSERT INTO share_rows VALUES ('holder-after', 1, 1)`));
    expect((await pglite.query<{ n: number }>(`SELECT count(*)::int AS n FROM share_rows WHERE who = 'holder-after'`)).rows[0]!.n).toBe(1);
    expect(notices.some((m) => m.includes('left with a transaction open: rolled back'))).toBe(true);
  });

  it('a client keeping a transaction open longer than holdTimeoutMs is disconnected and rolled back; the holder waits no longer', async () => {
    const c = client();
    const errors: Error[] = [];
    c.on('error', (e) => errors.push(e));
    await c.connect();
    await c.query('BEGIN');
    await c.query('INSERT INTO share_rows VALUES ($1, $2, $3)', ['idle-in-tx', 1, 1]);
    const waitedFrom = Date.now();
    const rows = await pglite.query<{ n: number }>(`SELECT count(*)::int AS n FROM share_rows WHERE who = 'idle-in-tx'`);
    const waited = Date.now() - waitedFrom;
    expect(rows.rows[0]!.n).toBe(0); // never saw the client's half-done transaction
    expect(waited).toBeGreaterThan(HOLD_TIMEOUT_MS / 2);
    expect(waited).toBeLessThan(HOLD_TIMEOUT_MS + 5_000);
    await expect(c.query('COMMIT')).rejects.toThrow();
    expect(notices.some((m) => m.includes('kept the database for more than 3s'))).toBe(true);
    await c.end().catch(() => undefined);
  });

  it('COPY FROM STDIN is refused with an error (PGlite would hang the holder); COPY TO STDOUT works', async () => {
    const c = client();
    await c.connect();
    try {
      const copyIn = c.query(copyStreams.from('COPY share_rows (who, tx, n) FROM STDIN'));
      const failed = new Promise((resolve) => copyIn.on('error', resolve));
      copyIn.end('x\t1\t1\n');
      expect(await failed).toMatchObject({ code: '0A000' });
      const copyOut = c.query(copyStreams.to(`COPY (SELECT who FROM share_rows WHERE who = 'holder-after') TO STDOUT`));
      let out = '';
      for await (const chunk of copyOut) out += String(chunk);
      expect(out).toBe('holder-after\n');
      expect((await c.query('SELECT $1::int + 1 AS x', [41])).rows).toEqual([{ x: 42 }]); // the connection goes on
      expect((await pglite.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await c.end();
    }
    expect(isRefusedCopy(`COPY t FROM '/dev/blob'`)).toBe(true);
    expect(isRefusedCopy('copy t to stdout; copy t from stdin')).toBe(true);
    expect(isRefusedCopy('SELECT copy_count FROM t')).toBe(false);
  });

  it('an unsupported message or a malformed startup packet disconnects that client only', async () => {
    const a = rawClient();
    a.socket.write(fe.startup());
    await a.until((r) => readyCount(r) === 1);
    a.socket.write(fe.message('Y', Buffer.alloc(0)));
    await a.closed;
    const fatal = a.replies.find((r) => r.type === 'E')!;
    expect(errorField(fatal, 'S')).toBe('FATAL');
    expect(errorField(fatal, 'C')).toBe('08P01');
    const b = rawClient();
    const bare = Buffer.alloc(8);
    bare.writeInt32BE(8, 0);
    bare.writeInt32BE(196_608, 4);
    b.socket.write(bare); // protocol 3.0, no parameters: PGlite would exit, and accept no client after
    await b.closed;
    expect(errorField(b.replies.find((r) => r.type === 'E')!, 'C')).toBe('08P01');
    const c = client();
    await c.connect();
    expect((await c.query('SELECT $1::text AS t', ['fine'])).rows).toEqual([{ t: 'fine' }]);
    await c.end();
    expect((await pglite.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('refuses a connection beyond maxConnections with SQLSTATE 53300', async () => {
    for (let i = 0; i < 100 && share.connections > 0; i += 1) await sleep(20);
    const clients = Array.from({ length: MAX_CONNECTIONS }, () => client());
    try {
      await Promise.all(clients.map((c) => c.connect()));
      const extra = client();
      await expect(extra.connect()).rejects.toMatchObject({ code: '53300' });
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('findSharedPglite ignores a stale advertisement and one whose lock another process holds', async () => {
    const other = join(root, 'other-db');
    const host = hostname();
    const write = (file: string, value: object): void => writeFileSync(file, JSON.stringify(value));
    const gone = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    expect(findSharedPglite(other)).toBeUndefined(); // nothing there
    write(advertisementFile(other), { host: '127.0.0.1', port: 5999, pid: gone, start: '', started: '2026-01-01T00:00:00Z' });
    expect(findSharedPglite(other)).toBeUndefined(); // no lock
    write(`${other}.lock`, { pid: gone, host, start: '' });
    expect(findSharedPglite(other)).toBeUndefined(); // its process has exited (a crash left both files)
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      await sleep(100);
      const start = processStart(live.pid!)!;
      write(`${other}.lock`, { pid: live.pid, host, start });
      expect(findSharedPglite(other)).toBeUndefined(); // the lock is another process's: the advertiser crashed, another took over
      write(advertisementFile(other), { host: '127.0.0.1', port: 5999, pid: live.pid, start, started: '2026-01-01T00:00:00Z' });
      expect(findSharedPglite(other)).toEqual({ dir: other, host: '127.0.0.1', port: 5999, pid: live.pid, started: '2026-01-01T00:00:00Z' });
      write(advertisementFile(other), { host: '127.0.0.1', port: 5999, pid: live.pid, start: 'another-boot:1', started: '2026-01-01T00:00:00Z' });
      expect(findSharedPglite(other)).toBeUndefined(); // a reused PID
      write(advertisementFile(other), { host: '127.0.0.1', port: 5999, pid: live.pid, start, started: '2026-01-01T00:00:00Z' });
      write(`${other}.lock`, { pid: live.pid, host: 'another-host', start });
      expect(findSharedPglite(other)).toBeUndefined(); // held on another machine: its 127.0.0.1 is not ours
    } finally {
      live.kill();
    }
    await expect(sharePglite(pglite, other)).rejects.toThrow('this process has not locked it');
  });

  it('after close(): the advertisement is gone, and a new client is refused at once (ECONNREFUSED)', async () => {
    await share.close();
    expect(existsSync(advertisementFile(dir))).toBe(false);
    expect(findSharedPglite(dir)).toBeUndefined();
    const started = Date.now();
    await expect(client({ connectionTimeoutMillis: 3_000 }).connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const db = openSharedMetricsDb(found, metricsDbSettings({}), { connectTimeoutMs: 3_000 });
    await expect(db.query('SELECT 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await db.close();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await pglite.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]); // the holder goes on
  });
});
