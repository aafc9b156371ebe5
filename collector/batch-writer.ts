// Rows of concurrent requests buffered and written together (group commit): rows that arrive while the writes in
// flight are busy wait for one to end (a few ms under load), then go in one write; each request is answered once
// its rows are committed. A flush the database refuses for its rows is split per request, so one
// bad request cannot fail the others; an unavailable database fails every request of the flush (503).
import { EventsRefusedError, OverloadedError, StoreUnavailableError } from './errors.js';
import type { EventRow } from './event-row.js';
import type { EventStore } from './event-store.js';

export interface BatchWriterOptions {
  readonly store: EventStore;
  /** How long the first rows wait for others when a write could start at once (ms); 0: the next turn of the event loop. */
  readonly flushDelayMs: number;
  /** A buffer this big is written at once (rows). */
  readonly maxRows?: number;
  /** Writes in flight at once. */
  readonly concurrency?: number;
  /** Rows waiting or being written beyond which new requests are refused (503). */
  readonly maxPendingRows?: number;
}

export interface BatchWriter {
  /** Writes the rows of one request; resolves once they are committed. */
  write(rows: readonly EventRow[]): Promise<void>;
  /** Rows waiting or being written. */
  pendingRows(): number;
  /** Writes what is buffered, waits for writes in flight; later writes are refused. */
  close(): Promise<void>;
}

interface Pending {
  readonly rows: readonly EventRow[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const DEFAULT_MAX_ROWS = 5_000;
const DEFAULT_CONCURRENCY = 2;
const DEFAULT_MAX_PENDING_ROWS = 100_000;

export function createBatchWriter(options: BatchWriterOptions): BatchWriter {
  const { store, flushDelayMs } = options;
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const maxPending = options.maxPendingRows ?? DEFAULT_MAX_PENDING_ROWS;
  let buffer: Pending[] = [];
  let buffered = 0;
  let writing = 0;
  let inFlight = 0;
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  let due = false;
  let closed = false;
  const idle: Array<() => void> = [];

  const insertEach = async (batch: readonly Pending[]): Promise<void> => {
    for (const p of batch) {
      try {
        await store.insert(p.rows);
        p.resolve();
      } catch (error) {
        p.reject(error);
      }
    }
  };

  const write = async (batch: readonly Pending[]): Promise<void> => {
    try {
      await store.insert(batch.length === 1 ? batch[0]!.rows : batch.flatMap((p) => p.rows));
      for (const p of batch) p.resolve();
    } catch (error) {
      if (error instanceof EventsRefusedError && batch.length > 1) await insertEach(batch);
      else for (const p of batch) p.reject(error);
    }
  };

  const cancelTimer = (): void => {
    if (timer === undefined) return;
    if (flushDelayMs > 0) clearTimeout(timer as NodeJS.Timeout);
    else clearImmediate(timer as NodeJS.Immediate);
    timer = undefined;
  };

  const flush = (): void => {
    cancelTimer();
    due = false;
    const batch = buffer;
    const rows = buffered;
    buffer = [];
    buffered = 0;
    inFlight += 1;
    writing += rows;
    void write(batch).finally(() => {
      inFlight -= 1;
      writing -= rows;
      if (buffer.length > 0 && (due || buffered >= maxRows || closed)) flush();
      else if (inFlight === 0 && buffer.length === 0) for (const done of idle.splice(0)) done();
    });
  };

  const fire = (): void => {
    timer = undefined;
    if (inFlight < concurrency) flush();
    else due = true; // written as soon as a write in flight ends
  };

  const schedule = (): void => {
    if (buffered >= maxRows && inFlight < concurrency) return flush();
    // With every write slot busy the rows wait for one to end anyway; otherwise they wait flushDelayMs (or the
    // end of this turn of the event loop: the requests parsed in it go together).
    timer ??= flushDelayMs > 0 ? setTimeout(fire, flushDelayMs) : setImmediate(fire);
  };

  return {
    write(rows) {
      if (closed) return Promise.reject(new StoreUnavailableError('the collector is stopping'));
      if (buffered + writing + rows.length > maxPending) {
        return Promise.reject(new OverloadedError(`${buffered + writing} events are waiting for the database (at most ${maxPending})`));
      }
      return new Promise<void>((resolve, reject) => {
        buffer.push({ rows, resolve, reject });
        buffered += rows.length;
        schedule();
      });
    },
    pendingRows: () => buffered + writing,
    async close() {
      closed = true;
      if (buffer.length > 0 && inFlight < concurrency) flush();
      if (inFlight === 0 && buffer.length === 0) return;
      await new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}
