// map: one row in, one row out (undefined drops the row).
import { transform, type NodeContext, type TransformNode, type TransformOptions } from '../node.js';

export function map<I, O>(fn: (row: I, ctx: NodeContext) => O | undefined, options: TransformOptions = {}): TransformNode<I, O> {
  return transform<I, O>(fn, { label: 'map', ...options });
}

/** Like map, for an async function; `concurrency` rows in flight at once. */
export function mapAsync<I, O>(
  fn: (row: I, ctx: NodeContext) => Promise<O | undefined>,
  options: TransformOptions = {},
): TransformNode<I, O> {
  return transform<I, O>(fn, { label: 'mapAsync', ...options });
}
