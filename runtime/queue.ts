// The queue of the configuration, when there is one (scheduler.redisUrl, or REDIS_URL): then the
// schedulers register job schedulers and `etl worker` processes run the jobs; else the embedded scheduler.
import type { LoadedConfig } from '../config/index.js';
import { UsageError } from '../graph/errors.js';
import type { QueueConnectionOptions } from '../queue/transport.js';

/** The queue's connection options (openQueueTransport opens it); undefined without a queue URL. */
export function queueOptionsFor(config: LoadedConfig): QueueConnectionOptions | undefined {
  const url = config.env.REDIS_URL?.trim() || config.file.scheduler?.redisUrl;
  if (url === undefined || url === '') return undefined;
  return {
    url,
    ...(config.file.scheduler?.queue === undefined ? {} : { queue: config.file.scheduler.queue }),
    ...(config.env.ETL_QUEUE_PREFIX?.trim() || config.file.scheduler?.prefix ? { prefix: config.env.ETL_QUEUE_PREFIX?.trim() || config.file.scheduler!.prefix! } : {}),
  };
}

/** Workers on other machines write to the metrics database: with a queue it must be PostgreSQL. */
export function requirePostgres(config: LoadedConfig, command: string): void {
  if (config.database.databaseUrl === undefined) {
    throw new UsageError(
      `${command}: with Redis (scheduler.redisUrl or REDIS_URL), the metrics database must be PostgreSQL: set DATABASE_URL (or metricsDatabase.url). ` +
        `The embedded database lives in one process; workers on other machines cannot write to it. Without Redis, \`etl scheduler\` runs everything in one process.`,
    );
  }
}
