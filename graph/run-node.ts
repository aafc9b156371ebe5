// Runs one node: picks the loop of its kind (graph/loops/, one file each); rows move in batches, nodes keep a per-row API.
import type { AnyNode } from './node.js';
import { runConcurrent } from './loops/concurrent.js';
import { STOP } from './loops/downstream.js';
import type { NodeIO, NodeOutcome } from './loops/node-io.js';
import { runSink } from './loops/sink.js';
import { runSource } from './loops/source.js';
import { runStream } from './loops/stream.js';
import { runTransform } from './loops/transform.js';

export type { NodeIO, NodeOutcome } from './loops/node-io.js';

/** Resolves how the node ended; throws what stopped it (an UnrecoverableError, or any error of a source). */
export async function runNode(node: AnyNode, io: NodeIO): Promise<NodeOutcome> {
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
    // Nobody downstream wants the node's rows any more: it stopped early, without failing.
    if (error === STOP) return 'cancelled';
    throw error;
  }
}
