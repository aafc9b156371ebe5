// The built graph: plain data (graphology) plus the node definitions, validated and read-only.
import type { DirectedGraph } from 'graphology';
import type { AnyNode, NodeKind } from './node.js';

export interface NodeAttributes {
  readonly kind: NodeKind;
  readonly node: AnyNode;
  readonly label?: string;
}

export interface GraphNodeInfo {
  readonly name: string;
  readonly kind: NodeKind;
  readonly label: string | undefined;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** A validated job graph. Build one with `graphBuilder()`; run it with `runGraph()`. */
export class JobGraph {
  /** Node names in topological order (sources first). */
  readonly order: readonly string[];

  constructor(
    readonly name: string,
    private readonly graph: DirectedGraph<NodeAttributes>,
    order: readonly string[],
  ) {
    this.order = Object.freeze([...order]);
  }

  get size(): number {
    return this.graph.order;
  }

  node(name: string): AnyNode {
    return this.graph.getNodeAttributes(name).node;
  }

  info(name: string): GraphNodeInfo {
    const attributes = this.graph.getNodeAttributes(name);
    return {
      name,
      kind: attributes.kind,
      label: attributes.label,
      inputs: this.graph.inNeighbors(name),
      outputs: this.graph.outNeighbors(name),
    };
  }

  nodes(): GraphNodeInfo[] {
    return this.order.map((name) => this.info(name));
  }

  edges(): Array<readonly [from: string, to: string]> {
    return this.graph.mapEdges((_edge, _attributes, source, target) => [source, target] as const);
  }
}
