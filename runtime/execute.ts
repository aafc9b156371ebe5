// How a recorded run is executed in this process, wired once for every command: the firing handler of the
// embedded scheduler and the queue's workers, the UI's "run now" when no scheduler lives, and the runs the
// CLI starts itself (`etl run`, `etl read --write`). All of them take the registry, services and run
// storage of the runtime, and all of them run through execution/run-recorded-job.ts.
import { describeError, UsageError } from '../graph/index.js';
import type { FiringHandler } from '../execution/firing.js';
import type { FiringLog } from '../execution/firing-deps.js';
import type { AfterRun, RecordedJobOptions, RecordedRun } from '../execution/run-recorded-job.js';
import type { Job, JobParams } from '../jobs/job.js';
import type { JobSchedule } from '../scheduler/schedule.js';
import { currentWindow, type ReadWindow } from '../metrics/window.js';
import { METRICS_DB_SERVICE } from '../writers/metrics-db.js';
import { alertSinkFor } from './alerts.js';
import { checksAfterRun } from './checks.js';
import type { EtlRuntime } from './runtime.js';

/** The shared executor of firings over this process's registry, services and run storage. */
export async function firingHandlerFor(runtime: EtlRuntime, schedules: readonly JobSchedule[], log: FiringLog, options: { readonly firingKeys?: boolean } = {}): Promise<FiringHandler> {
  const registry = await runtime.registry();
  const services = await runtime.services();
  const storage = await runtime.runStorage();
  const alerts = alertSinkFor(runtime.config, storage.runs);
  const [{ PartitionStore }, { createFiringHandler }] = await Promise.all([import('../runs/partition-store.js'), import('../execution/run-firing.js')]);
  return createFiringHandler({
    partitions: new PartitionStore(await runtime.metricsDb()),
    registry,
    services,
    store: storage.runs,
    jobs: storage.jobs,
    schedules: new Map(schedules.map((s) => [s.job, s])),
    timeZone: runtime.config.timeZone,
    log,
    ...(options.firingKeys ? { firingKeys: true } : {}),
    ...(alerts === undefined ? {} : { alerts }),
    ...optionalAfterRun(runtime),
  });
}

/** What a run started by a command asks for; the rest comes from the runtime. */
export type HereRunOptions<P extends JobParams> = Pick<RecordedJobOptions<P>, 'params' | 'trigger' | 'signal' | 'timeoutMs' | 'onEvent' | 'onStoreError' | 'runId'>;

/**
 * Runs `job` in this process as a recorded run: recorded in the run storage when it was queued there, or
 * when the job writes to the metrics database (a job that does not is neither recorded nor guarded).
 */
export async function runJobHere<P extends JobParams>(runtime: EtlRuntime, job: Job<P>, options: HereRunOptions<P>): Promise<RecordedRun> {
  const recorded = options.runId !== undefined || job.services.includes(METRICS_DB_SERVICE);
  const store = recorded ? (await runtime.runStorage()).runs : undefined;
  const [{ runRecordedJob }, services] = await Promise.all([import('../execution/run-recorded-job.js'), runtime.services()]);
  const result = await runRecordedJob({ job, services, ...options, ...(store === undefined ? {} : { store }), ...optionalAfterRun(runtime) });
  if (store !== undefined) await markDaysRead(runtime, job, options.params, result);
  return result;
}

/** The checks' after-run evaluation as an option, when checks are configured. */
export function optionalAfterRun(runtime: EtlRuntime): { afterRun?: AfterRun } {
  const afterRun = checksAfterRun(runtime);
  return afterRun === undefined ? {} : { afterRun };
}

/** The window a run read: the one it was given, or the current one for a windowed job given none. */
function windowRead(job: Pick<Job, 'windowed'>, params: JobParams, timeZone: string, now: number): ReadWindow | undefined {
  const given = params['window'];
  if (isReadWindow(given)) return given;
  return job.windowed ? currentWindow(now, timeZone) : undefined;
}

function isReadWindow(value: unknown): value is ReadWindow {
  return typeof value === 'object' && value !== null && 'hours' in value && 'days' in value && 'timeZone' in value;
}

/**
 * A read started here marks the local days it covered whole (and today so far) in the partition calendar,
 * as a scheduled run does; a failure to do so is a warning, the run's own record stands.
 */
async function markDaysRead(runtime: EtlRuntime, job: Pick<Job, 'name' | 'windowed'>, params: JobParams, result: RecordedRun): Promise<void> {
  const window = windowRead(job, params, runtime.config.timeZone, result.run?.startedAt ?? Date.now());
  if (window === undefined || result.run === undefined) return;
  const status = result.run.status === 'succeeded' ? 'succeeded' : result.run.status === 'failed' ? 'failed' : undefined;
  if (status === undefined) return;
  const [{ PartitionStore }, { markReadDays }] = await Promise.all([import('../runs/partition-store.js'), import('../execution/partition-marks.js')]);
  await markReadDays(new PartitionStore(await runtime.metricsDb()), job.name, window, { status, runId: result.recordId, error: result.run.error }).catch((error: unknown) =>
    runtime.warn?.(`the days read were not marked in the partition calendar: ${describeError(error)}`),
  );
}

/**
 * The UI's runHere for a process that runs no scheduler: records the run (queued), then runs it in the
 * background, and resolves with its id at once.
 */
export function runHereFor(runtime: EtlRuntime, onError: (message: string) => void = () => undefined): (job: string) => Promise<number> {
  return async (name) => {
    const job = (await runtime.registry()).get(name);
    if (job === undefined) throw new UsageError(`no job is named '${name}'`);
    const runId = await (await runtime.runStorage()).runs.create({ job: name, trigger: 'manual' });
    if (runId === undefined) throw new UsageError(`run of '${name}' not recorded`);
    void runJobHere(runtime, job, { params: {}, trigger: 'manual', runId, onStoreError: (error) => onError(`run ${runId}: the run could not be recorded: ${describeError(error)}`) }).then(
      (result) => {
        if (result.reason !== undefined) onError(`run ${runId} of ${name} did not run: ${result.reason}`);
      },
      (error: unknown) => onError(`run ${runId} of ${name} failed: ${describeError(error)}`),
    );
    return runId;
  };
}
