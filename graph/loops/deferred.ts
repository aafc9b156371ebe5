// Per-row results that are not a row yet: a promise to await, or a generator whose rows to take.
import type { RowBuffer } from '../row-buffer.js';
import { flush } from './downstream.js';
import type { NodeIO } from './node-io.js';

export type Deferred = PromiseLike<unknown> | Iterator<unknown> | AsyncIterator<unknown>;

/**
 * Whether a transform's result is deferred: a thenable, or an iterator that is also iterable (what a sync or
 * async generator returns). Anything else, arrays included, is one row. The per-row loop gets a copy of this
 * function's source (see row-loop.ts): it may use only its argument and globals.
 */
export function isDeferred(value: object): value is Deferred {
  const v = value as { then?: unknown; next?: unknown; [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown };
  if (typeof v.then === 'function') return true;
  return typeof v.next === 'function' && (typeof v[Symbol.iterator] === 'function' || typeof v[Symbol.asyncIterator] === 'function');
}

/**
 * Appends what a deferred result produces to `rows`: a promise's value, or a generator's rows (undefined
 * means no row). With `flushWhenFull`, sends full batches downstream on the way (a long generator).
 */
export async function expand(io: NodeIO, value: Deferred, rows: RowBuffer, flushWhenFull: boolean): Promise<void> {
  if (typeof (value as PromiseLike<unknown>).then === 'function') {
    const resolved = await value;
    if (resolved !== undefined) rows.push(resolved);
    return;
  }
  const iterable = value as unknown as Iterable<unknown> | AsyncIterable<unknown>;
  if (typeof (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    for await (const row of iterable as AsyncIterable<unknown>) {
      if (row !== undefined) rows.push(row);
      if (flushWhenFull && rows.length >= io.batchSize) await flush(io, rows);
    }
    return;
  }
  for (const row of iterable as Iterable<unknown>) {
    if (row !== undefined) rows.push(row);
    if (flushWhenFull && rows.length >= io.batchSize) await flush(io, rows);
  }
}
