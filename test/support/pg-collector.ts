// Test helper: the collector on 127.0.0.1 (any free port) storing into etl.events of a PostgreSQL database, the
// table created; its write and connect timeouts short, so a database that hangs is answered 503 quickly.
import { pgEventStore } from '../../collector/pg-store.js';
import type { RunningCollector } from '../../collector/server.js';
import { runCollector, type CollectorSettings } from '../../collector/start.js';

export async function pgCollector(url: string, settings: Omit<CollectorSettings, 'host' | 'port'>, writeTimeoutMs = 2_000): Promise<RunningCollector> {
  const store = await pgEventStore({ url, schema: 'etl', writeTimeoutMs, connectTimeoutMs: writeTimeoutMs, table: 'create' });
  return runCollector(store, { host: '127.0.0.1', port: 0, ...settings });
}
