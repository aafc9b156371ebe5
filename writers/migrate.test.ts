// Migrations on both backends: from an empty database, re-run as a no-op, concurrent, in a configured schema.
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, createTestMetricsDb, writeRows, type TestMetricsDb } from '../test/writers-backends.js';
import { describeMetricsDb } from './db-info.js';
import { ensureMigrated, migrate, schemaVersion } from './migrate.js';
import { LATEST_SCHEMA_VERSION } from './migrations.js';
import { hourlyWriter } from './value-writer.js';

describe.each(BACKENDS)('migrations on %s', (backend) => {
  let test: TestMetricsDb | undefined;
  afterEach(async () => {
    await test?.drop();
    test = undefined;
  });

  it('create every table from an empty database, then do nothing when run again', async () => {
    test = await createTestMetricsDb(backend);
    const { db } = test;
    expect(await schemaVersion(db, 'etl')).toBe(0);
    expect(await describeMetricsDb(db)).toMatchObject({ backend, schema: 'etl', version: 0, latestVersion: LATEST_SCHEMA_VERSION, rows: null });
    expect(await migrate(db)).toEqual({ from: 0, to: LATEST_SCHEMA_VERSION, applied: [1, 2, 3, 4, 5, 6, 7, 8] });
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'etl' ORDER BY table_name`,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(['check_result', 'daily_value', 'events', 'hourly_value', 'identities', 'job_run', 'job_state', 'metric', 'partition', 'schema_migration', 'setting']);
    expect(await migrate(db)).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION, applied: [] });
    const [a, b] = await Promise.all([migrate(await test.another()), migrate(await test.another())]);
    expect([a.applied, b.applied]).toEqual([[], []]);
    const applied = await db.query(`SELECT version, name FROM etl.schema_migration`);
    expect(applied.rows).toEqual([
      { version: 1, name: 'metrics, hourly and daily values, job runs' },
      { version: 2, name: 'fillfactor on hourly and daily values' },
      { version: 3, name: 'runs as first-class records: owner, queue and schedule times, attempts, heartbeat, cancel, log; job state; settings' },
      { version: 4, name: 'raw product events of the collector' },
      { version: 5, name: 'the reader that writes each metric' },
      { version: 6, name: 'message types of collected events, and the identities linking anonymous ids to users' },
      { version: 7, name: 'results of checks on metric values' },
      { version: 8, name: "collected events keep each message's context and integrations" },
    ]);
    const fill = await db.query<{ relname: string; reloptions: string[] }>(
      `SELECT relname, reloptions FROM pg_class WHERE relnamespace = 'etl'::regnamespace AND relname IN ('hourly_value', 'daily_value') ORDER BY relname`,
    );
    expect(fill.rows).toEqual([
      { relname: 'daily_value', reloptions: ['fillfactor=90'] },
      { relname: 'hourly_value', reloptions: ['fillfactor=90'] },
    ]);
    expect(await describeMetricsDb(db)).toMatchObject({ version: LATEST_SCHEMA_VERSION, rows: { metric: 0, hourly_value: 0, daily_value: 0, job_run: 0 } });
  });

  it('run concurrently from an empty database without failing', async () => {
    test = await createTestMetricsDb(backend);
    const results = await Promise.all([migrate(test.db), migrate(await test.another()), ensureMigrated(await test.another())]);
    expect(results.map((r) => r.applied).flat().sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('run before the first write, in the configured schema, even one that needs quoting', async () => {
    test = await createTestMetricsDb(backend, { schema: 'Metrics "2"; DROP' });
    const run = await writeRows(test.db, [{ dims: { date: '2026-01-01', hour: 3 }, metrics: { a: 1 } }], { hourly: hourlyWriter() });
    expect(run.status).toBe('succeeded');
    expect(await schemaVersion(test.db, 'Metrics "2"; DROP')).toBe(LATEST_SCHEMA_VERSION);
    const res = await test.db.query(`SELECT hour, value FROM "Metrics ""2""; DROP".hourly_value`);
    expect(res.rows).toEqual([{ hour: 3, value: 1 }]);
    expect(await schemaVersion(test.db, 'etl')).toBe(0);
  });
});
