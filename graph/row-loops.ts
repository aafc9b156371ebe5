// Tight per-row loops, compiled once per node so each node's call sites stay monomorphic in V8.
// A single shared loop sees every node's functions and row shapes, goes megamorphic and cannot inline
// them; a fresh copy per node (same source, distinct function) keeps the type feedback of one node.

import type { RowBuffer } from './row-buffer.js';

/** Where a loop stopped: the index of the row being processed, and a deferred result to await. */
export interface LoopPosition {
  i: number;
  deferred: unknown;
}

/**
 * Runs `apply` on rows [start, n) of `batch`, appending plain results to `out`. Returns n when done, or
 * the index of a row whose result is deferred (a promise or a generator, left in pos.deferred).
 * Exceptions propagate with pos.i set to the failing row.
 */
export type TransformLoop = (
  apply: (row: unknown, ctx: unknown) => unknown,
  batch: readonly unknown[],
  start: number,
  out: RowBuffer,
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

// The loops keep the row index and the output count in locals and store them once, on the way out.

function transformLoop(
  apply: (row: unknown, ctx: unknown) => unknown,
  batch: readonly unknown[],
  start: number,
  out: RowBuffer,
  ctx: unknown,
  pos: LoopPosition,
): number {
  const n = batch.length;
  const items = out.items;
  let k = out.length;
  let i = start;
  try {
    for (; i < n; i++) {
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
      items[k++] = r;
    }
    return n;
  } finally {
    out.length = k;
    pos.i = i;
  }
}

function sinkLoop(
  write: (row: unknown, ctx: unknown) => unknown,
  batch: readonly unknown[],
  start: number,
  ctx: unknown,
  pos: LoopPosition,
): number {
  const n = batch.length;
  let i = start;
  try {
    for (; i < n; i++) {
      const r = write(batch[i], ctx) as { then?: unknown } | undefined;
      if (r !== undefined && r !== null && typeof r.then === 'function') {
        pos.deferred = r;
        return i;
      }
    }
    return n;
  } finally {
    pos.i = i;
  }
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

/** Pulls rows from a sync iterator into `out` until it holds `size`; returns true when the iterator is done. */
export function fillFromIterator(iterator: Iterator<unknown>, out: RowBuffer, size: number): boolean {
  const items = out.items;
  let k = out.length;
  try {
    while (k < size) {
      const step = iterator.next();
      if (step.done) return true;
      if (step.value !== undefined) items[k++] = step.value;
    }
    return false;
  } finally {
    out.length = k;
  }
}
