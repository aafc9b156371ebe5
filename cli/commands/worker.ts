// `etl worker [--concurrency N] [--grace 30s]`: takes runs from the BullMQ queue and runs them (any number
// of machines; Redis and a PostgreSQL metrics database required).
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { positiveInt } from './scheduler.js';

export function registerWorkerCommand(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .description('run the jobs the BullMQ queue hands out (Redis and PostgreSQL required)')
    .option('--concurrency <n>', 'runs at once (default scheduler.concurrency or 2)')
    .option('--grace <duration>', 'on SIGINT/SIGTERM, how long active runs may go on before they are cancelled (default 30s)')
    .option('--lock <duration>', "how soon a killed worker's run is taken up by another (BullMQ lock and stalled check; default 30s)")
    .action(async (options: { concurrency?: string; grace?: string; lock?: string }) => {
      const [{ parseDuration }, { runWorkerCommand }] = await Promise.all([import('../../config/duration.js'), import('../worker-process.js')]);
      const config = ctx.config();
      const graceMs = options.grace === undefined ? (config.file.scheduler?.grace ?? 30_000) : parseDuration(options.grace, '--grace');
      const concurrency = positiveInt('--concurrency', options.concurrency) ?? config.file.scheduler?.concurrency ?? 2;
      ctx.setExitCode(await runWorkerCommand(ctx, { concurrency, graceMs, ...(options.lock === undefined ? {} : { lockMs: parseDuration(options.lock, '--lock') }) }));
    });
}
