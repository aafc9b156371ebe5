// `etl init [dir] [--force]`: writes a starter project for your own systems and prints the next three commands.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerInitCommand(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('start your own project: a commented etl.config.json, a reader and a job of yours, package.json to build them')
    .argument('[dir]', 'where to write it (default: the current directory; created if missing)')
    .option('--force', 'overwrite files that exist')
    .action(async (dir: string | undefined, options: { force?: boolean }) => {
      const { initProject } = await import('../init-process.js');
      const result = initProject({ dir, cwd: process.cwd(), force: options.force === true });
      const replaced = new Set(result.replaced);
      const lines = [
        `wrote ${result.dir}:`,
        ...result.written.map((file) => `  ${file}${replaced.has(file) ? ' (replaced)' : ''}`),
        '',
        result.dependency.startsWith('file:')
          ? `package.json depends on etl-metrics by path (${result.dependency}): this copy, no registry publish needed; keep it there, or change the path.`
          : `package.json depends on etl-metrics ${result.dependency} from the npm registry.`,
        'etl.config.json runs as written (the embedded demo website, no server); its comments say how to point it at your systems.',
        '',
        'Next:',
        ...result.commands.map((command) => `  ${command}`),
        '',
        'Then: npx etl config check (the effective configuration, secrets masked), npx etl read all --write (store the values), npx etl scheduler.',
      ];
      ctx.stdout.write(`${lines.join('\n')}\n`);
    });
}
