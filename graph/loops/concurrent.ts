// A per-row transform with `concurrency` > 1: up to that many rows in flight, in input order unless `ordered: false`.
import type { TransformNode } from '../node.js';
import { RowBuffer } from '../row-buffer.js';
import { expand, isDeferred } from './deferred.js';
import { flush, isFatal } from './downstream.js';
import type { NodeIO, NodeOutcome } from './node-io.js';
import { finishTransform } from './transform.js';

/** What one row's task ended with: its output rows, or the error it threw. */
type Settled = { readonly rows: unknown[] } | { readonly error: unknown; readonly row: unknown; readonly rowNumber: number };

export async function runConcurrent(node: TransformNode<unknown, unknown>, io: NodeIO): Promise<NodeOutcome> {
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

  // Ordered: tasks wait in `queue` and are settled first in, first out. Unordered: tasks settle into `done`
  // as they end, and `wake` tells the loop one did.
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
