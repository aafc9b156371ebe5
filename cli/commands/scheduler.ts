// `etl scheduler [--concurrency N] [--grace 30s]`: runs the scheduled jobs. Without Redis: the embedded
// scheduler (one process, node-cron, jobs run in-process; the default). With scheduler.redisUrl or
// REDIS_URL: registers one BullMQ job scheduler per scheduled job and runs no jobs (`etl worker` does).
import type { Command } from 'commander';
import { UsageError } from '../../graph/errors.js';
import type { CliContext } from '../context.js';

interface SchedulerOptions {
  readonly concurrency?: string;
  readonly grace?: string;
}

export function positiveInt(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${option}: '${value}' is not a positive whole number`);
  return Number(value);
}

export function registerSchedulerCommand(program: Command, ctx: CliContext): void {
  program
    .command('scheduler')
    .description('run the scheduled jobs (embedded, one process; or register them with BullMQ when Redis is configured)')
    .option('--concurrency <n>', 'runs at once (embedded; default scheduler.concurrency or 2)')
    .option('--grace <duration>', 'on SIGINT/SIGTERM, how long active runs may go on before they are cancelled (default 30s)')
    .action(async (options: SchedulerOptions) => {
      const [{ parseDuration }, { runSchedulerCommand }] = await Promise.all([import('../../config/duration.js'), import('../scheduler-process.js')]);
      const config = ctx.config();
      const graceMs = options.grace === undefined ? (config.file.scheduler?.grace ?? 30_000) : parseDuration(options.grace, '--grace');
      const concurrency = positiveInt('--concurrency', options.concurrency) ?? config.file.scheduler?.concurrency ?? 2;
      ctx.setExitCode(await runSchedulerCommand(ctx, { graceMs, concurrency }));
    });
}
