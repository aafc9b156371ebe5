// Test support for the metrics database: the same test on real PostgreSQL and on PGlite, each in its own database.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { graphBuilder, runGraph, source, type JobRun, type RunOptions, type SinkNode } from '../graph/index.js';
import type { MetricRow } from '../metrics/row.js';
import { METRICS_DB_SERVICE, type MetricsDb } from '../writers/metrics-db.js';
import { metricsDbSettings, openMetricsDb, pgliteDir, type MetricsDbConfig } from '../writers/open-metrics-db.js';
import { pgliteMetricsDb } from '../writers/pglite-metrics-db.js';
import { createTestDatabase } from './support/pg.js';

export const BACKENDS = ['postgres', 'pglite'] as const;
export type Backend = (typeof BACKENDS)[number];

export interface TestMetricsDb {
  readonly db: MetricsDb;
  /** What openMetricsDb needs to open this database again (another process, a rerun). */
  readonly config: MetricsDbConfig;
  /** Another handle on the same database with its own caches (a second writer process). */
  another(): Promise<MetricsDb>;
  /** Closes every handle and deletes the database. */
  drop(): Promise<void>;
}

let template: string | undefined;

/** A PGlite data dir initialised once per test process, copied for each test (initdb takes seconds). */
async function pgliteTemplate(): Promise<string> {
  if (template === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'etl-pglite-template-'));
    const pg = await PGlite.create(pgliteDir(dir));
    await pg.close();
    template = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return template;
}

export async function createTestMetricsDb(backend: Backend, settings: Omit<MetricsDbConfig, 'dataDir' | 'databaseUrl'> = {}): Promise<TestMetricsDb> {
  const handles: MetricsDb[] = [];
  if (backend === 'postgres') {
    const database = await createTestDatabase('etl_writers');
    const config: MetricsDbConfig = { ...settings, databaseUrl: database.url, dataDir: '/nonexistent' };
    const db = await openMetricsDb(config);
    handles.push(db);
    return {
      db,
      config,
      async another() {
        const other = await openMetricsDb(config);
        handles.push(other);
        return other;
      },
      async drop() {
        for (const h of handles) await h.close();
        await database.drop();
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'etl-pglite-'));
  cpSync(await pgliteTemplate(), dataDir, { recursive: true });
  const config: MetricsDbConfig = { ...settings, dataDir };
  const pglite = await PGlite.create(pgliteDir(dataDir));
  const wrap = (owns: boolean) => pgliteMetricsDb({ pglite, settings: metricsDbSettings(settings), target: `pglite:${pgliteDir(dataDir)}`, ownsInstance: owns });
  const db = wrap(true);
  return {
    db,
    config,
    async another() {
      // One PGlite instance per directory: a second handle shares it, with caches of its own.
      const other = wrap(false);
      handles.push(other);
      return other;
    },
    async drop() {
      for (const h of handles) await h.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `rows` through `writers` (sinks fed by one source) with `db` as the metrics database service. */
export async function writeRows(db: MetricsDb, rows: Iterable<unknown> | AsyncIterable<unknown>, writers: Record<string, SinkNode<MetricRow>>): Promise<JobRun> {
  return writeRowsWith(db, rows, writers, {});
}

/** writeRows with run options (maxErrorExamples, batchSize...). */
export async function writeRowsWith(
  db: MetricsDb,
  rows: Iterable<unknown> | AsyncIterable<unknown>,
  writers: Record<string, SinkNode<MetricRow>>,
  options: Omit<RunOptions, 'services'>,
): Promise<JobRun> {
  const b = graphBuilder('write-test');
  const input = b.source('input', source(() => rows as Iterable<MetricRow>));
  for (const [name, writer] of Object.entries(writers)) input.to(name, writer);
  return runGraph(b.build(), { ...options, services: { [METRICS_DB_SERVICE]: db } });
}
