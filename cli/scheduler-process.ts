// The long-running `etl scheduler` process: logs, signals (first: stop within the grace period; second:
// exit at once), and the embedded scheduler wired to the shared executor, or the BullMQ job schedulers.
import type { Logger } from 'pino';
import { createLogger } from '../runtime/logger.js';
import { queueOptionsFor, requirePostgres } from '../runtime/queue.js';
import { openQueueTransport } from '../queue/open-transport.js';
import type { LogFn, QueueConnectionOptions } from '../queue/transport.js';
import type { JobSchedule } from '../scheduler/schedule.js';
import type { EtlRuntime } from '../runtime/runtime.js';
import { firingHandlerFor } from '../runtime/execute.js';
import { resolveSchedules } from '../runtime/schedules.js';
import { EmbeddedScheduler } from '../scheduler/embedded-scheduler.js';
import type { CliContext } from './context.js';
import { maybeStartMetricsServer } from './metrics-server.js';
import { EXIT_OK } from './exit-codes.js';
import { untilSignal } from './signals.js';

export interface SchedulerCommandOptions {
  readonly graceMs: number;
  readonly concurrency: number;
  /** The web UI in this process: enabled true (--ui), false (--no-ui), undefined (on for the embedded scheduler only). */
  readonly ui?: { readonly enabled: boolean | undefined; readonly host: string; readonly port: number };
}

/**
 * Starts the web UI when asked (or by default); stops it with the scheduler. A UI on by default that cannot
 * start (its port is taken: another scheduler on this machine) is skipped with a warning; an asked-for one fails.
 */
async function maybeStartUi(ctx: CliContext, schedules: readonly JobSchedule[], options: SchedulerCommandOptions, byDefault: boolean, log: Logger): Promise<{ close(): Promise<void> } | undefined> {
  const ui = options.ui;
  if (ui === undefined || !(ui.enabled ?? byDefault)) return undefined;
  const { startUiFor } = await import('./ui-process.js');
  try {
    return await startUiFor(ctx, schedules, { host: ui.host, port: ui.port });
  } catch (error) {
    if (ui.enabled === true) throw error;
    log.warn({}, `web UI not started: ${error instanceof Error ? error.message : String(error)} (choose another --port, or --no-ui)`);
    return undefined;
  }
}

/** Catchup of the schedules that ask for it; a failure is logged, the scheduler goes on. */
async function catchUpLogged(runtime: EtlRuntime, schedules: readonly JobSchedule[], log: Logger, self: boolean): Promise<void> {
  if (!schedules.some((s) => s.catchupMs !== undefined)) return;
  const { catchUp } = await import('../runtime/catchup.js');
  await catchUp(runtime, schedules, log, { self }).catch((error: unknown) => log.error({}, `catchup failed: ${error instanceof Error ? error.message : String(error)}`));
}

/** pino for the queue transport's (level, message, fields) logs. */
export function queueLog(log: Logger): LogFn {
  return (level, message, fields) => log[level](fields ?? {}, message);
}

/** How often the BullMQ-mode scheduler re-syncs its job schedulers. */
const SYNC_MS = 5_000;

/** BullMQ mode: keeps the queue's job schedulers in step with the configuration (again every 5 s, so
 *  schedulers lost with a Redis restart come back within seconds), runs no jobs. */
async function runQueueScheduler(runtime: EtlRuntime, queue: QueueConnectionOptions, schedules: readonly JobSchedule[], log: Logger, ui?: { close(): Promise<void> }): Promise<number> {
  const transport = await openQueueTransport({ ...queue, onLog: queueLog(log) });
  let failing = false;
  const sync = async (): Promise<void> => {
    try {
      const result = await transport.syncSchedules(schedules);
      if (failing) log.info({ ...result }, 'redis reachable again: job schedulers re-synced');
      else if (result.upserted.length > 0 || result.removed.length > 0) log.info({ ...result }, 'job schedulers synced');
      failing = false;
    } catch (error) {
      if (!failing) log.error({}, `could not sync the job schedulers (retrying every ${SYNC_MS / 1000} s): ${error instanceof Error ? error.message : String(error)}`);
      failing = true;
    }
  };
  await sync();
  log.info({ queue: transport.queue, jobs: schedules.map((s) => s.job) }, 'scheduler started: job schedulers registered with BullMQ; `etl worker` runs the jobs (Ctrl-C to stop)');
  await catchUpLogged(runtime, schedules, log, false);
  // Cheap when nothing changed (unchanged schedulers are left alone); brings back schedulers a Redis restart lost.
  let syncing = false;
  const timer = setInterval(() => {
    if (syncing) return;
    syncing = true;
    void sync().finally(() => (syncing = false));
  }, SYNC_MS);
  const signal = await untilSignal((name) => log.warn({}, `${name} again: exiting now`));
  clearInterval(timer);
  await ui?.close();
  log.info({}, `${signal}: scheduler stopped (the job schedulers stay in Redis; workers go on)`);
  return EXIT_OK;
}

export async function runSchedulerCommand(ctx: CliContext, options: SchedulerCommandOptions): Promise<number> {
  const runtime = ctx.runtime();
  const { config } = runtime;
  const registry = await runtime.registry();
  const schedules = resolveSchedules(config, registry);
  const log = createLogger({ base: { role: 'scheduler' } });
  if (schedules.length === 0) log.warn({}, `no job has a schedule: set "schedules" in ${config.source.file} (see README)`);
  const queue = queueOptionsFor(config);
  if (options.ui !== undefined && (options.ui.enabled ?? queue === undefined)) {
    const { checkUiBind } = await import('./ui-process.js');
    await checkUiBind(runtime, options.ui.host);
  }
  if (queue !== undefined) {
    requirePostgres(config, 'etl scheduler');
    const ui = await maybeStartUi(ctx, schedules, options, false, log);
    // Prometheus self-metrics on ETL_METRICS_PORT when set (the UI, when it runs, serves /metrics too).
    const metrics = await maybeStartMetricsServer(runtime, log);
    return runQueueScheduler(runtime, queue, schedules, log, ui).finally(() => metrics?.close());
  }
  const storage = await runtime.runStorage();
  const handler = await firingHandlerFor(runtime, schedules, log, { firingKeys: true });
  const scheduler = new EmbeddedScheduler({ schedules, handler, concurrency: options.concurrency, storage, log });
  const db = await runtime.metricsDb();
  const ui = await maybeStartUi(ctx, schedules, options, true, log);
  const metrics = await maybeStartMetricsServer(runtime, log);
  const collector = await (await import('./collect-process.js')).hostCollector(runtime, log);
  log.info({ metricsDb: db.target, concurrency: options.concurrency, jobs: schedules.map((s) => s.job) }, 'embedded scheduler started (Ctrl-C to stop)');
  scheduler.start();
  await catchUpLogged(runtime, schedules, log, true);
  const signal = await untilSignal((name) => log.warn({}, `${name} again: exiting now`));
  log.info({ active: scheduler.activeRuns(), graceMs: options.graceMs }, `${signal}: stopping; active runs may finish for ${options.graceMs} ms`);
  await ui?.close();
  await metrics?.close();
  await collector?.close();
  const { cancelled } = await scheduler.stop(options.graceMs);
  log.info({ cancelled }, 'scheduler stopped');
  return EXIT_OK;
}
