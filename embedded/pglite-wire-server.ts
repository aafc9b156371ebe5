// Serves one PGlite instance to PostgreSQL clients over TCP, one client's protocol cycle or transaction at a time.
//
// PGlite is a single PostgreSQL session: every client and the process holding it share it (one transaction
// state, one unnamed statement, the same SETs). So a client's cycle (its messages up to the ReadyForQuery
// that ends it, and a whole BEGIN ... COMMIT) runs while this server holds PGlite's transaction mutex, the
// one its own query/exec/transaction take: the holder's code never runs inside a client's transaction and
// no client runs inside the holder's; other clients wait their turn. Messages that stall PGlite for good
// (COPY FROM STDIN or a file, an unknown message type, a malformed startup packet) are refused before they
// reach it. Every client is greeted with the reply to one startup (user and database postgres) made when
// serving begins: there is one session, and connecting never waits for the holder.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { formatDuration } from '../graph/duration.js';

/** The subset of PGlite the server uses. */
export type PgliteSession = Pick<
  PGlite,
  '_runExclusiveTransaction' | 'runExclusive' | 'execProtocolRaw' | 'execProtocolRawStream' | 'isInTransaction' | 'waitReady' | 'closed'
>;

export interface WireServerOptions {
  /** Address to listen on (default 127.0.0.1: this machine only; there is no authentication). */
  readonly host?: string;
  /** Port (default 0: any free port; read it back from the server). */
  readonly port?: number;
  /** Connections at once (default 16); one more is refused with SQLSTATE 53300. */
  readonly maxConnections?: number;
  /**
   * How long one client may keep the database to itself, ms (default 30 s): an open transaction or an
   * unfinished cycle; then it is disconnected and rolled back, and the others (the holder too) go on.
   */
  readonly holdTimeoutMs?: number;
  /** Told what happened to a client that had to be stopped. */
  readonly onNotice?: (message: string) => void;
}

export interface WireServer {
  readonly host: string;
  readonly port: number;
  /** Clients connected now. */
  readonly connections: number;
  /** Disconnects every client (rolling back an open transaction), stops listening. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_CONNECTIONS = 16;
export const DEFAULT_HOLD_TIMEOUT_MS = 30_000;

const PROTOCOL_3_0 = 196_608;
const SSL_REQUEST = 80_877_103;
const GSSENC_REQUEST = 80_877_104;
const CANCEL_REQUEST = 80_877_102;
const MAX_STARTUP_LENGTH = 10_000;
const MAX_MESSAGE_LENGTH = 128 * 1024 * 1024;
/** Frontend messages passed on: Query, Parse, Bind, Describe, Execute, Sync, Close, Flush. */
const ALLOWED = new Set([...'QPBDESCH'].map((c) => c.charCodeAt(0)));
const TERMINATE = 'X'.charCodeAt(0);
const READY_FOR_QUERY = 'Z'.charCodeAt(0);

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

const cstring = (text: string): Buffer => Buffer.from(`${text}\0`, 'utf8');

function errorResponse(severity: 'ERROR' | 'FATAL', code: string, text: string): Buffer {
  const fields = [`S${severity}`, `V${severity}`, `C${code}`, `M${text}`].map(cstring);
  return message('E', Buffer.concat([...fields, Buffer.from([0])]));
}

/** Whether a startup packet is well formed (name/value pairs, a user); PGlite exits for good on one that is not. */
function isValidStartup(packet: Buffer): boolean {
  const fields = packet.toString('utf8', 8, packet.length - 1).split('\0');
  return packet[packet.length - 1] === 0 && fields.pop() === '' && fields.length % 2 === 0 && fields.some((f, i) => i % 2 === 0 && f === 'user');
}

/**
 * The startup PGlite is given, once: there is one database and one session, whatever user, database and
 * settings a client asks for (PGlite would not apply them, and odd ones can break it).
 */
const STARTUP = (() => {
  const body = Buffer.from('user\0postgres\0database\0postgres\0\0');
  const head = Buffer.alloc(8);
  head.writeInt32BE(body.length + 8, 0);
  head.writeInt32BE(PROTOCOL_3_0, 4);
  return Buffer.concat([head, body]);
})();

const SYNC = message('S', Buffer.alloc(0));
const ROLLBACK = message('Q', cstring('ROLLBACK'));

const REFUSED_COPY = `DO $refused$BEGIN RAISE EXCEPTION USING ERRCODE = 'feature_not_supported', MESSAGE = 'COPY FROM is not supported through the shared embedded database (it would stop the process that holds it)', HINT = 'write the rows with INSERT, or run this in the process that holds the database'; END$refused$`;

/** COPY FROM (STDIN, a file, a program) leaves PGlite spinning or out of step; COPY ... TO STDOUT works. */
export function isRefusedCopy(sql: string): boolean {
  return sql.split(';').some((part) => /\bcopy\b/i.test(part) && !(/\bto\s+stdout\b/i.test(part) && !/\bstdin\b|\bprogram\b|\/dev\/blob/i.test(part)));
}

/** `frame` as passed to PGlite: a Query or Parse of a refused COPY becomes one that raises a clear error. */
function screen(frame: Buffer): Buffer {
  const type = String.fromCharCode(frame[0]!);
  if (type === 'Q') {
    return isRefusedCopy(frame.toString('utf8', 5, frame.length - 1)) ? message('Q', cstring(REFUSED_COPY)) : frame;
  }
  if (type === 'P') {
    const nameEnd = frame.indexOf(0, 5);
    const textEnd = nameEnd < 0 ? -1 : frame.indexOf(0, nameEnd + 1);
    if (textEnd > 0 && isRefusedCopy(frame.toString('utf8', nameEnd + 1, textEnd))) {
      return message('P', Buffer.concat([frame.subarray(5, nameEnd + 1), cstring(REFUSED_COPY), Buffer.alloc(2)]));
    }
  }
  return frame;
}

/** Follows the backend's replies, message by message: is the last one a ReadyForQuery, with which status? */
class ReplyTracker {
  #header: number[] = [];
  #left = 0;
  #type = 0;
  #first = -1;
  #ready: string | undefined;

