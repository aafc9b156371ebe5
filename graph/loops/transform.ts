// A per-row transform (concurrency 1): apply on each row in order, rows out in batches, then finish().
import type { TransformNode } from '../node.js';
import { RowBuffer } from '../row-buffer.js';
import { isDeferred, expand, type Deferred } from './deferred.js';
import { flush, isFatal } from './downstream.js';
import type { NodeIO, NodeOutcome } from './node-io.js';
import { copyRowLoop, defineRowLoop, type LoopPosition } from './row-loop.js';

/**
 * Runs `apply` on rows [start, n) of `batch`, appending plain results to `out`. Returns n when done, or the
 * index of a row whose result is deferred (left in pos.deferred). An exception propagates with pos.i set to
 * the failing row.
 */
export type TransformRows = (
  apply: (row: unknown, ctx: unknown) => unknown,
  batch: readonly unknown[],
  start: number,
  out: RowBuffer,
  ctx: unknown,
  pos: LoopPosition,
) => number;

/** The loop copied for each transform node: see row-loop.ts for why, and for what it may use (its arguments, globals, `isDeferred`). */
export const TRANSFORM_ROWS = defineRowLoop(
  (isDeferred: (value: object) => boolean): TransformRows =>
    // The row index and the output count stay in locals, stored once on the way out.
    function transformRows(apply, batch, start, out, ctx, pos) {
      const n = batch.length;
      const items = out.items;
      let k = out.length;
      let i = start;
      try {
        for (; i < n; i++) {
          const r = apply(batch[i], ctx);
          if (r === undefined) continue;
          if (typeof r === 'object' && r !== null && isDeferred(r)) {
            pos.deferred = r;
            return i;
          }
          items[k++] = r;
        }
        return n;
      } finally {
        out.length = k;
        pos.i = i;
      }
    },
  isDeferred,
);

export async function runTransform(node: TransformNode<unknown, unknown>, io: NodeIO): Promise<NodeOutcome> {
  const apply = node.apply as (row: unknown, ctx: unknown) => unknown;
  const { ctx, state, inbox } = io;
  const transformRows = copyRowLoop(TRANSFORM_ROWS, ctx.node);
  const pos: LoopPosition = { i: 0, deferred: undefined };
  const rows = new RowBuffer(io.batchSize);
  for (;;) {
    const batch = await inbox!.pull();
    if (batch === undefined) break;
    const base = state.in;
    state.in += batch.length;
    const n = batch.length;
    let i = 0;
    // The loop runs synchronously until a row's result is deferred (awaited here) or a row throws.
    while (i < n) {
      try {
        i = transformRows(apply, batch, i, rows, ctx, pos);
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

/** Emits what a transform's finish() yields after its last input row (reduce, batch), then the rest of `rows`. */
export async function finishTransform(node: TransformNode<unknown, unknown>, io: NodeIO, rows: RowBuffer): Promise<void> {
  const tail = node.finish?.(io.ctx);
  if (tail !== undefined && tail !== null) {
    const iterator = typeof (tail as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
      ? (tail as AsyncIterable<unknown>)[Symbol.asyncIterator]()
      : (tail as Iterable<unknown>)[Symbol.iterator]();
    await expand(io, iterator as Deferred, rows, true);
  }
  await flush(io, rows);
}
