// The event collector in a CLI process: `etl collect` on its own, or hosted by the embedded `etl scheduler`.
// Wires the `collector` configuration to a store: a database of its own, the metrics database on PostgreSQL
// (a pool with the collector's timeouts), or the embedded metrics database (this process's one handle).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { CollectorConfig } from '../config/collector-schema.js';
import { COLLECTOR_DEFAULTS } from '../config/collector-schema.js';
import { UsageError } from '../graph/errors.js';
import type { EtlRuntime } from '../runtime/runtime.js';
import type { EventStore } from '../collector/event-store.js';
import type { RunningCollector } from '../collector/server.js';
import { DEFAULT_WRITE_TIMEOUT_MS } from '../collector/options.js';
import type { CliContext } from './context.js';
import { EXIT_OK } from './exit-codes.js';
import { untilSignal } from './signals.js';

export interface CollectOptions {
  /** --port / --host, winning over collector.port / collector.host. */
  readonly port?: number;
  readonly host?: string;
}

/** The store the configuration names, and where it is (safe to print). */
async function openStore(runtime: EtlRuntime, collector: CollectorConfig): Promise<{ store: EventStore; where: string }> {
  const writeTimeoutMs = collector.writeTimeout ?? DEFAULT_WRITE_TIMEOUT_MS;
  const { database } = runtime.config;
  const { pgEventStore } = await import('../collector/pg-store.js');
  const { maskUrl } = await import('../secrets/mask.js');
  if (collector.database !== undefined) {
    const schema = collector.database.schema ?? database.schema;
    const connectTimeoutMs = collector.database.connectTimeout ?? database.connectTimeoutMs;
    const store = await pgEventStore({ url: collector.database.url, schema, writeTimeoutMs, connectTimeoutMs, table: 'create' });
    return { store, where: `${schema}.events in ${maskUrl(collector.database.url)}` };
  }
  const { ensureMigrated } = await import('../writers/migrate.js');
  const db = await runtime.metricsDb();
  await ensureMigrated(db);
  if (database.databaseUrl !== undefined) {
    const store = await pgEventStore({ url: database.databaseUrl, schema: database.schema, writeTimeoutMs, connectTimeoutMs: database.connectTimeoutMs, table: 'check' });
    return { store, where: `${database.schema}.events in ${db.target}` };
  }
  const [{ sqlEventStore }, { checkEventsTable }] = await Promise.all([import('../collector/event-store.js'), import('../collector/events-table.js')]);
  await checkEventsTable(db, database.schema);
  // The embedded database: the handle this process already has (one PGlite per directory), borrowed.
  return { store: sqlEventStore({ db, schema: database.schema, timeoutMs: writeTimeoutMs }), where: `${database.schema}.events in ${db.target}` };
}

/** collector.page read, relative to the configuration file; a missing file is a warning, not a failure. */
function readPage(runtime: EtlRuntime, collector: CollectorConfig, log: Logger): string | undefined {
  if (collector.page === undefined) return undefined;
  const file = resolve(dirname(runtime.config.source.file), collector.page);
  if (!existsSync(file)) {
    log.warn({ page: file }, `collector.page: ${file} does not exist; GET / answers 404`);
    return undefined;
  }
  return readFileSync(file, 'utf8');
}

/** Starts the configured collector and says where on the log. */
export async function startConfiguredCollector(runtime: EtlRuntime, options: CollectOptions, log: Logger): Promise<RunningCollector> {
  const collector = runtime.config.file.collector;
  if (collector === undefined) {
    throw new UsageError(`etl collect: ${runtime.config.source.file} has no "collector" section (at least collector.writeKeys: see README, "Capturing product events")`);
  }
  const { runCollector } = await import('../collector/start.js');
  const { store, where } = await openStore(runtime, collector);
  let lastOutage = 0;
  const page = readPage(runtime, collector, log);
  const running = await runCollector(store, {
    writeKeys: collector.writeKeys,
    allowedOrigins: collector.allowedOrigins,
    ...(collector.limits === undefined ? {} : { limits: collector.limits }),
    ...(collector.maxFuture === undefined ? {} : { maxFutureMs: collector.maxFuture }),
    ...(collector.maxPast === undefined ? {} : { maxPastMs: collector.maxPast }),
    ...(collector.flushDelay === undefined ? {} : { flushDelayMs: collector.flushDelay }),
    ...(collector.pageEvent === undefined ? {} : { pageEvent: collector.pageEvent }),
    ...(collector.screenEvent === undefined ? {} : { screenEvent: collector.screenEvent }),
    ...(page === undefined ? {} : { page }),
    host: options.host ?? collector.host ?? COLLECTOR_DEFAULTS.host,
    port: options.port ?? collector.port ?? COLLECTOR_DEFAULTS.port,
    onUnavailable: (error) => {
      // Once per 10 s at most: an outage makes every request fail.
      if (Date.now() - lastOutage < 10_000) return;
      lastOutage = Date.now();
      log.warn({}, `collector: answering 503 (events not stored, clients retry): ${error.message}`);
    },
    onError: (error) => log.error({}, `collector: ${error instanceof Error ? error.message : String(error)}`),
  });
  const keys = collector.writeKeys.map((k) => k.name).join(', ');
  log.info({ url: running.url, events: where, writeKeys: keys }, `collector on ${running.url} (POST /v1/batch, /v1/track, /v1/page... as Segment's API; GET /tracker.js): events to ${where}`);
  return running;
}

/** For `etl scheduler`: the collector when configured; one that cannot start is a warning (the scheduler goes on). */
export async function hostCollector(runtime: EtlRuntime, log: Logger): Promise<RunningCollector | undefined> {
  if (runtime.config.file.collector === undefined) return undefined;
  try {
    return await startConfiguredCollector(runtime, {}, log);
  } catch (error) {
    log.warn({}, `collector not started: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}


/** `etl collect`: serves until SIGINT/SIGTERM, lets buffered events commit, exits 0. */
export async function runCollectCommand(ctx: CliContext, options: CollectOptions): Promise<number> {
  const { createLogger } = await import('../runtime/logger.js');
  const log = createLogger({ base: { role: 'collector' } });
  const running = await startConfiguredCollector(ctx.runtime(), options, log);
  const signal = await untilSignal();
  await running.close();
  log.info({}, `${signal}: collector stopped`);
  return EXIT_OK;
}
