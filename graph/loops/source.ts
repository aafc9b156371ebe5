// A source: rows from its iterable, sent downstream in batches (an async source also flushes every 100 ms).
import type { SourceNode } from '../node.js';
import { RowBuffer } from '../row-buffer.js';
import { flush } from './downstream.js';
import type { NodeIO, NodeOutcome } from './node-io.js';

/** An async source's partial batch goes downstream after this long, so slow sources are seen to progress. */
const ASYNC_SOURCE_FLUSH_MS = 100;

export async function runSource(node: SourceNode<unknown>, io: NodeIO): Promise<NodeOutcome> {
  const iterable = node.read(io.ctx);
  if (typeof (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    return await runAsyncSource((iterable as AsyncIterable<unknown>)[Symbol.asyncIterator](), io);
  }
  return await runSyncSource((iterable as Iterable<unknown>)[Symbol.iterator](), io);
}

async function runSyncSource(iterator: Iterator<unknown>, io: NodeIO): Promise<NodeOutcome> {
  const size = io.batchSize;
  const rows = new RowBuffer(size);
  let done = false;
  try {
    while (!done) {
      done = fillFromIterator(iterator, rows, size);
      io.state.in += rows.length;
      if (!done) await flush(io, rows);
    }
  } finally {
    // Stopped early (downstream gone, or the source threw): let the generator run its finally blocks.
    if (!done) iterator.return?.();
  }
  await flush(io, rows);
  return 'completed';
}

async function runAsyncSource(iterator: AsyncIterator<unknown>, io: NodeIO): Promise<NodeOutcome> {
  const size = io.batchSize;
  const rows = new RowBuffer(size);
  const next = nextUnlessStopped(iterator, io.ctx.signal);
  let lastFlush = Date.now();
  try {
    for (;;) {
      const step = await next();
      if (step.done) break;
      if (step.value !== undefined) rows.push(step.value);
      if (rows.length >= size || (rows.length > 0 && Date.now() - lastFlush >= ASYNC_SOURCE_FLUSH_MS)) {
        io.state.in += rows.length;
        await flush(io, rows);
        lastFlush = Date.now();
      }
    }
  } finally {
    next.release();
    if (io.stopped()) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
  if (io.stopped()) return 'cancelled';
  io.state.in += rows.length;
  await flush(io, rows);
  return 'completed';
}

const STOPPED: IteratorResult<unknown> = { done: true, value: undefined };

/**
 * `iterator.next()`, or done as soon as `signal` aborts: cancellation does not wait for a source stuck in next().
 * One abort listener for the whole loop, waking the pending call only; not Promise.race with one promise that
 * never settles, which keeps every step (every row) reachable until the run ends. `release()` removes the listener.
 */
function nextUnlessStopped(iterator: AsyncIterator<unknown>, signal: AbortSignal): (() => Promise<IteratorResult<unknown>>) & { release: () => void } {
  let wake: ((step: IteratorResult<unknown>) => void) | undefined;
  const stop = (): void => wake?.(STOPPED);
  signal.addEventListener('abort', stop, { once: true });
  const next = (): Promise<IteratorResult<unknown>> => {
    if (signal.aborted) return Promise.resolve(STOPPED);
    return new Promise<IteratorResult<unknown>>((resolve, reject) => {
      wake = resolve;
      iterator.next().then(resolve, reject);
    }).finally(() => (wake = undefined));
  };
  return Object.assign(next, { release: () => signal.removeEventListener('abort', stop) });
}

/** Pulls rows from a sync iterator into `out` until it holds `size`; returns true when the iterator is done. */
export function fillFromIterator(iterator: Iterator<unknown>, out: RowBuffer, size: number): boolean {
  const items = out.items;
  let k = out.length;
  try {
    while (k < size) {
      const step = iterator.next();
      if (step.done) return true;
      if (step.value !== undefined) items[k++] = step.value;
    }
    return false;
  } finally {
    out.length = k;
  }
}
