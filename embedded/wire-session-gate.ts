// The one PGlite session shared by the clients of the embedded database's server: a client's cycle (its
// messages up to the ReadyForQuery that ends it) or whole transaction runs while the server holds PGlite's
// transaction mutex, so the holder's code and the other clients wait their turn, within a hold timeout;
// the prepared statements a client leaves are closed when it goes.
import type { PGlite } from '@electric-sql/pglite';
import { formatDuration } from '../graph/duration.js';
import type { Connection } from './wire-connection.js';
import { cstring, errorResponse, message, ReplyTracker } from './wire-messages.js';

/** The subset of PGlite the server uses. */
export type PgliteSession = Pick<
  PGlite,
  '_runExclusiveTransaction' | 'runExclusive' | 'execProtocolRaw' | 'execProtocolRawStream' | 'isInTransaction' | 'waitReady' | 'closed'
>;

const SYNC = message('S', Buffer.alloc(0));
const ROLLBACK = message('Q', cstring('ROLLBACK'));

export interface Batch {
  readonly conn: Connection;
  readonly bytes: Uint8Array;
}

/** Holds PGlite's transaction mutex until `release` is called: no query, exec or transaction of the holder runs meanwhile. */
export function holdTransactionMutex(pglite: PgliteSession): Promise<() => void> {
  return new Promise((granted, failed) => {
    pglite._runExclusiveTransaction(() => new Promise<void>((release) => granted(release))).catch(failed);
  });
}

/** Runs the clients' batches on the one session, a client's cycle or transaction at a time. */
export class SessionGate {
  readonly #queue: Batch[] = [];
  #owner: Connection | undefined;
  #release: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  #idle: (() => void)[] = [];
  /** The client whose batch PGlite is running now, and one whose hold time ran out meanwhile. */
  #executing: Connection | undefined;
  #expired: Connection | undefined;
  /** Close messages (then Sync) of the prepared statements of clients that left. */
  readonly #leftovers: Buffer[] = [];

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
    const closing = conn.statements.closeAll();
    if (closing !== undefined) this.#leftovers.push(closing);
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
        if (this.#owner === undefined && this.#leftovers.length > 0) {
          await this.#closeLeftovers();
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

  /** Closes the prepared statements of clients that left, between two clients' turns. */
  async #closeLeftovers(): Promise<void> {
    const bytes = Buffer.concat(this.#leftovers.splice(0));
    if (this.pglite.closed) return;
    this.#release ??= await holdTransactionMutex(this.pglite);
    try {
      if (!this.pglite.closed) await this.pglite.runExclusive(() => this.pglite.execProtocolRaw(bytes));
    } catch (error) {
      this.notice(`closing the prepared statements of clients that left failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.#hand(undefined);
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
