// Runs a job for a command: live status on stderr, Ctrl-C/SIGTERM cancel it, --timeout fails it, and jobs
// that write to the metrics database are recorded in its job_run table (listed by `etl runs`). When the job
// is already running, the command waits for that run (cli/wait-running.ts) unless told not to.
import { describeError } from '../graph/errors.js';
import type { Job, JobParams } from '../jobs/job.js';
import type { RunTrigger } from '../runs/run-store.js';
import type { RecordedRun } from '../execution/run-recorded-job.js';
import { runJobHere } from '../runtime/execute.js';
import { METRICS_DB_SERVICE } from '../writers/metrics-db.js';
import type { CliContext } from './context.js';
import { EXIT_OK, EXIT_RUN_FAILED, EXIT_TEMPFAIL } from './exit-codes.js';
import { progressReporter } from './progress.js';
import { cancelOnSignals, SIGNAL_EXIT_CODES } from './signals.js';
import { DEFAULT_WAIT_MS, waitUntilFree, type WaitPolicy } from './wait-running.js';

export interface CliRun extends RecordedRun {
  /** The exit code the command should end with. */
  readonly exitCode: number;
}

export interface CliRunOptions<P extends JobParams> {
  readonly params: P;
  readonly trigger: RunTrigger;
  readonly timeoutMs?: number;
  /** When the job is already running (default: wait for it, at most --timeout or 10 minutes). */
  readonly wait?: WaitPolicy;
}

export async function runRecorded<P extends JobParams>(ctx: CliContext, job: Job<P>, options: CliRunOptions<P>): Promise<CliRun> {
  const signals = cancelOnSignals(ctx.stderr);
  const wait = options.wait ?? { wait: true, timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_MS };
  try {
    const store = wait.wait && recordsRuns(job) ? (await ctx.runtime().runStorage()).runs : undefined;
    // The wait counts from when the runs can be seen, not from the start of the process (opening them may be slow).
    const deadline = Date.now() + wait.timeoutMs;
    let result: RecordedRun;
    for (;;) {
      // Wait (recording nothing) while another run of the job holds it; past the deadline the attempt below is recorded skipped.
      if (store !== undefined) await waitUntilFree(store, job.name, deadline, ctx.stderr, signals.signal);
      result = await runOnce(ctx, job, options, signals.signal);
      // Skipped: another run took the job between the wait and the start; wait again until the deadline.
      if (result.status !== 'skipped' || store === undefined || Date.now() >= deadline || signals.signal.aborted) break;
    }
    if (result.reason !== undefined) ctx.stderr.write(`job '${job.name}' did not run: ${result.reason}${result.status === 'skipped' && wait.wait ? ` (waited until ${new Date(deadline).toISOString()})` : ''}\n`);
    if (result.recordId !== undefined) ctx.stderr.write(`recorded as run ${result.recordId} (etl runs)\n`);
    return { ...result, exitCode: exitCodeOf(result, signals.received()) };
  } finally {
    signals.dispose();
  }
}

/** One attempt at running the job here. */
async function runOnce<P extends JobParams>(ctx: CliContext, job: Job<P>, options: CliRunOptions<P>, signal: AbortSignal): Promise<RecordedRun> {
  return runJobHere(ctx.runtime(), job, {
    params: options.params,
    trigger: options.trigger,
    signal,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    onEvent: progressReporter(ctx.stderr),
    onStoreError: (error) => void ctx.stderr.write(`warning: the run could not be recorded: ${describeError(error)}\n`),
  });
}

function exitCodeOf(result: RecordedRun, signal: keyof typeof SIGNAL_EXIT_CODES | undefined): number {
  if (result.status === 'succeeded') return EXIT_OK;
  if (signal !== undefined) return SIGNAL_EXIT_CODES[signal];
  if (result.status === 'skipped') return EXIT_TEMPFAIL;
  return EXIT_RUN_FAILED;
}

/** Whether runs of `job` are recorded (and so guarded: one at a time). */
function recordsRuns(job: Pick<Job, 'services'>): boolean {
  return job.services.includes(METRICS_DB_SERVICE);
}
