// `etl config check`: validates the configuration and prints the effective one, every secret masked.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerConfigCommand(program: Command, ctx: CliContext): void {
  const config = program.command('config').description('configuration');
  config
    .command('check')
    .description('validate the configuration and print the effective one (secrets masked)')
    .action(async () => {
      const { maskSecrets } = await import('../../config/mask.js');
      const loaded = ctx.runtime().config;
      const { enabled, skipped } = await ctx.runtime().readers();
      const effective = {
        file: loaded.source.file,
        demo: loaded.source.demo,
        timeZone: loaded.timeZone,
        dataDir: loaded.dataDir,
        jobModules: loaded.jobModules,
        ...(maskSecrets(loaded.file) as object),
      };
      ctx.stdout.write(`${JSON.stringify(effective, null, 2)}\n`);
      for (const reader of enabled) ctx.stderr.write(`reader ${reader.name}: enabled (${reader.services.length > 0 ? `reads ${reader.services.join(', ')}` : 'no services'})\n`);
      for (const skip of skipped) ctx.stderr.write(`reader ${skip.name}: skipped, ${skip.why}\n`);
      ctx.stderr.write(`configuration OK (${loaded.source.file})\n`);
    });
}
