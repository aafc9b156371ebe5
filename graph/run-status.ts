// Run and node states: closed unions with named groups (as Dagster's run status), and the run records.
import type { NodeKind } from './node.js';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const FINISHED_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'cancelled']);
export const IN_PROGRESS_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(['queued', 'running']);

export const NODE_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

export function isFinished(status: RunStatus | NodeStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

/** One row-level error kept as an example: where it happened and on which row. */
export interface RowErrorExample {
  readonly node: string;
  /** 1-based index of the row among the rows this node received (0 when not tied to an input row). */
  readonly rowNumber: number;
  readonly row: string;
  readonly error: string;
}

/** What a node did during a run. Times are epoch milliseconds. */
export interface NodeRun {
  readonly name: string;
  readonly kind: NodeKind;
  readonly status: NodeStatus;
  readonly in: number;
  readonly out: number;
  readonly err: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  /** The first few row errors. */
  readonly errors: readonly RowErrorExample[];
  /** The error that stopped the node, if any. */
  readonly fatal: string | null;
  /** With `fatal`: whether another attempt may succeed (false for an UnrecoverableError that is not `retryable`). */
  readonly fatalRetryable?: boolean;
}

export interface JobRun {
  readonly job: string;
  readonly status: RunStatus;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  /** Nodes in topological order. */
  readonly nodes: readonly NodeRun[];
  /** A one-line summary of the first failure ("node 'x': ..."), null when the run succeeded. */
  readonly error: string | null;
}

export type RunEvent =
  | { readonly type: 'run-started'; readonly run: JobRun }
  | { readonly type: 'node-started'; readonly node: NodeRun }
  | { readonly type: 'progress'; readonly run: JobRun }
  | { readonly type: 'node-finished'; readonly node: NodeRun }
  | { readonly type: 'run-finished'; readonly run: JobRun };
