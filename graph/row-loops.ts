// Tight per-row loops, compiled once per node so each node's call sites stay monomorphic in V8.
// A single shared loop sees every node's functions and row shapes, goes megamorphic and cannot inline
// them; a fresh copy per node (same source, distinct function) keeps the type feedback of one node.

/** Where a loop stopped: the index of the row being processed, and a deferred result to await. */
export interface LoopPosition {
  i: number;
  deferred: unknown;
}

/**
 * Runs `apply` on rows [start, n) of `batch`, pushing plain results to `rows`. Returns n when done, or
 * the index of a row whose result is deferred (a promise or a generator, left in pos.deferred).
 * Exceptions propagate with pos.i set to the failing row.
 */
export type TransformLoop = (
  apply: (row: unknown, ctx: unknown) => unknown,
  batch: readonly unknown[],
  start: number,
  rows: unknown[],
  ctx: unknown,
  pos: LoopPosition,
) => number;

/** Runs `write` on rows [start, n); returns n, or the index of a row whose write returned a promise. */
export type SinkLoop = (
  write: (row: unknown, ctx: unknown) => unknown,
  batch: readonly unknown[],
  start: number,
  ctx: unknown,
  pos: LoopPosition,
) => number;

function transformLoop(
  apply: (row: unknown, ctx: unknown) => unknown,
  batch: readonly unknown[],
  start: number,
  rows: unknown[],
  ctx: unknown,
  pos: LoopPosition,
): number {
  const n = batch.length;
  for (let i = start; i < n; i++) {
    pos.i = i;
    const r = apply(batch[i], ctx) as { then?: unknown; next?: unknown } | undefined;
    if (r === undefined) continue;
    if (
      typeof r === 'object' &&
      r !== null &&
      (typeof r.then === 'function' ||
        (typeof r.next === 'function' &&
          (typeof (r as Iterable<unknown>)[Symbol.iterator] === 'function' ||
            typeof (r as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function')))
    ) {
      pos.deferred = r;
      return i;
    }
    rows.push(r);
  }
  return n;
}

function sinkLoop(
  write: (row: unknown, ctx: unknown) => unknown,
  batch: readonly unknown[],
  start: number,
  ctx: unknown,
  pos: LoopPosition,
): number {
  const n = batch.length;
  for (let i = start; i < n; i++) {
    pos.i = i;
    const r = write(batch[i], ctx) as { then?: unknown } | undefined;
    if (r !== undefined && r !== null && typeof r.then === 'function') {
      pos.deferred = r;
      return i;
    }
  }
  return n;
}

let copies = 0;

function copyOf<F extends (...args: never[]) => unknown>(fn: F, node: string): F {
  copies += 1;
  // The comment makes each source text unique, so V8 compiles a separate function (no shared feedback).
  const source = `/* ${JSON.stringify(node).replace(/\*\//g, '')} #${copies} */ return ${fn.toString()};`;
  return new Function(source)() as F;
}

export function compileTransformLoop(node: string): TransformLoop {
  return copyOf(transformLoop, node);
}

export function compileSinkLoop(node: string): SinkLoop {
  return copyOf(sinkLoop, node);
}

/** Pulls up to `size` rows from a sync iterator into `rows`; returns true when the iterator is done. */
export function fillFromIterator(iterator: Iterator<unknown>, rows: unknown[], size: number): boolean {
  while (rows.length < size) {
    const step = iterator.next();
    if (step.done) return true;
    if (step.value !== undefined) rows.push(step.value);
  }
  return false;
}
