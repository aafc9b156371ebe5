// Graphviz DOT export: node names and edges, one shape per node kind. Never includes configuration values.
import type { JobGraph } from './job-graph.js';
import type { NodeKind } from './node.js';

const SHAPES: Readonly<Record<NodeKind, string>> = {
  source: 'shape=invhouse, style=filled, fillcolor="#dbeafe"',
  transform: 'shape=box, style="rounded,filled", fillcolor="#f3f4f6"',
  stream: 'shape=box, style="rounded,filled,dashed", fillcolor="#f3f4f6"',
  sink: 'shape=cylinder, style=filled, fillcolor="#dcfce7"',
};

function escape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n');
}

/** Quotes a string as a DOT identifier. */
export function dotId(text: string): string {
  return `"${escape(text)}"`;
}

export function toDot(graph: JobGraph): string {
  const lines = [
    `digraph ${dotId(graph.name)} {`,
    '  rankdir=LR;',
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [color="#6b7280"];',
  ];
  for (const node of graph.nodes()) {
    const label = node.label ? `${escape(node.name)}\\n(${escape(node.label)})` : escape(node.name);
    lines.push(`  ${dotId(node.name)} [label="${label}", ${SHAPES[node.kind]}];`);
  }
  for (const [from, to] of graph.edges()) lines.push(`  ${dotId(from)} -> ${dotId(to)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
