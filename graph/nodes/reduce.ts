// reduce: folds every row into an accumulator from an initial value and emits it once, at the end.
import { transform, type NodeContext, type TransformNode } from '../node.js';

export function reduce<I, A>(reducer: (accumulator: A, row: I, ctx: NodeContext) => A, initial: A | (() => A)): TransformNode<I, A> {
  let accumulator: A | undefined;
  let started = false;
  const init = (): A => (typeof initial === 'function' ? (initial as () => A)() : structuredClone(initial));
  return transform<I, A>(
    (row, ctx) => {
      if (!started) {
        accumulator = init();
        started = true;
      }
      accumulator = reducer(accumulator as A, row, ctx);
      return undefined;
    },
    {
      label: 'reduce',
      finish: () => [started ? (accumulator as A) : init()],
    },
  );
}
