// The loop of each node kind: rows move between nodes in batches, while nodes keep a per-row API.
import { UnrecoverableError } from './errors.js';
import type { Inbox } from './inbox.js';
import type { NodeContext, SinkNode, SourceNode, StreamNode, TransformNode } from './node.js';
import type { NodeState } from './node-state.js';
import { RowBuffer } from './row-buffer.js';
import { compileSinkLoop, compileTransformLoop, fillFromIterator, type LoopPosition } from './row-loops.js';

/** How a node ended when it did not throw. */
export type NodeOutcome = 'completed' | 'cancelled';

export interface NodeIO {
  readonly state: NodeState;
  readonly ctx: NodeContext;
  readonly inbox: Inbox<unknown> | undefined;
  readonly batchSize: number;
  /** Sends rows downstream; resolves false once no node downstream wants rows any more. */
  readonly emit: (rows: unknown[]) => Promise<boolean>;
  /** True once the run is cancelled or this node's input was cancelled. */
  readonly stopped: () => boolean;
}

/** Thrown inside a node's loop when nothing downstream wants its rows. */
class Stop {}
const STOP = new Stop();
const ASYNC_SOURCE_FLUSH_MS = 100;

type Deferred = PromiseLike<unknown> | Iterator<unknown> | AsyncIterator<unknown>;

