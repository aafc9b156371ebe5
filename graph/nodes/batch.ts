// batch: groups rows into arrays of `size` rows (the last one may be shorter).
import { transform, type TransformNode } from '../node.js';

export function batch<I>(size: number): TransformNode<I, I[]> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch: expected a positive integer size, got ${size}`);
  let current: I[] = [];
  return transform<I, I[]>(
    (row) => {
      current.push(row);
      if (current.length < size) return undefined;
      const full = current;
      current = [];
      return full;
    },
    { label: `batch ${size}`, finish: () => (current.length > 0 ? [current] : []) },
  );
}
