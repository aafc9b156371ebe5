// `etl backfill <job> --from D [--to D] [--only failed|missing] [--concurrency N]` and `etl partitions <job>`:
// day partitions of a read job, one recorded run per day, and their status as a calendar.
import type { Command } from 'commander';
import { UsageError } from '../../graph/errors.js';
import type { CliContext } from '../context.js';
import { positiveInt } from './scheduler.js';

export function registerBackfillCommands(program: Command, ctx: CliContext): void {
  program
    .command('backfill')
    .description('re-read past days of a read job, one recorded run per local day (partition)')
    .argument('<job>', 'all, or one source (events, prometheus, google-analytics, ...)')
    .option('--from <date>', 'first local day (YYYY-MM-DD; default a week before --to)')
    .option('--to <date>', 'last local day, included (default today)')
    .option('--only <state>', 'only the partitions that are failed, or missing')
    .option('--concurrency <n>', 'partitions at once (default 2)')
    .action(async (name: string, options: { from?: string; to?: string; only?: string; concurrency?: string }) => {
      if (options.only !== undefined && options.only !== 'failed' && options.only !== 'missing') throw new UsageError(`--only: '${options.only}' is not failed or missing`);
      const { backfillCommand } = await import('../backfill-process.js');
      ctx.setExitCode(
        await backfillCommand(ctx, name, {
          ...(options.from === undefined ? {} : { from: options.from }),
          ...(options.to === undefined ? {} : { to: options.to }),
          ...(options.only === undefined ? {} : { only: options.only }),
          concurrency: positiveInt('--concurrency', options.concurrency) ?? 2,
        }),
      );
    });
  program
    .command('partitions')
    .description("a read job's day partitions and their status (success, failed, missing, skipped)")
    .argument('<job>', 'all, or one source')
    .option('--from <date>', 'first local day (default 20 days before --to)')
    .option('--to <date>', 'last local day (default today)')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { from?: string; to?: string; json?: boolean }) => {
      const { partitionsCommand } = await import('../backfill-process.js');
      ctx.setExitCode(await partitionsCommand(ctx, name, options));
    });
}
