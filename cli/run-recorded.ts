// Runs a job for a command: live status on stderr, Ctrl-C/SIGTERM cancel it, --timeout fails it, and jobs
// that write to the metrics database are recorded in its job_run table (listed by `etl runs`).
import { describeError } from '../graph/errors.js';
import type { Job, JobParams } from '../jobs/job.js';
import type { RunTrigger } from '../runs/run-store.js';
import type { RecordedRun } from '../execution/run-recorded-job.js';
import { METRICS_DB_SERVICE } from '../writers/metrics-db.js';
import type { CliContext } from './context.js';
import { EXIT_OK, EXIT_RUN_FAILED } from './exit-codes.js';
import { progressReporter } from './progress.js';
import { cancelOnSignals, SIGNAL_EXIT_CODES } from './signals.js';

export interface CliRun extends RecordedRun {
  /** The exit code the command should end with. */
  readonly exitCode: number;
}

export async function runRecorded<P extends JobParams>(
  ctx: CliContext,
  job: Job<P>,
  options: { readonly params: P; readonly trigger: RunTrigger; readonly timeoutMs?: number },
): Promise<CliRun> {
  const store = job.services.includes(METRICS_DB_SERVICE) ? await ctx.runStore() : undefined;
  const { runRecordedJob } = await import('../execution/run-recorded-job.js');
  const services = await ctx.services();
  const signals = cancelOnSignals(ctx.stderr);
  try {
    const result = await runRecordedJob({
      job,
      params: options.params,
      trigger: options.trigger,
      services,
      ...(store ? { store } : {}),
      signal: signals.signal,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      onEvent: progressReporter(ctx.stderr),
      onStoreError: (error) => void ctx.stderr.write(`warning: the run could not be recorded: ${describeError(error)}\n`),
    });
    if (result.reason !== undefined) ctx.stderr.write(`job '${job.name}' did not run: ${result.reason}\n`);
    if (result.recordId !== undefined) ctx.stderr.write(`recorded as run ${result.recordId} (etl runs)\n`);
    const signal = signals.received();
    const exitCode = result.status === 'succeeded' ? EXIT_OK : signal !== undefined ? SIGNAL_EXIT_CODES[signal] : EXIT_RUN_FAILED;
    return { ...result, exitCode };
  } finally {
    signals.dispose();
  }
}
