// What the executor hands each node's loop: its counters, context, input, output, and cancellation.
import type { Inbox } from '../inbox.js';
import type { NodeContext } from '../node.js';
import type { NodeState } from '../node-state.js';

/** How a node ended when it did not throw. */
export type NodeOutcome = 'completed' | 'cancelled';

export interface NodeIO {
  readonly state: NodeState;
  readonly ctx: NodeContext;
  /** The node's input; undefined for a source. */
  readonly inbox: Inbox<unknown> | undefined;
  readonly batchSize: number;
  /** Sends rows downstream; resolves false once no node downstream wants rows any more. */
  readonly emit: (rows: unknown[]) => Promise<boolean>;
  /** True once the run is cancelled or this node's input was cancelled. */
  readonly stopped: () => boolean;
}
