// The long-running `etl worker` process (BullMQ mode): takes firings from the queue and runs them through
// the shared executor; SIGINT/SIGTERM: stop taking runs, let active ones finish for the grace period, then
// cancel them (recorded cancelled) and exit 0; a second signal exits at once.
import { createLogger } from '../runtime/logger.js';
import { queueOptionsFor, requirePostgres } from '../runtime/queue.js';
import { resolveSchedules } from '../runtime/schedules.js';
import { UsageError } from '../graph/errors.js';
import { openQueueTransport } from '../queue/open-transport.js';
import type { CliContext } from './context.js';
import { maybeStartMetricsServer } from './metrics-server.js';
import { EXIT_OK } from './exit-codes.js';
import { firingHandlerFor } from '../runtime/execute.js';
import { queueLog } from './scheduler-process.js';
import { untilSignal } from './signals.js';

export interface WorkerCommandOptions {
  readonly concurrency: number;
  readonly graceMs: number;
  /** BullMQ lock and stalled-check period (ms): how soon a killed worker's run goes to another worker. */
  readonly lockMs?: number;
}

export async function runWorkerCommand(ctx: CliContext, options: WorkerCommandOptions): Promise<number> {
  const runtime = ctx.runtime();
  const { config } = runtime;
  const queue = queueOptionsFor(config);
  if (queue === undefined) {
    throw new UsageError('etl worker: no queue configured: set scheduler.redisUrl in the configuration (or REDIS_URL). Without Redis, `etl scheduler` runs the jobs itself.');
  }
  requirePostgres(config, 'etl worker');
  const log = createLogger({ base: { role: 'worker' } });
  const registry = await runtime.registry();
  const schedules = resolveSchedules(config, registry);
  const handler = await firingHandlerFor(runtime, schedules, log);
  const transport = await openQueueTransport({ ...queue, onLog: queueLog(log) });
  const worker = transport.startWorker({
    concurrency: options.concurrency,
    handler,
    ...(options.lockMs === undefined ? {} : { lockDurationMs: options.lockMs, stalledIntervalMs: options.lockMs }),
  });
  log.info({ worker: worker.name, queue: transport.queue, concurrency: options.concurrency, metricsDb: (await runtime.metricsDb()).target }, 'worker started (Ctrl-C to stop)');
  // Prometheus self-metrics on ETL_METRICS_PORT when set (cli/metrics-server.ts).
  const metrics = await maybeStartMetricsServer(runtime, log).catch(async (error: unknown) => {
    await worker.close(0);
    throw error;
  });
  const signal = await untilSignal((name) => log.warn({}, `${name} again: exiting now`));
  await metrics?.close();
  log.info({ active: worker.activeFirings().length, graceMs: options.graceMs }, `${signal}: no new runs; active runs may finish for ${options.graceMs} ms`);
  await worker.close(options.graceMs);
  log.info({}, 'worker stopped');
  return EXIT_OK;
}
