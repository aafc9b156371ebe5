// `etl run <job> [--timeout d] [--json]`: runs a job once; exit 1 when the run had errors, 130/143 when interrupted.
import type { Command } from 'commander';
import { UsageError } from '../../graph/errors.js';
import type { CliContext } from '../context.js';
import { findJob } from './find-job.js';

export function registerRunCommand(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('run a job once')
    .argument('<job>', 'job name (see `etl jobs`)')
    .option('--timeout <duration>', 'fail the run if it takes longer (e.g. 90s, 10m)')
    .option('--json', 'print the run record as JSON on stdout')
    .action(async (name: string, options: { timeout?: string; json?: boolean }) => {
      const { parseDuration } = await import('../../config/duration.js');
      const { runRecorded } = await import('../run-recorded.js');
      const timeoutMs = options.timeout === undefined ? undefined : parseDuration(options.timeout, '--timeout');
      if (timeoutMs === 0) throw new UsageError('--timeout: must be more than 0');
      const job = findJob(await ctx.registry(), name);
      const { run, exitCode } = await runRecorded(ctx, job, { params: {} as never, trigger: 'manual', ...(timeoutMs === undefined ? {} : { timeoutMs }) });
      if (options.json) ctx.stdout.write(`${JSON.stringify(run ?? null)}\n`);
      ctx.setExitCode(exitCode);
    });
}
