// limit: passes the first n rows, then stops reading (upstream nodes that feed only it are cancelled).
import { stream, type StreamNode } from '../node.js';

export function limit<I>(n: number): StreamNode<I, I> {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`limit: expected a non-negative integer, got ${n}`);
  return stream<I, I>(async function* (rows) {
    if (n === 0) return;
    let seen = 0;
    for await (const row of rows) {
      yield row;
      seen += 1;
      if (seen >= n) return;
    }
  }, `limit ${n}`);
}
