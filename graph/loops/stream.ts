// A stream transform: the node's function gets all its input as one async iterable and returns its output rows.
import type { StreamNode } from '../node.js';
import { RowBuffer } from '../row-buffer.js';
import { flush } from './downstream.js';
import type { NodeIO, NodeOutcome } from './node-io.js';

export async function runStream(node: StreamNode<unknown, unknown>, io: NodeIO): Promise<NodeOutcome> {
  const { ctx, state, inbox } = io;
  const rows = new RowBuffer(io.batchSize);
  let inputEnded = false;
  let downstreamGone = false;
  // Before pulling the next input batch, the input sends what the node produced so far downstream.
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