function isDeferred(value: object): value is Deferred {
  const v = value as { then?: unknown; next?: unknown; [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown };
  if (typeof v.then === 'function') return true;
  return typeof v.next === 'function' && (typeof v[Symbol.iterator] === 'function' || typeof v[Symbol.asyncIterator] === 'function');
}

/** Sends the buffered rows downstream as a fresh batch; throws STOP when nobody listens. */
async function flush(io: NodeIO, rows: RowBuffer): Promise<void> {
  if (rows.length === 0) return;
  if (!(await io.emit(rows.take()))) throw STOP;
}

/** Appends what a deferred per-row result produces (a promise's value, a generator's rows). */
async function expand(io: NodeIO, value: Deferred, rows: RowBuffer, flushWhenFull: boolean): Promise<void> {
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

function isFatal(error: unknown): boolean {
  return error instanceof UnrecoverableError || error === STOP;
}

export async function runNode(
  node: SourceNode<unknown> | TransformNode<unknown, unknown> | StreamNode<unknown, unknown> | SinkNode<unknown>,
  io: NodeIO,
): Promise<NodeOutcome> {
  try {
    switch (node.kind) {
      case 'source':
        return await runSource(node, io);
      case 'transform':
        return (node.concurrency ?? 1) > 1 ? await runConcurrent(node, io) : await runTransform(node, io);
      case 'stream':
        return await runStream(node, io);
      case 'sink':
        return await runSink(node, io);
    }
  } catch (error) {
    if (error === STOP) return 'cancelled';
    throw error;
  }
}

async function runSource(node: SourceNode<unknown>, io: NodeIO): Promise<NodeOutcome> {
  const iterable = node.read(io.ctx);
  const size = io.batchSize;
  const rows = new RowBuffer(size);
  if (typeof (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') {
    const iterator = (iterable as Iterable<unknown>)[Symbol.iterator]();
    let done = false;
    try {
      while (!done) {
        done = fillFromIterator(iterator, rows, size);
        io.state.in += rows.length;
        if (!done) await flush(io, rows);
      }
    } finally {
      if (!done) iterator.return?.();
    }
    await flush(io, rows);
    return 'completed';
  } else {
    const iterator = (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    const stopped = new Promise<IteratorResult<unknown>>((resolve) => {
      const done = () => resolve({ done: true, value: undefined });
      if (io.ctx.signal.aborted) done();
      else io.ctx.signal.addEventListener('abort', done, { once: true });
    });
    let lastFlush = Date.now();
    try {
      for (;;) {
        const step = await Promise.race([iterator.next(), stopped]);
        if (step.done) break;
        if (step.value !== undefined) rows.push(step.value);
        if (rows.length >= size || (rows.length > 0 && Date.now() - lastFlush >= ASYNC_SOURCE_FLUSH_MS)) {
          io.state.in += rows.length;
          await flush(io, rows);
          lastFlush = Date.now();
        }
      }
    } finally {
      if (io.stopped()) void Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
  }
  if (io.stopped()) return 'cancelled';
  io.state.in += rows.length;
  await flush(io, rows);
  return 'completed';
}

async function runTransform(node: TransformNode<unknown, unknown>, io: NodeIO): Promise<NodeOutcome> {
  const apply = node.apply as (row: unknown, ctx: unknown) => unknown;
  const { ctx, state, inbox } = io;
  const loop = compileTransformLoop(ctx.node);
  const pos: LoopPosition = { i: 0, deferred: undefined };
  const rows = new RowBuffer(io.batchSize);
  for (;;) {
    const batch = await inbox!.pull();
    if (batch === undefined) break;
    const base = state.in;
    state.in += batch.length;
    const n = batch.length;
    let i = 0;
    while (i < n) {
      try {
        i = loop(apply, batch, i, rows, ctx, pos);
        if (i < n) {
          const deferred = pos.deferred as Deferred;
          pos.deferred = undefined;
          await expand(io, deferred, rows, true);
          i += 1;
        }
      } catch (error) {
        if (isFatal(error)) throw error;
        i = pos.i;
        state.rowError(error, batch[i], base + i + 1);
        i += 1;
      }
    }
    await flush(io, rows);
  }
  if (io.stopped()) return 'cancelled';
  await finishTransform(node, io, rows);
  return 'completed';
}

async function finishTransform(node: TransformNode<unknown, unknown>, io: NodeIO, rows: RowBuffer): Promise<void> {
  const tail = node.finish?.(io.ctx);
  if (tail !== undefined && tail !== null) {
    const iterator = typeof (tail as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
      ? (tail as AsyncIterable<unknown>)[Symbol.asyncIterator]()
      : (tail as Iterable<unknown>)[Symbol.iterator]();
    await expand(io, iterator as Deferred, rows, true);
  }
  await flush(io, rows);
}

type Settled = { readonly rows: unknown[] } | { readonly error: unknown; readonly row: unknown; readonly rowNumber: number };

async function runConcurrent(node: TransformNode<unknown, unknown>, io: NodeIO): Promise<NodeOutcome> {
  const limit = node.concurrency ?? 1;
  const ordered = node.ordered !== false;
  const { ctx, state, inbox } = io;
  const rows = new RowBuffer(io.batchSize);

  const task = async (row: unknown, rowNumber: number): Promise<Settled> => {
    try {
      const out = new RowBuffer(0);
      const result = node.apply(row, ctx);
      if (typeof result === 'object' && result !== null && isDeferred(result)) await expand(io, result, out, false);
      else if (result !== undefined) out.push(result);
      return { rows: out.take() };
    } catch (error) {
      return { error, row, rowNumber };
    }
  };
  const settle = async (settled: Settled): Promise<void> => {
    if ('error' in settled) {
      if (isFatal(settled.error)) throw settled.error;
      state.rowError(settled.error, settled.row, settled.rowNumber);
      return;
    }
    for (const row of settled.rows) rows.push(row);
    if (rows.length >= io.batchSize) await flush(io, rows);
  };

  const queue: Array<Promise<Settled>> = [];
  let running = 0;
  const done: Settled[] = [];
  let wake: (() => void) | undefined;
  const waitForOne = async (): Promise<void> => {
    if (ordered) {
      await settle(await queue.shift()!);
      return;
    }
    if (done.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    for (const settled of done.splice(0)) await settle(settled);
  };
  const inFlight = (): number => (ordered ? queue.length : running);

  for (;;) {
    const batch = await inbox!.pull();
    if (batch === undefined) break;
    const base = state.in;
    state.in += batch.length;
    for (let i = 0; i < batch.length; i++) {
      while (inFlight() >= limit) await waitForOne();
      const promise = task(batch[i], base + i + 1);
      if (ordered) queue.push(promise);
      else {
        running += 1;
        void promise.then((settled) => {
          running -= 1;
          done.push(settled);
          const w = wake;
          wake = undefined;
          w?.();
        });
      }
    }
    await flush(io, rows);
  }
  while (inFlight() > 0 || done.length > 0) await waitForOne();
  if (io.stopped()) return 'cancelled';
  await finishTransform(node, io, rows);
  return 'completed';
}

async function runStream(node: StreamNode<unknown, unknown>, io: NodeIO): Promise<NodeOutcome> {
  const { ctx, state, inbox } = io;
  const rows = new RowBuffer(io.batchSize);
  let inputEnded = false;
  let downstreamGone = false;
  async function* input(): AsyncGenerator<unknown> {
    for (;;) {
      if (rows.length > 0) {
        if (!(await io.emit(rows.take()))) {
          downstreamGone = true;
          return;
        }
      }
      const batch = await inbox!.pull();
      if (batch === undefined) {
        inputEnded = true;
        return;
      }
      state.in += batch.length;
      yield* batch;
    }
  }
  const output = node.apply(input(), ctx);
  if (typeof (output as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    for await (const row of output as AsyncIterable<unknown>) {
      if (row !== undefined) rows.push(row);
      if (downstreamGone) break;
      if (rows.length >= io.batchSize) await flush(io, rows);
    }
  } else {
    for (const row of output as Iterable<unknown>) {
      if (row !== undefined) rows.push(row);
      if (downstreamGone) break;
      if (rows.length >= io.batchSize) await flush(io, rows);
    }
  }
  if (downstreamGone || io.stopped()) return 'cancelled';
  await flush(io, rows);
  // A stream that ended before its input (limit, head) releases the nodes upstream.
  if (!inputEnded) inbox!.cancel();
  return 'completed';
}

async function runSink(node: SinkNode<unknown>, io: NodeIO): Promise<NodeOutcome> {
  const { ctx, state, inbox } = io;
  const { write, writeBatch } = node;
  const loop = compileSinkLoop(ctx.node);
  const pos: LoopPosition = { i: 0, deferred: undefined };
  for (;;) {
    const batch = await inbox!.pull();
    if (batch === undefined) break;
    const base = state.in;
    state.in += batch.length;
    if (writeBatch !== undefined) {
      try {
        const written = await writeBatch(batch, ctx);
        state.out += typeof written === 'number' ? written : batch.length;
      } catch (error) {
        if (isFatal(error)) throw error;
        for (let i = 0; i < batch.length; i++) state.rowError(error, batch[i], base + i + 1);
      }
      continue;
    }
    if (write === undefined) continue;
    const n = batch.length;
    let i = 0;
    while (i < n) {
      const start = i;
      let counted = false;
      try {
        i = loop(write as (row: unknown, ctx: unknown) => unknown, batch, i, ctx, pos);
        state.out += i - start;
        counted = true;
        if (i < n) {
          const deferred = pos.deferred as PromiseLike<unknown>;
          pos.deferred = undefined;
          await deferred;
          state.out += 1;
          i += 1;
        }
      } catch (error) {
        if (isFatal(error)) throw error;
        i = pos.i;
        if (!counted) state.out += i - start;
        state.rowError(error, batch[i], base + i + 1);
        i += 1;
      }
    }
  }
  if (io.stopped()) return 'cancelled';
  const more = await node.finish?.(ctx);
  if (typeof more === 'number') state.out += more;
  return 'completed';
}
