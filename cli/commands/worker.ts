// `etl worker [--concurrency N] [--grace 30s] [--lock 30s]`: takes runs from the BullMQ queue and runs them
// (any number of machines; Redis and a PostgreSQL metrics database required).
import type { Command } from 'commander';
import { UsageError } from '../../graph/errors.js';
import type { CliContext } from '../context.js';
import { positiveInt } from './scheduler.js';

/** BullMQ renews a lock at half its duration: a shorter one is lost under load and the job given to a second worker. */
export const MIN_LOCK_MS = 1000;

/** --lock in ms, refused (exit 2) below MIN_LOCK_MS. */
export function lockDuration(ms: number, text: string): number {
  if (ms < MIN_LOCK_MS) throw new UsageError(`--lock: '${text}' is shorter than 1s: BullMQ renews its lock at half that, and a lock lost under load gives the run to a second worker`);
  return ms;
}

export function registerWorkerCommand(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .description('run the jobs the BullMQ queue hands out (Redis and PostgreSQL required)')
    .option('--concurrency <n>', 'runs at once (default scheduler.concurrency or 2)')
    .option('--grace <duration>', 'on SIGINT/SIGTERM, how long active runs may go on before they are cancelled (default 30s)')
    .option('--lock <duration>', "how soon a killed worker's run is given to another (BullMQ lock and stalled check; at least 1s; default 30s); it runs once the dead run is closed: at once on the same host, else when its heartbeat is 20 s old")
    .action(async (options: { concurrency?: string; grace?: string; lock?: string }) => {
      const [{ parseDuration }, { runWorkerCommand }] = await Promise.all([import('../../config/duration.js'), import('../worker-process.js')]);
      const config = ctx.runtime().config;
      const graceMs = options.grace === undefined ? (config.file.scheduler?.grace ?? 30_000) : parseDuration(options.grace, '--grace');
      const concurrency = positiveInt('--concurrency', options.concurrency) ?? config.file.scheduler?.concurrency ?? 2;
      ctx.setExitCode(await runWorkerCommand(ctx, { concurrency, graceMs, ...(options.lock === undefined ? {} : { lockMs: lockDuration(parseDuration(options.lock, '--lock'), options.lock) }) }));
    });
}
