// `etl run <job> [--timeout d] [--json] [--wait-timeout d | --no-wait]`: runs a job once; exit 1 when the run had
// errors, 75 when the job was already running and this run skipped, 130/143 when interrupted.
import type { Command } from 'commander';
import { UsageError } from '../../graph/errors.js';
import type { CliContext } from '../context.js';
import { waitPolicy, withWaitOptions, type WaitOptions } from '../wait-running.js';
import { findJob } from './find-job.js';

export function registerRunCommand(program: Command, ctx: CliContext): void {
  const command = program
    .command('run')
    .description('run a job once')
    .argument('<job>', 'job name (see `etl jobs`)')
    .option('--timeout <duration>', 'fail the run if it takes longer (e.g. 90s, 10m)')
    .option('--json', 'print the run record as JSON on stdout');
  withWaitOptions(command).action(async (name: string, options: WaitOptions & { timeout?: string; json?: boolean }) => {
    const { parseDuration } = await import('../../config/duration.js');
    const { runRecorded } = await import('../run-recorded.js');
    const timeoutMs = options.timeout === undefined ? undefined : parseDuration(options.timeout, '--timeout');
    if (timeoutMs === 0) throw new UsageError('--timeout: must be more than 0');
    const job = findJob(await ctx.runtime().registry(), name);
    const wait = await waitPolicy(options, timeoutMs);
    const { run, exitCode } = await runRecorded(ctx, job, { params: {}, trigger: 'manual', wait, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    if (options.json) ctx.stdout.write(`${JSON.stringify(run ?? null)}\n`);
    ctx.setExitCode(exitCode);
  });
}
