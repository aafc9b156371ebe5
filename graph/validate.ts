// Graph validation at build time: cycles, inputs into sources, outputs from sinks, nodes that get no input.
import type { DirectedGraph } from 'graphology';
import { hasCycle, topologicalSort } from 'graphology-dag';
import type { NodeAttributes } from './job-graph.js';

export interface Validation {
  readonly order: string[];
  readonly problems: string[];
  readonly culprits: string[];
}

/**
 * Returns the topological order, or the problems found (with the nodes at fault). Nodes in
 * `brokenInputs` already have an input problem reported (an unknown reference) and are not reported
 * again, nor are the nodes below them, as unable to receive input.
 */
export function validateGraph(graph: DirectedGraph<NodeAttributes>, brokenInputs: ReadonlySet<string> = new Set()): Validation {
  const problems: string[] = [];
  const culprits: string[] = [];
  if (graph.order === 0) problems.push('it has no nodes');

  graph.forEachNode((name, { kind }) => {
    if (kind === 'source' && graph.inDegree(name) > 0) {
      problems.push(`source '${name}' cannot take input (from ${quoted(graph.inNeighbors(name))})`);
      culprits.push(name);
    }
    if (kind === 'sink' && graph.outDegree(name) > 0) {
      problems.push(`sink '${name}' cannot feed other nodes (${quoted(graph.outNeighbors(name))})`);
      culprits.push(name);
    }
  });

  if (hasCycle(graph)) {
    const cyclic = nodesOnCycles(graph);
    problems.push(`it has a cycle through ${quoted(cyclic)}`);
    culprits.push(...cyclic);
    return { order: [], problems, culprits };
  }

  const reachable = reachableFromSources(graph);
  const excused = reachableFrom(graph, [...brokenInputs]);
  const starved = graph.filterNodes((name) => !reachable.has(name) && !excused.has(name));
  if (starved.length > 0) {
    problems.push(`${quoted(starved)} can never receive input (no source upstream)`);
    culprits.push(...starved);
  }
  return { order: problems.length === 0 ? topologicalSort(graph) : [], problems, culprits };
}

function reachableFromSources(graph: DirectedGraph<NodeAttributes>): Set<string> {
  return reachableFrom(graph, graph.filterNodes((_name, { kind }) => kind === 'source'));
}

function reachableFrom(graph: DirectedGraph<NodeAttributes>, starts: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...starts];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    stack.push(...graph.outNeighbors(name));
  }
  return seen;
}

/** Nodes that sit on some cycle: those left after repeatedly peeling nodes with no input or no output. */
function nodesOnCycles(graph: DirectedGraph<NodeAttributes>): string[] {
  const alive = new Set(graph.nodes());
  let changed = true;
  while (changed) {
    changed = false;
    for (const name of alive) {
      const ins = graph.inNeighbors(name).some((n) => alive.has(n));
      const outs = graph.outNeighbors(name).some((n) => alive.has(n));
      if (!ins || !outs) {
        alive.delete(name);
        changed = true;
      }
    }
  }
  return [...alive];
}

function quoted(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}
