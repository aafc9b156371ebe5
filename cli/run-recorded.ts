// Runs a job for a command: live status on stderr, and, for jobs that write to the metrics database,
// a record in its job_run table (listed by `etl runs`, read by the monitoring UI).
import { describeError, type JobRun } from '../graph/index.js';
import type { Job, JobParams } from '../jobs/job.js';
import { runJob } from '../jobs/run-job.js';
import { allListeners, recordRun } from '../scheduler/run-recorder.js';
import type { RunTrigger } from '../scheduler/run-store.js';
import { SqlRunStore } from '../scheduler/sql-run-store.js';
import { METRICS_DB_SERVICE } from '../writers/index.js';
import type { CliContext } from './context.js';
import { progressReporter } from './progress.js';

export interface RecordedRun {
  readonly run: JobRun;
  /** The job_run id, when the run was recorded. */
  readonly recordId: number | undefined;
}

export async function runRecorded<P extends JobParams>(
  ctx: CliContext,
  job: Job<P>,
  options: { readonly params: P; readonly trigger: RunTrigger; readonly signal?: AbortSignal },
): Promise<RecordedRun> {
  const record = job.services.includes(METRICS_DB_SERVICE);
  const recorder = record
    ? recordRun(new SqlRunStore(await ctx.openMetricsDb()), options.trigger, (error) => {
        ctx.stderr.write(`warning: the run could not be recorded: ${describeError(error)}\n`);
      })
    : undefined;
  const run = await runJob(job, {
    params: options.params,
    services: ctx.services(),
    ...(options.signal ? { signal: options.signal } : {}),
    onEvent: allListeners(progressReporter(ctx.stderr), recorder?.onEvent),
  });
  const recordId = await recorder?.settled();
  if (recordId !== undefined) ctx.stderr.write(`recorded as run ${recordId} (etl runs)\n`);
  return { run, recordId };
}
