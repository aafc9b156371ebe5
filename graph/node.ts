// Node kinds: a source yields rows, a transform maps rows (per row or as a stream), a sink consumes rows.

/** What a node can see while it runs: where it is, the run's services, cancellation, error reporting. */
export interface NodeContext {
  readonly job: string;
  readonly node: string;
  /** Aborted when the run is cancelled or this node is no longer needed downstream. */
  readonly signal: AbortSignal;
  /** A service the job declared, resolved once for the whole run. */
  service<T>(name: string): T;
  /** Counts one row-level error (err) with the row at fault; the node goes on. */
  reportError(error: unknown, row?: unknown): void;
}

export type Awaitable<T> = T | PromiseLike<T>;

/**
 * What a per-row transform may return. Only `undefined` means "no output": 0, '', false and null are rows.
 * A generator (sync or async) yields several rows; any other value, arrays included, is one row.
 */
export type RowResult<O> =
  | O
  | undefined
  | PromiseLike<O | undefined>
  | Generator<O, unknown, undefined>
  | AsyncGenerator<O, unknown, undefined>;

export interface SourceNode<O> {
  readonly kind: 'source';
  readonly read: (ctx: NodeContext) => Iterable<O> | AsyncIterable<O>;
  readonly label?: string;
}

export interface TransformOptions {
  /** Rows in flight at once for an I/O-bound transform (default 1). */
  readonly concurrency?: number;
  /** With concurrency > 1: keep input order (default true). */
  readonly ordered?: boolean;
  readonly label?: string;
}

export interface TransformNode<I, O> extends TransformOptions {
  readonly kind: 'transform';
  readonly apply: (row: I, ctx: NodeContext) => RowResult<O>;
  /** Called once after the last input row; may yield final rows (reduce, batch). */
  readonly finish?: (ctx: NodeContext) => Iterable<O> | AsyncIterable<O> | undefined | void;
}

export interface StreamNode<I, O> {
  readonly kind: 'stream';
  readonly apply: (rows: AsyncIterable<I>, ctx: NodeContext) => AsyncIterable<O> | Iterable<O>;
  readonly label?: string;
}

export interface SinkNode<I> {
  readonly kind: 'sink';
  /** Per-row write; or `writeBatch` for sinks that write sets of rows (database writers). */
  readonly write?: (row: I, ctx: NodeContext) => Awaitable<void>;
  /** Returns how many rows were written (default: all of them). */
  readonly writeBatch?: (rows: readonly I[], ctx: NodeContext) => Awaitable<number | void>;
  /** Called once after the last row: flush buffers. Returns how many more rows were written. */
  readonly finish?: (ctx: NodeContext) => Awaitable<number | void>;
  readonly label?: string;
}

export type AnyNode = SourceNode<unknown> | TransformNode<unknown, unknown> | StreamNode<unknown, unknown> | SinkNode<unknown>;
export type NodeKind = AnyNode['kind'];

/** A source from a function returning an iterable (a generator, an array, an async generator...). */
export function source<O>(read: (ctx: NodeContext) => Iterable<O> | AsyncIterable<O>, label?: string): SourceNode<O> {
  return label === undefined ? { kind: 'source', read } : { kind: 'source', read, label };
}

/** A per-row transform: `(row, ctx) => value | generator | promise | undefined`. */
export function transform<I, O>(
  apply: (row: I, ctx: NodeContext) => RowResult<O>,
  options: TransformOptions & { finish?: TransformNode<I, O>['finish'] } = {},
): TransformNode<I, O> {
  return { kind: 'transform', apply, ...options };
}

/** A stream transform: `(rows: AsyncIterable<I>, ctx) => AsyncIterable<O>`. */
export function stream<I, O>(
  apply: (rows: AsyncIterable<I>, ctx: NodeContext) => AsyncIterable<O> | Iterable<O>,
  label?: string,
): StreamNode<I, O> {
  return label === undefined ? { kind: 'stream', apply } : { kind: 'stream', apply, label };
}

/** A per-row sink. */
export function sink<I>(write: (row: I, ctx: NodeContext) => Awaitable<void>, label?: string): SinkNode<I> {
  return label === undefined ? { kind: 'sink', write } : { kind: 'sink', write, label };
}

/** A sink that receives rows in sets (the engine's internal batches). */
export function batchSink<I>(
  writeBatch: (rows: readonly I[], ctx: NodeContext) => Awaitable<number | void>,
  options: { finish?: SinkNode<I>['finish']; label?: string } = {},
): SinkNode<I> {
  return { kind: 'sink', writeBatch, ...options };
}
