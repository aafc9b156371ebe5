// `etl scheduler [--concurrency N] [--grace 30s]`: runs the scheduled jobs. Without Redis: the embedded
// scheduler (one process, node-cron, jobs run in-process; the default). With scheduler.redisUrl or
// REDIS_URL: registers one BullMQ job scheduler per scheduled job and runs no jobs (`etl worker` does).
import type { Command } from 'commander';
import { UsageError } from '../../graph/errors.js';
import type { CliContext } from '../context.js';
import { hostName, portNumber, UI_DEFAULT_HOST, UI_DEFAULT_PORT } from './ui.js';

interface SchedulerOptions {
  readonly concurrency?: string;
  readonly grace?: string;
  /** true: --ui, false: --no-ui, undefined: the default (on for the embedded scheduler). */
  readonly ui?: boolean;
  readonly port?: string;
  readonly host?: string;
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
    .option('--ui', 'serve the web UI in this process (default for the embedded scheduler)')
    .option('--no-ui', 'do not serve the web UI')
    .option('--port <port>', `web UI port (default ${UI_DEFAULT_PORT}; 0: any free port)`)
    .option('--host <host>', `web UI address (default ${UI_DEFAULT_HOST}; another needs ETL_UI_TOKEN)`)
    .action(async (options: SchedulerOptions) => {
      const [{ parseDuration }, { runSchedulerCommand }] = await Promise.all([import('../../config/duration.js'), import('../scheduler-process.js')]);
      const config = ctx.runtime().config;
      const graceMs = options.grace === undefined ? (config.file.scheduler?.grace ?? 30_000) : parseDuration(options.grace, '--grace');
      const concurrency = positiveInt('--concurrency', options.concurrency) ?? config.file.scheduler?.concurrency ?? 2;
      const port = portNumber('--port', options.port) ?? UI_DEFAULT_PORT;
      const host = hostName('--host', options.host) ?? UI_DEFAULT_HOST;
      ctx.setExitCode(await runSchedulerCommand(ctx, { graceMs, concurrency, ui: { enabled: options.ui, host, port } }));
    });
}
