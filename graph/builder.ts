// Building a graph as chains (Bonobo's add_chain): from the start, from an existing node, into an existing node.
import { DirectedGraph } from 'graphology';
import { GraphError } from './errors.js';
import { JobGraph, type NodeAttributes } from './job-graph.js';
import type { AnyNode, SinkNode, SourceNode, StreamNode, TransformNode } from './node.js';
import { validateGraph } from './validate.js';

/**
 * A reference to a node with input rows `I` and output rows `O`. The phantom members make references
 * type-checked: rows of type `O` can only be wired into a node whose input accepts `O`.
 */
export interface NodeRef<I, O> {
  readonly name: string;
  readonly _in?: (row: I) => void;
  readonly _out?: () => O;
}

type Pending = { readonly from: string; readonly to: string };

/** The end of a chain whose last node emits rows of type `O`. */
export class Chain<O> implements NodeRef<unknown, O> {
  constructor(
    private readonly builder: GraphBuilder,
    readonly name: string,
  ) {}

  /** Appends a new transform node fed by this chain. */
  to<P>(name: string, node: TransformNode<O, P>): Chain<P>;
  /** Appends a new stream node fed by this chain. */
  to<P>(name: string, node: StreamNode<O, P>): Chain<P>;
  /** Appends a new sink fed by this chain; the chain ends there. */
  to(name: string, node: SinkNode<O>): NodeRef<O, never>;
  to<P>(name: string, node: TransformNode<O, P> | StreamNode<O, P> | SinkNode<O>): Chain<P> | NodeRef<O, never> {
    if (this.builder.addNode(name, node as AnyNode)) this.builder.connect(this.name, name);
    return new Chain<P>(this.builder, name);
  }

  /** Feeds this chain into a node that already exists (fan-in); by reference or by name. */
  into(target: NodeRef<O, unknown> | string): void {
    this.builder.connect(this.name, typeof target === 'string' ? target : target.name);
  }
}

export class GraphBuilder {
  private readonly nodes = new Map<string, AnyNode>();
  private readonly edges: Pending[] = [];
  private readonly problems: string[] = [];
  private readonly culprits = new Set<string>();

  constructor(readonly name: string) {}

  /** Starts a chain at a new source. */
  source<O>(name: string, node: SourceNode<O>): Chain<O> {
    this.addNode(name, node as SourceNode<unknown>);
    return new Chain<O>(this, name);
  }

  /** Declares a node with no input yet; feed it later with `chain.into(ref)` (fan-in). */
  node<I, O>(name: string, node: TransformNode<I, O>): Chain<O> & NodeRef<I, O>;
  node<I, O>(name: string, node: StreamNode<I, O>): Chain<O> & NodeRef<I, O>;
  node<I>(name: string, node: SinkNode<I>): NodeRef<I, never>;
  node<I, O>(name: string, node: TransformNode<I, O> | StreamNode<I, O> | SinkNode<I>): Chain<O> | NodeRef<I, never> {
    this.addNode(name, node as AnyNode);
    return new Chain<O>(this, name);
  }

  /** Continues from a node that already exists (fan-out): by typed reference or by name. */
  from<O>(ref: NodeRef<unknown, O> | string): Chain<O> {
    const name = typeof ref === 'string' ? ref : ref.name;
    return new Chain<O>(this, name);
  }

  /** @internal Returns false (and records the problem) when the node cannot be added. */
  addNode(name: string, node: AnyNode): boolean {
    if (typeof name !== 'string' || name.trim() === '') {
      this.problem(`node names must be non-empty strings (got ${JSON.stringify(name)})`);
      return false;
    }
    if (this.nodes.has(name)) {
      this.problem(`duplicate node name '${name}'`, name);
      return false;
    }
    if (!node || typeof node !== 'object' || !('kind' in node)) {
      this.problem(`node '${name}' is not a node (use source(), transform(), stream() or sink())`, name);
      return false;
    }
    this.nodes.set(name, node);
    return true;
  }

  /** @internal */
  connect(from: string, to: string): void {
    this.edges.push({ from, to });
  }

  /** Validates and freezes the graph. Throws a GraphError naming every node at fault. */
  build(): JobGraph {
    const graph = new DirectedGraph<NodeAttributes>();
    for (const [name, node] of this.nodes) {
      const label = 'label' in node ? node.label : undefined;
      graph.addNode(name, label === undefined ? { kind: node.kind, node } : { kind: node.kind, node, label });
    }
    const problems = [...this.problems];
    const culprits = new Set(this.culprits);
    const brokenInputs = new Set<string>();
    for (const { from, to } of this.edges) {
      const missing = [from, to].filter((name) => !graph.hasNode(name));
      if (missing.length > 0) {
        if (graph.hasNode(to)) brokenInputs.add(to);
        problems.push(`edge '${from}' -> '${to}' refers to unknown node${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`);
        for (const name of missing) culprits.add(name);
        continue;
      }
      if (!graph.hasDirectedEdge(from, to)) graph.addDirectedEdge(from, to);
    }
    const { order, problems: invalid, culprits: invalidNodes } = validateGraph(graph, brokenInputs);
    problems.push(...invalid);
    for (const name of invalidNodes) culprits.add(name);
    if (problems.length > 0) {
      throw new GraphError(`graph '${this.name}' is invalid: ${problems.join('; ')}`, [...culprits]);
    }
    return new JobGraph(this.name, graph, order);
  }

  private problem(message: string, node?: string): void {
    this.problems.push(message);
    if (node !== undefined) this.culprits.add(node);
  }
}

/** Starts building a graph named `name`. */
export function graphBuilder(name: string): GraphBuilder {
  return new GraphBuilder(name);
}
