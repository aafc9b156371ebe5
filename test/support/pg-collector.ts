// Test helper: the collector on 127.0.0.1 (any free port) storing into etl.events of a PostgreSQL database, the
// table created; its write and connect timeouts short, so a database that hangs is answered 503 quickly.
import { setTimeout as sleep } from 'node:timers/promises';
import { onTestFinished } from 'vitest';
import { pgEventStore } from '../../collector/pg-store.js';
import type { RunningCollector } from '../../collector/server.js';
import { runCollector, type CollectorSettings } from '../../collector/start.js';
import { createTestDatabase, type TestDatabase } from './pg.js';
import type { Running } from './processes.js';

export async function pgCollector(url: string, settings: Omit<CollectorSettings, 'host' | 'port'>, writeTimeoutMs = 2_000): Promise<RunningCollector> {
  const store = await pgEventStore({ url, schema: 'etl', writeTimeoutMs, connectTimeoutMs: writeTimeoutMs, table: 'create' });
  return runCollector(store, { host: '127.0.0.1', port: 0, ...settings });
}

/** A collector with one write key `server` on a new test database (dropped with the collector when the test ends). */
export async function collectorOnTestDatabase(name: string, key: string): Promise<{ db: TestDatabase; collector: RunningCollector }> {
  const db = await createTestDatabase(name);
  const collector = await pgCollector(db.url, { writeKeys: [{ name: 'server', key }] });
  onTestFinished(async () => {
    await collector.close();
    await db.drop();
  });
  return { db, collector };
}

/** The URL from the start-up log line of an `etl collect` (or scheduler) process, within 40 s. */
export async function collectorUrlOf(process: Running): Promise<string> {
  const deadline = Date.now() + 40_000;
  for (;;) {
    const found = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(process.stderr())?.[1];
    if (found !== undefined) return found;
    if (process.exited() || Date.now() > deadline) throw new Error(`no collector URL; stderr:\n${process.stderr()}`);
    await sleep(100);
  }
}
