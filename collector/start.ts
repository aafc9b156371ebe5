// The collector assembled: options, the batching writer over a store, the endpoints' logic, the HTTP app and its
// fast path, the server.
import { createCollectorApp } from './app.js';
import { createBatchWriter } from './batch-writer.js';
import type { EventStore } from './event-store.js';
import { createFastPath } from './fast-path.js';
import { createIngest } from './ingest.js';
import { DEFAULT_FLUSH_DELAY_MS, resolveOptions, type CollectorOptions } from './options.js';
import { startCollector, type RunningCollector } from './server.js';
import { readTracker } from './tracker-asset.js';

export interface CollectorSettings extends CollectorOptions {
  readonly host: string;
  readonly port: number;
  readonly flushDelayMs?: number;
  /** HTML served at / (the demo page). */
  readonly page?: string;
  readonly onUnavailable?: (error: Error) => void;
  readonly onError?: (error: unknown) => void;
}

/** Serves the collector over `store`; close() stops listening, writes what is buffered and closes the store. */
export async function runCollector(store: EventStore, settings: CollectorSettings): Promise<RunningCollector> {
  const options = resolveOptions(settings);
  const writer = createBatchWriter({ store, flushDelayMs: settings.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS, maxPendingRows: 200 * options.limits.batchEvents });
  const ingest = createIngest({ options, writer, ...(settings.onUnavailable ? { onUnavailable: settings.onUnavailable } : {}) });
  const fastPath = createFastPath({ ingest, allowedOrigins: options.allowedOrigins, ...(settings.onError ? { onError: settings.onError } : {}) });
  const app = createCollectorApp({
    options,
    writer,
    store,
    ingest,
    tracker: readTracker(),
    ...(settings.page === undefined ? {} : { page: settings.page }),
    ...(settings.onUnavailable ? { onUnavailable: settings.onUnavailable } : {}),
    ...(settings.onError ? { onError: settings.onError } : {}),
  });
  try {
    return await startCollector({ app, fastPath, writer, store, host: settings.host, port: settings.port });
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}
