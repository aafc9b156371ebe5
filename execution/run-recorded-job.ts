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
  /** Told when the run succeeded, before its log is stored (checks on what it wrote); its line goes to the run's log. */
  readonly afterRun?: AfterRun;
}

/** A run that succeeded, as the after-run hook sees it: the window it read (if any) and when it ran. */
export interface SucceededRun {
  readonly job: string;
  readonly runId: number | undefined;
  readonly window?: { readonly hours: { readonly from: number; readonly to: number }; readonly days: { readonly from: string; readonly to: string }; readonly hourlyOnly?: boolean; readonly isCurrent?: boolean };
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** What is done after a run that succeeded (runtime/ injects the checks' evaluation); resolves to a line for the run's log. */
export type AfterRun = (run: SucceededRun) => Promise<string | undefined>;

/** The after-run hook's line, or what went wrong in it (never fails the run). */
async function afterRunLine<P extends JobParams>(options: RecordedJobOptions<P>, run: JobRun, recordId: number | undefined): Promise<string[]> {
  if (options.afterRun === undefined || run.status !== 'succeeded') return [];
  const window = options.params['window'] as SucceededRun['window'] | undefined;
  try {
    const line = await options.afterRun({ job: options.job.name, runId: recordId, ...(window === undefined ? {} : { window }), startedAt: run.startedAt, finishedAt: run.finishedAt ?? Date.now() });
    return line === undefined ? [] : [line];
  } catch (error) {
    return [`after the run: ${describeError(error)}`];
  }
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

/** Where a recorded run writes, once it is claimed. */
interface Claimed {
  readonly store: RunStore;
  readonly recordId: number;
}

/**
 * Records the run (unless it was recorded when queued) and claims it for this process; a RecordedRun when
 * it will not run (another scheduler recorded this firing, or another run of the job is running).
 */
async function claim<P extends JobParams>(options: RecordedJobOptions<P>, store: RunStore, log: RunLog): Promise<Claimed | RecordedRun> {
  const me = currentProcess();
  const recordId = options.runId ?? (await store.create({ job: options.job.name, trigger: options.trigger, owner: me, ...options.record }));
  if (recordId === undefined) return { run: undefined, status: 'duplicate', recordId: undefined, recorded: true, reason: 'this firing was recorded by another scheduler' };
  const claimed = await store.start(recordId, me);
  if (!claimed.started) {
    log.add(claimed.reason);
    await store.setLog(recordId, log.tail()).catch(options.onStoreError ?? (() => undefined));
    const record = await store.get(recordId);
    return { run: undefined, status: record?.status ?? 'skipped', recordId, recorded: true, reason: claimed.reason };
  }
  log.add(`started on ${me.host} (pid ${me.pid})${options.record?.attempt && options.record.attempt > 1 ? `, attempt ${options.record.attempt}` : ''}`);
  return { store, recordId };
}

/** The run's own AbortController: follows the caller's signal, fails the run at its timeout. */
function runController(signal: AbortSignal | undefined, timeoutMs: number | undefined): { controller: AbortController; dispose(): void } {
  const controller = new AbortController();
  const forward = (): void => controller.abort(signal?.reason);
  if (signal?.aborted) forward();
  else signal?.addEventListener('abort', forward, { once: true });
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(new RunTimeoutError(timeoutMs)), timeoutMs);
  timer?.unref();
  return {
    controller,
    dispose() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forward);
    },
  };
}

/** Beats for the claimed run every `ms`; a cancel asked for through the store aborts the run. */
function heartbeat(claimed: Claimed, controller: AbortController, log: RunLog, onStoreError: (error: unknown) => void, ms: number): NodeJS.Timeout {
  const beat = setInterval(() => {
    claimed.store.heartbeat(claimed.recordId).then(({ cancelRequested }) => {
      if (cancelRequested && !controller.signal.aborted) {
        log.add('cancel requested (etl cancel): cancelling');
        controller.abort(new CancelRequest('cancel requested'));
      }
    }, onStoreError);
  }, ms);
  beat.unref();
  return beat;
}

/**
 * Records, claims, then runs `job`. Recording is the first thing done: if the store cannot be reached,
 * nothing is read and the error is thrown. An error before the engine could run the graph (a missing
 * service, an invalid graph) ends the record failed and is thrown.
 */
export async function runRecordedJob<P extends JobParams>(options: RecordedJobOptions<P>): Promise<RecordedRun> {
  const log = options.log ?? new RunLog();
  const onStoreError = options.onStoreError ?? (() => undefined);
  const claimed = options.store === undefined ? undefined : await claim(options, options.store, log);
  if (claimed !== undefined && !('store' in claimed)) return claimed;
  const recorder = claimed === undefined ? undefined : recordRun(claimed.store, claimed.recordId, onStoreError);
  const { controller, dispose } = runController(options.signal, options.timeoutMs);
  const beat = claimed === undefined ? undefined : heartbeat(claimed, controller, log, onStoreError, options.heartbeatMs ?? HEARTBEAT_MS);
  const finish = async (lines: readonly string[]): Promise<void> => {
    if (claimed === undefined) return;
    for (const line of lines) log.add(line);
    await claimed.store.setLog(claimed.recordId, log.tail()).catch(onStoreError);
  };
  try {
    const run = await runJob(options.job, { params: options.params, services: options.services, signal: controller.signal, onEvent: allListeners(options.onEvent, recorder?.onEvent) });
    const recorded = (await recorder?.settled()) ?? true;
    const seconds = formatDuration(Math.max(0, (run.finishedAt ?? Date.now()) - run.startedAt));
    const after = await afterRunLine(options, run, claimed?.recordId);
    await finish([...after, ...run.nodes.map((n) => `${n.name} in=${n.in} out=${n.out} err=${n.err} [${n.status}]`), `${run.status} in ${seconds}`, ...(run.error ? [run.error] : [])]);
    return { run, status: run.status, recordId: claimed?.recordId, recorded };
  } catch (error) {
    await recorder?.settled();
    if (claimed !== undefined) {
      const message = `job '${options.job.name}': ${describeError(error)}`;
      await claimed.store.finish(claimed.recordId, 'failed', message).catch(onStoreError);
      await finish([message]);
    }
    throw error;
  } finally {
    dispose();
    clearInterval(beat);
  }
}
