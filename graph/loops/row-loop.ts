// The tight per-row loops (a transform's apply, a sink's write): their contract, and one compiled copy per node.
//
// Why copy a loop's source with `new Function` instead of calling one shared function:
// V8 optimises a function from what it has seen at each call and property access inside it (its type
// feedback), and closures made from one function literal share that feedback. One loop shared by every node
// sees every node's `apply` and every node's row shapes: its `apply(row)` call goes megamorphic, V8 stops
// inlining the user's functions into it, and the whole engine slows down (measured with one shared loop,
// bench:engine fell from about 0.27 to 0.22 of the hand loop, linear, and from 0.34 to 0.26, fan-out).
// Compiling the loop's source again for each node, with a comment naming the node so the text is unique,
// gives each node a function of its own whose feedback sees only that node's function and rows.
//
// What follows for whoever edits a loop: only its source text is copied, not its module. The copy runs in
// the global scope, so a loop must not use anything imported or declared beside it. It gets its helpers as
// the parameters of a factory (`defineRowLoop(factory, ...helpers)`); their sources are copied with it, so
// each node's copy has its own helpers, with their own feedback, too. row-loop.test.ts runs each copied loop
// through every branch, and reads each copy's source text to check that every name it uses from outside
// is a global.

/** Where a loop stopped: the index of the row being processed, and a deferred result to await. */
export interface LoopPosition {
  i: number;
  deferred: unknown;
}

type Helper = (...args: never[]) => unknown;

/** A per-row loop as copyable source: a factory that makes the loop from its helpers, and those helpers. */
export interface RowLoopDefinition<L> {
  readonly factory: (...helpers: never) => L;
  readonly helpers: readonly Helper[];
}

export function defineRowLoop<H extends Helper[], L>(factory: (...helpers: H) => L, ...helpers: H): RowLoopDefinition<L> {
  return { factory, helpers };
}

let copies = 0;

/** The body of the function that makes `node`'s copy of a loop: `return (factory)(helper1, helper2...)`. */
export function rowLoopSource(definition: RowLoopDefinition<unknown>, node: string): string {
  copies += 1;
  // The comment makes each text unique, so V8 compiles a separate function (no shared feedback).
  const tag = `/* ${JSON.stringify(node).replace(/\*\//g, '')} #${copies} */`;
  const helpers = definition.helpers.map((helper) => helper.toString()).join(', ');
  return `${tag} return (${definition.factory.toString()})(${helpers});`;
}

/** A new copy of a loop, with its own type feedback, for one node. */
export function copyRowLoop<L>(definition: RowLoopDefinition<L>, node: string): L {
  return new Function(rowLoopSource(definition, node))() as L;
}