  feed(data: Uint8Array): void {
    for (let i = 0; i < data.length; ) {
      if (this.#left > 0) {
        if (this.#first < 0) this.#first = data[i]!;
        const n = Math.min(this.#left, data.length - i);
        i += n;
        this.#left -= n;
        if (this.#left === 0) this.#complete();
        continue;
      }
      this.#header.push(data[i++]!);
      if (this.#header.length === 5) {
        const [type = 0, a = 0, b = 0, c = 0, d = 0] = this.#header;
        this.#type = type;
        this.#left = Math.max(0, ((a << 24) | (b << 16) | (c << 8) | d) - 4);
        this.#header = [];
        this.#first = -1;
        this.#ready = undefined;
        if (this.#left === 0) this.#complete();
      }
    }
  }

  #complete(): void {
    this.#ready = this.#type === READY_FOR_QUERY && this.#first >= 0 ? String.fromCharCode(this.#first) : undefined;
  }

  /** 'I' idle, 'T' in a transaction, 'E' in a failed transaction; undefined: the cycle is not over. */
  get status(): string | undefined {
    return this.#header.length === 0 && this.#left === 0 ? this.#ready : undefined;
  }
}

/** Bytes received from a client, kept as chunks until a whole message is there. */
class Inbox {
  #chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.length += chunk.length;
  }

  #head(n: number): Buffer {
    if (this.#chunks[0]!.length < n) this.#chunks = [Buffer.concat(this.#chunks)];
    return this.#chunks[0]!;
  }

  int32(at: number): number {
    return this.#head(at + 4).readInt32BE(at);
  }

  byte(at: number): number {
    return this.#head(at + 1)[at]!;
  }

  take(n: number): Buffer {
    const head = this.#head(n);
    const taken = head.subarray(0, n);
    if (head.length === n) this.#chunks.shift();
    else this.#chunks[0] = head.subarray(n);
    this.length -= n;
    return taken;
  }
}

class Connection {
  readonly inbox = new Inbox();
  readonly name: string;
  started = false;
  gone = false;
  queued = 0;

  constructor(readonly socket: Socket) {
    this.name = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
  }

  send(bytes: Uint8Array): void {
    if (!this.gone && this.socket.writable) this.socket.write(bytes);
  }

  /** Ends the connection (after `last`, typically a FATAL ErrorResponse); its session state is reset by the gate. */
  end(last?: Buffer): void {
    if (this.gone) return;
    if (last && this.socket.writable) this.socket.write(last);
    this.gone = true;
    this.socket.end();
    this.socket.once('finish', () => this.socket.destroy());
    setTimeout(() => this.socket.destroy(), 2_000).unref();
  }
}

interface Batch {
  readonly conn: Connection;
  readonly bytes: Uint8Array;
}

/** Holds PGlite's transaction mutex until `release` is called: no query, exec or transaction of the holder runs meanwhile. */
function holdTransactionMutex(pglite: PgliteSession): Promise<() => void> {
  return new Promise((granted, failed) => {
    pglite._runExclusiveTransaction(() => new Promise<void>((release) => granted(release))).catch(failed);
  });
}

/** Runs the clients' batches on the one session, a client's cycle or transaction at a time. */
class SessionGate {
  readonly #queue: Batch[] = [];
  #owner: Connection | undefined;
  #release: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  #idle: (() => void)[] = [];
  /** The client whose batch PGlite is running now, and one whose hold time ran out meanwhile. */
  #executing: Connection | undefined;
  #expired: Connection | undefined;

  constructor(
    private readonly pglite: PgliteSession,
    private readonly holdTimeoutMs: number,
    private readonly notice: (message: string) => void,
  ) {}

  submit(batch: Batch): void {
    this.#queue.push(batch);
    batch.conn.queued += 1;
    this.wake();
  }

  /** Drops the batches of a connection that is gone; its open transaction, if any, is rolled back. */
  forget(conn: Connection): void {
    for (let i = this.#queue.length - 1; i >= 0; i -= 1) if (this.#queue[i]!.conn === conn) this.#queue.splice(i, 1);
    conn.queued = 0;
    this.wake();
  }

  wake(): void {
    void this.#pump();
  }

  /** Resolves once no client holds the session. */
  idle(): Promise<void> {
    if (!this.#busy && this.#owner === undefined && this.#release === undefined) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #next(): Batch | undefined {
    const i = this.#owner === undefined ? 0 : this.#queue.findIndex((b) => b.conn === this.#owner);
    if (i < 0 || i >= this.#queue.length) return undefined;
    const [batch] = this.#queue.splice(i, 1);
    batch!.conn.queued -= 1;
    return batch;
  }

  async #pump(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (;;) {
        if (this.#owner?.gone) {
          await this.#reset(this.#owner);
          this.#hand(undefined);
          continue;
        }
        const batch = this.#next();
        if (batch === undefined) break;
        if (batch.conn.gone) continue;
        // Waits for the holder's own transaction (or query) to finish.
        this.#release ??= await holdTransactionMutex(this.pglite);
        if (batch.conn.gone) continue;
        this.#executing = batch.conn;
        const status = await this.#execute(batch);
        this.#executing = undefined;
        if (this.#expired === batch.conn && status !== 'I') this.#terminate(batch.conn);
        this.#expired = undefined;
        this.#hand(status === 'I' ? undefined : batch.conn);
        if (batch.conn.queued === 0 && !batch.conn.gone) batch.conn.socket.resume();
      }
    } catch (error) {
      // Not expected (#execute and #reset catch their own); a rejection here would end the holder's process.
      this.notice(`the shared embedded database's server failed: ${error instanceof Error ? error.message : String(error)}`);
      this.#owner?.end();
      this.#owner = undefined;
    } finally {
      this.#busy = false;
      if (this.#owner === undefined) this.#hand(undefined);
    }
  }

  async #execute({ conn, bytes }: Batch): Promise<string | undefined> {
    const replies = new ReplyTracker();
    try {
      if (this.pglite.closed) throw new Error('the embedded database is closed');
      await this.pglite.runExclusive(() =>
        this.pglite.execProtocolRawStream(bytes, {
          onRawData: (data) => {
            replies.feed(data);
            conn.send(Buffer.from(data));
          },
        }),
      );
      return replies.status;
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      conn.end(errorResponse('FATAL', 'XX000', `the shared embedded database failed: ${text}`));
      this.notice(`client ${conn.name} disconnected: the embedded database failed: ${text}`);
      return undefined;
    }
  }

  /** Ends what a gone client left open: a half-sent extended-protocol cycle (Sync), a transaction (ROLLBACK). */
  async #reset(conn: Connection): Promise<void> {
    try {
      if (this.pglite.closed) return;
      const rolledBack = await this.pglite.runExclusive(async () => {
        await this.pglite.execProtocolRaw(SYNC);
        if (!this.pglite.isInTransaction()) return false;
        await this.pglite.execProtocolRaw(ROLLBACK);
        return true;
      });
      if (rolledBack) this.notice(`client ${conn.name} left with a transaction open: rolled back`);
    } catch (error) {
      this.notice(`client ${conn.name} left, and resetting the session failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Gives the session to `conn` (its cycle or transaction goes on), or back to everyone (undefined). */
  #hand(conn: Connection | undefined): void {
    if (conn === undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#owner = undefined;
      this.#release?.();
      this.#release = undefined;
      if (!this.#busy) for (const resolve of this.#idle.splice(0)) resolve();
      return;
    }
    if (this.#owner === conn) return;
    clearTimeout(this.#timer);
    this.#owner = conn;
    this.#timer = setTimeout(() => this.#expire(conn), this.holdTimeoutMs);
    this.#timer.unref();
  }

  #expire(conn: Connection): void {
    if (this.#owner !== conn || conn.gone) return;
    if (this.#executing === conn) this.#expired = conn; // decided when its statement is done: it may end the transaction
    else this.#terminate(conn);
  }

  #terminate(conn: Connection): void {
    const held = formatDuration(this.holdTimeoutMs);
    conn.end(
      errorResponse('FATAL', '25P03', `terminating connection: it kept the shared embedded database to itself (a transaction or an unfinished statement) for more than ${held}`),
    );
    this.notice(`client ${conn.name} kept the database for more than ${held}: disconnected, its transaction rolled back`);
    this.wake();
  }
}

/** Starts the session once, as a client would; PGlite's reply (AuthenticationOk, parameters, ReadyForQuery) greets every client. */
async function greet(pglite: PgliteSession): Promise<Buffer> {
  const release = await holdTransactionMutex(pglite);
  try {
    return Buffer.from(await pglite.runExclusive(() => pglite.execProtocolRaw(STARTUP)));
  } finally {
    release();
  }
}

/** Serves `pglite` on `host:port` until close(). */
export async function servePglite(pglite: PgliteSession, options: WireServerOptions = {}): Promise<WireServer> {
  const notice = options.onNotice ?? (() => undefined);
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const gate = new SessionGate(pglite, options.holdTimeoutMs ?? DEFAULT_HOLD_TIMEOUT_MS, notice);
  await pglite.waitReady;
  const greeting = await greet(pglite);
  const connections = new Set<Connection>();
  let closing = false;

  const fatal = (conn: Connection, code: string, text: string): void => conn.end(errorResponse('FATAL', code, text));

  function receive(conn: Connection, chunk: Buffer): void {
    if (conn.gone) return;
    const { inbox } = conn;
    inbox.push(chunk);
    const frames: Buffer[] = [];
    for (;;) {
      if (!conn.started) {
        if (inbox.length < 8) break;
        const length = inbox.int32(0);
        const code = inbox.int32(4);
        if (length < 8 || length > MAX_STARTUP_LENGTH) return fatal(conn, '08P01', `invalid startup packet length ${length}`);
        if (inbox.length < length) break;
        const packet = inbox.take(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          conn.send(Buffer.from('N')); // no encryption: a local connection
          continue;
        }
        if (code === CANCEL_REQUEST) return conn.end(); // a running statement cannot be interrupted in PGlite
        if (code !== PROTOCOL_3_0) return fatal(conn, '0A000', `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}: this server speaks 3.0`);
        if (!isValidStartup(packet)) return fatal(conn, '08P01', 'invalid startup packet layout: expected name/value pairs with a user');
        conn.started = true;
        conn.send(greeting); // at once: connecting does not wait for the holder's transaction
        continue;
      }
      if (inbox.length < 5) break;
      const type = inbox.byte(0);
      const length = inbox.int32(1);
      if (length < 4 || length > MAX_MESSAGE_LENGTH) return fatal(conn, '08P01', `invalid message length ${length}`);
      if (inbox.length < 1 + length) break;
      const frame = inbox.take(1 + length);
      if (type === TERMINATE) return conn.end();
      if (!ALLOWED.has(type)) return fatal(conn, '08P01', `frontend message type ${JSON.stringify(String.fromCharCode(type))} is not supported by the shared embedded database`);
      frames.push(screen(frame));
    }
    if (frames.length > 0) gate.submit({ conn, bytes: Buffer.concat(frames) });
    if (conn.queued > 0) conn.socket.pause(); // one batch at a time per client: it waits for its answer anyway
  }

  const server = createServer({ noDelay: true }, (socket) => {
    socket.on('error', () => undefined); // a client that resets the connection ends in 'close'
    if (closing) {
      socket.destroy();
      return;
    }
    const conn = new Connection(socket);
    if (connections.size >= maxConnections) {
      fatal(conn, '53300', `sorry, too many clients already (${maxConnections}, the shared embedded database's limit)`);
      return;
    }
    connections.add(conn);
    socket.on('data', (chunk: Buffer) => receive(conn, chunk));
    socket.on('close', () => {
      connections.delete(conn);
      conn.gone = true;
      gate.forget(conn);
    });
  });
  server.on('error', (error) => notice(`the shared embedded database's server failed: ${error.message}`));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  return {
    host: address.address,
    port: address.port,
    get connections() {
      return connections.size;
    },
    close() {
      closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const conn of connections) fatal(conn, '57P01', 'terminating connection: the process that holds the embedded database is closing it');
        gate.wake();
        await gate.idle();
        await stopped;
      })();
      return closed;
    },
  };
}
