// filter: keeps the rows for which the predicate is true.
import { transform, type NodeContext, type TransformNode } from '../node.js';

export function filter<I>(predicate: (row: I, ctx: NodeContext) => boolean): TransformNode<I, I>;
export function filter<I, O extends I>(predicate: (row: I, ctx: NodeContext) => row is O): TransformNode<I, O>;
export function filter<I>(predicate: (row: I, ctx: NodeContext) => boolean): TransformNode<I, I> {
  return transform<I, I>((row, ctx) => (predicate(row, ctx) ? row : undefined), { label: 'filter' });
}
