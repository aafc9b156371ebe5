// Runs one job as a recorded run: the one piece of code the CLI, the embedded scheduler and the workers
// share. The run is recorded (queued) before its graph exists, claimed by this process (a second run of a
// running job is recorded skipped), kept alive by a heartbeat that also carries `etl cancel`, moved to its
// end by the engine's events, and ends failed with "timed out after ..." when it outlives `timeoutMs`.
import { describeError, formatDuration, RunTimeoutError, type JobRun, type RunEvent, type ServiceProviders } from '../graph/index.js';
import type { Job, JobParams } from '../jobs/job.js';
import { runJob } from '../jobs/run-job.js';
import { currentProcess } from '../embedded/index.js';
import { RunLog } from './run-log.js';
import { allListeners, recordRun } from './run-recorder.js';
import { HEARTBEAT_MS, type NewRun, type RecordStatus, type RunStore, type RunTrigger } from '../runs/run-store.js';

export interface RecordedJobOptions<P extends JobParams> {
  readonly job: Job<P>;
  readonly params: P;
  readonly trigger: RunTrigger;
  readonly services: ServiceProviders;
  /** Where the run is recorded; without a store it is not (nor guarded). */
  readonly store?: RunStore;
  /** A record created when the run was queued (`etl trigger`); else one is created here. */
  readonly runId?: number;
  /** What the record says of the run: the scheduled instant, the window read, the attempt, a firing key. */
  readonly record?: Pick<NewRun, 'scheduledFor' | 'window' | 'attempt' | 'firingKey' | 'partitionKey'>;
  /** Cancels the run (its reason is kept: a RunTimeoutError makes the run failed, not cancelled). */
  readonly signal?: AbortSignal;
  /** Fails the run after this many ms (through the engine's AbortSignal). */
  readonly timeoutMs?: number;
  readonly onEvent?: (event: RunEvent) => void;
  /** Told when the store fails after the run was recorded: the run goes on. */
  readonly onStoreError?: (error: unknown) => void;
  /** The run's log (its tail is stored with the record); default a new one. */
  readonly log?: RunLog;
  /** Period of the heartbeat (default 5 s). */
  readonly heartbeatMs?: number;
}

export interface RecordedRun {
  /** The engine's run; undefined when the run did not start (skipped, or its firing was recorded already). */
  readonly run: JobRun | undefined;
  /** The record's status at the end ('duplicate': another scheduler recorded this firing; nothing was done). */
  readonly status: RecordStatus | 'duplicate';
  /** The record's id, when a store was given (and the firing was not a duplicate). */
  readonly recordId: number | undefined;
  /** False when some write to the store failed (the record may be behind the run). */
  readonly recorded: boolean;
  /** Why the run did not start. */
  readonly reason?: string;
}

/** A request to stop the run from `etl cancel` (through the store): the run ends cancelled. */
export class CancelRequest extends Error {
  override readonly name = 'CancelRequest';
}

/**
 * Records, claims, then runs `job`. Recording is the first thing done: if the store cannot be reached,
 * nothing is read and the error is thrown. An error before the engine could run the graph (a missing
 * service, an invalid graph) ends the record failed and is thrown.
 */
export async function runRecordedJob<P extends JobParams>(options: RecordedJobOptions<P>): Promise<RecordedRun> {
  const { job, store, signal, timeoutMs } = options;
  const me = currentProcess();
  const log = options.log ?? new RunLog();
  const onStoreError = options.onStoreError ?? (() => undefined);
  let recordId: number | undefined = options.runId;
  if (store !== undefined) {
    recordId ??= await store.create({ job: job.name, trigger: options.trigger, owner: me, ...options.record });
    if (recordId === undefined) return { run: undefined, status: 'duplicate', recordId: undefined, recorded: true, reason: 'this firing was recorded by another scheduler' };
    const claim = await store.start(recordId, me);
    if (!claim.started) {
      log.add(claim.reason);
      await store.setLog(recordId, log.tail()).catch(onStoreError);
      const record = await store.get(recordId);
      return { run: undefined, status: record?.status ?? 'skipped', recordId, recorded: true, reason: claim.reason };
    }
    log.add(`started on ${me.host} (pid ${me.pid})${options.record?.attempt && options.record.attempt > 1 ? `, attempt ${options.record.attempt}` : ''}`);
  }
  const recorder = store === undefined || recordId === undefined ? undefined : recordRun(store, recordId, onStoreError);
  const controller = new AbortController();
  const forward = (): void => controller.abort(signal?.reason);
  if (signal?.aborted) forward();
  else signal?.addEventListener('abort', forward, { once: true });
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(new RunTimeoutError(timeoutMs)), timeoutMs);
  timer?.unref();
  const beat =
    store === undefined || recordId === undefined
      ? undefined
      : setInterval(() => {
          store.heartbeat(recordId).then(
            ({ cancelRequested }) => {
              if (cancelRequested && !controller.signal.aborted) {
                log.add('cancel requested (etl cancel): cancelling');
                controller.abort(new CancelRequest('cancel requested'));
              }
            },
            onStoreError,
          );
        }, options.heartbeatMs ?? HEARTBEAT_MS);
  beat?.unref();
  const finish = async (lines: readonly string[]): Promise<void> => {
    if (store === undefined || recordId === undefined) return;
    for (const line of lines) log.add(line);
    await store.setLog(recordId, log.tail()).catch(onStoreError);
  };
  try {
    const run = await runJob(job, {
      params: options.params,
      services: options.services,
      signal: controller.signal,
      onEvent: allListeners(options.onEvent, recorder?.onEvent),
    });
    const recorded = (await recorder?.settled()) ?? true;
    const seconds = formatDuration(Math.max(0, (run.finishedAt ?? Date.now()) - run.startedAt));
    await finish([...run.nodes.map((n) => `${n.name} in=${n.in} out=${n.out} err=${n.err} [${n.status}]`), `${run.status} in ${seconds}`, ...(run.error ? [run.error] : [])]);
    return { run, status: run.status, recordId, recorded };
  } catch (error) {
    await recorder?.settled();
    if (store !== undefined && recordId !== undefined) {
      const message = `job '${job.name}': ${describeError(error)}`;
      await store.finish(recordId, 'failed', message).catch(onStoreError);
      await finish([message]);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    clearInterval(beat);
    signal?.removeEventListener('abort', forward);
  }
}
