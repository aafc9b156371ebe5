// Runs one job as a recorded run: the one piece of code the CLI and the workers share. The run is
// recorded (queued, owned by this process) before its graph exists, moves to running and to its end
// through the engine's events, and ends failed with "timed out after ..." when it outlives `timeoutMs`.
import { describeError, RunTimeoutError, type JobRun, type RunEvent, type ServiceProviders } from '../graph/index.js';
import type { Job, JobParams } from '../jobs/job.js';
import { runJob } from '../jobs/run-job.js';
import { currentProcess } from '../writers/index.js';
import { allListeners, recordRun } from './run-recorder.js';
import type { RunStore, RunTrigger } from './run-store.js';

export interface RecordedJobOptions<P extends JobParams> {
  readonly job: Job<P>;
  readonly params: P;
  readonly trigger: RunTrigger;
  readonly services: ServiceProviders;
  /** Where the run is recorded; without a store it is not. */
  readonly store?: RunStore;
  /** Cancels the run (its reason is kept: a RunTimeoutError makes the run failed, not cancelled). */
  readonly signal?: AbortSignal;
  /** Fails the run after this many ms (through the engine's AbortSignal). */
  readonly timeoutMs?: number;
  readonly onEvent?: (event: RunEvent) => void;
  /** Told when the store fails after the run was recorded: the run goes on. */
  readonly onStoreError?: (error: unknown) => void;
}

export interface RecordedRun {
  readonly run: JobRun;
  /** The record's id, when a store was given. */
  readonly recordId: number | undefined;
  /** False when some write to the store failed (the record may be behind the run). */
  readonly recorded: boolean;
}

/**
 * Records, then runs `job`. Creating the record is the first thing done: if the store cannot be
 * reached, nothing is read and the error is thrown. An error before the engine could run the graph
 * (a missing service, an invalid graph) ends the record failed and is thrown.
 */
export async function runRecordedJob<P extends JobParams>(options: RecordedJobOptions<P>): Promise<RecordedRun> {
  const { job, store, signal, timeoutMs } = options;
  const recordId = store === undefined ? undefined : await store.create({ job: job.name, trigger: options.trigger, owner: currentProcess() });
  const onStoreError = options.onStoreError ?? (() => undefined);
  const recorder = store === undefined || recordId === undefined ? undefined : recordRun(store, recordId, onStoreError);
  const controller = new AbortController();
  const forward = (): void => controller.abort(signal?.reason);
  if (signal?.aborted) forward();
  else signal?.addEventListener('abort', forward, { once: true });
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(new RunTimeoutError(timeoutMs)), timeoutMs);
  timer?.unref();
  try {
    const run = await runJob(job, {
      params: options.params,
      services: options.services,
      signal: controller.signal,
      onEvent: allListeners(options.onEvent, recorder?.onEvent),
    });
    const recorded = (await recorder?.settled()) ?? true;
    return { run, recordId, recorded };
  } catch (error) {
    await recorder?.settled();
    if (store !== undefined && recordId !== undefined) {
      await store.fail(recordId, 'failed', `job '${job.name}': ${describeError(error)}`).catch(onStoreError);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forward);
  }
}
