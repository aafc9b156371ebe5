// `etl trigger <job> [--wait]`, `etl pause <job>`, `etl resume <job>`, `etl cancel <run-id>`: control of
// scheduled jobs and runs, through the run store (and the BullMQ queue when there is one). The web UI acts
// through the same functions (runtime/control.ts).
import type { Command } from 'commander';
import { UsageError } from '../../graph/errors.js';
import type { CliContext } from '../context.js';
import { findJob } from './find-job.js';

export function registerControlCommands(program: Command, ctx: CliContext): void {
  program
    .command('trigger')
    .description('queue a manual run of a job (taken by the scheduler or a worker; run here when no scheduler is running)')
    .argument('<job>', 'job name (see `etl jobs`)')
    .option('--wait', 'follow the run until it ends; exit with its status')
    .action(async (name: string, options: { wait?: boolean }) => {
      const { triggerJob } = await import('../control.js');
      findJob(await ctx.runtime().registry(), name);
      ctx.setExitCode(await triggerJob(ctx, name, { wait: options.wait === true }));
    });
  for (const [command, paused] of [['pause', true], ['resume', false]] as const) {
    program
      .command(command)
      .description(paused ? "pause a job: its scheduled firings are recorded skipped until `etl resume`" : 'resume a paused job')
      .argument('<job>', 'job name (see `etl jobs`)')
      .action(async (name: string) => {
        const job = findJob(await ctx.runtime().registry(), name);
        const { setJobPaused } = await import('../../runtime/control.js');
        await setJobPaused(ctx.runtime(), job.name, paused);
        ctx.stdout.write(`${job.name}: ${paused ? 'paused (its firings are recorded skipped; `etl resume` to undo)' : 'resumed'}\n`);
      });
  }
  program
    .command('cancel')
    .description('cancel a queued or running run (on whichever process runs it)')
    .argument('<run-id>', 'run id (see `etl runs`)')
    .action(async (text: string) => {
      if (!/^\d+$/.test(text)) throw new UsageError(`<run-id>: '${text}' is not a run id (a whole number; see \`etl runs\`)`);
      const { cancelRun } = await import('../control.js');
      ctx.setExitCode(await cancelRun(ctx, Number(text)));
    });
}
