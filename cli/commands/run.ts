// `etl run <job>`: runs one job with live per-node status on stderr; exit 1 when the run had errors.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { EXIT_OK, EXIT_RUN_FAILED } from '../exit-codes.js';
import { runRecorded } from '../run-recorded.js';
import { findJob } from './find-job.js';

export function registerRunCommand(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('run a job once')
    .argument('<job>', 'job name (see `etl jobs`)')
    .option('--json', 'print the run record as JSON on stdout')
    .action(async (name: string, options: { json?: boolean }) => {
      const job = findJob(await ctx.registry(), name);
      const abort = new AbortController();
      const onSignal = (): void => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const { run } = await runRecorded(ctx, job, { params: {} as never, trigger: 'manual', signal: abort.signal });
        if (options.json) ctx.stdout.write(`${JSON.stringify(run)}\n`);
        ctx.setExitCode(run.status === 'succeeded' ? EXIT_OK : EXIT_RUN_FAILED);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
