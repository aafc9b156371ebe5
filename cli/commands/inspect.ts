// `etl inspect [job]`: nodes, edges and services (of `all` by default); `--graph` prints Graphviz DOT on stdout.
import type { Command } from 'commander';
import { toDot } from '../../graph/dot.js';
import type { CliContext } from '../context.js';
import { findJob } from './find-job.js';

export function registerInspectCommand(program: Command, ctx: CliContext): void {
  program
    .command('inspect')
    .description("show a job's graph (nodes, edges, services)")
    .argument('[job]', 'job name (see `etl jobs`)', 'all')
    .option('--graph', 'print the graph as Graphviz DOT (pipe it to `dot -Tpng -o job.png`)')
    .action(async (name: string, options: { graph?: boolean }) => {
      const job = findJob(await ctx.runtime().registry(), name);
      const graph = job.build({});
      if (options.graph) {
        ctx.stdout.write(toDot(graph));
        return;
      }
      const lines = [`job ${job.name}: ${job.description}`, `services: ${job.services.length ? job.services.join(', ') : '(none)'}`, 'nodes:'];
      for (const node of graph.nodes()) {
        const inputs = node.inputs.length ? ` <- ${node.inputs.join(', ')}` : '';
        lines.push(`  ${node.name} [${node.kind}${node.label ? `: ${node.label}` : ''}]${inputs}`);
      }
      lines.push('edges:');
      for (const [from, to] of graph.edges()) lines.push(`  ${from} -> ${to}`);
      ctx.stdout.write(`${lines.join('\n')}\n`);
    });
}
