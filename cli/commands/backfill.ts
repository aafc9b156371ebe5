// `etl backfill <job> --from D [--to D] [--grain day|hour] [--only failed|missing] [--concurrency N] [--wait]`
// and `etl partitions <job>`: partitions of a read job, one recorded run each, and their status as a calendar.
import type { Command } from 'commander';
import { UsageError } from '../../graph/errors.js';
import type { CliContext } from '../context.js';
import { positiveInt } from './scheduler.js';

export function registerBackfillCommands(program: Command, ctx: CliContext): void {
  program
    .command('backfill')
    .description('re-read past days (or hours) of a read job, one recorded run per partition')
    .argument('<job>', 'all, or one source (events, prometheus, google-analytics, ...)')
    .option('--from <date>', 'first local day (YYYY-MM-DD; default a week before --to)')
    .option('--to <date>', 'last local day, included (default today)')
    .option('--only <state>', 'only the partitions that are failed, or missing')
    .option('--grain <grain>', 'day (the day and its hours) or hour (hourly values only)', 'day')
    .option('--concurrency <n>', 'partitions at once in this process (default 2; with Redis the workers decide)')
    .option('--wait', 'with Redis: follow the queued runs until they finish (Ctrl-C cancels the rest)')
    .action(async (name: string, options: { from?: string; to?: string; only?: string; concurrency?: string; grain: string; wait?: boolean }) => {
      if (options.only !== undefined && options.only !== 'failed' && options.only !== 'missing') throw new UsageError(`--only: '${options.only}' is not failed or missing`);
      if (options.grain !== 'day' && options.grain !== 'hour') throw new UsageError(`--grain: '${options.grain}' is not day or hour`);
      const { backfillCommand } = await import('../backfill-process.js');
      ctx.setExitCode(
        await backfillCommand(ctx, name, {
          ...(options.from === undefined ? {} : { from: options.from }),
          ...(options.to === undefined ? {} : { to: options.to }),
          ...(options.only === undefined ? {} : { only: options.only }),
          concurrency: positiveInt('--concurrency', options.concurrency) ?? 2,
          grain: options.grain,
          ...(options.wait === true ? { wait: true } : {}),
        }),
      );
    });
  program
    .command('partitions')
    .description("a read job's partitions as a calendar: a row per day, a cell per hour (success, failed, missing, skipped)")
    .argument('<job>', 'all, or one source')
    .option('--from <date>', 'first local day (default 20 days before --to)')
    .option('--to <date>', 'last local day (default today)')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { from?: string; to?: string; json?: boolean }) => {
      const { partitionsCommand } = await import('../backfill-process.js');
      ctx.setExitCode(await partitionsCommand(ctx, name, options));
    });
}
