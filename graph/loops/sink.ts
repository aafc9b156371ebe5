// A sink: writeBatch on each input batch, or write on each row (awaiting the writes that return a promise), then finish().
import type { SinkNode } from '../node.js';
import { isFatal } from './downstream.js';
import type { NodeIO, NodeOutcome } from './node-io.js';
import { copyRowLoop, defineRowLoop, type LoopPosition } from './row-loop.js';

/**
 * Runs `write` on rows [start, n) of `batch`. Returns n when done, or the index of a row whose write returned
 * a promise (left in pos.deferred). An exception propagates with pos.i set to the failing row.
 */
export type SinkRows = (
  write: (row: unknown, ctx: unknown) => unknown,
  batch: readonly unknown[],
  start: number,
  ctx: unknown,
  pos: LoopPosition,
) => number;

/** The loop copied for each per-row sink: see row-loop.ts for why, and for what it may use (its arguments, globals). */
export const SINK_ROWS = defineRowLoop(
  (): SinkRows =>
    function sinkRows(write, batch, start, ctx, pos) {
      const n = batch.length;
      let i = start;
      try {
        for (; i < n; i++) {
          const r = write(batch[i], ctx) as { then?: unknown } | undefined;
          // Only a thenable is awaited: a write returns void or a promise of it.
          if (r !== undefined && r !== null && typeof r.then === 'function') {
            pos.deferred = r;
            return i;
          }
        }
        return n;
      } finally {
        pos.i = i;
      }
    },
);

export async function runSink(node: SinkNode<unknown>, io: NodeIO): Promise<NodeOutcome> {
  const { ctx, state, inbox } = io;
  const { write, writeBatch } = node;
  const sinkRows = copyRowLoop(SINK_ROWS, ctx.node);
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
    // The loop runs synchronously until a write returns a promise (awaited here) or throws; `out` counts
    // the rows written, whichever way the loop stopped.
    while (i < n) {
      const start = i;
      let counted = false;
      try {
        i = sinkRows(write as (row: unknown, ctx: unknown) => unknown, batch, i, ctx, pos);
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
