// The job_run column table: every field of a run decoded from its column; a trigger or status this version
// does not know is an error naming the run, read from a row or from the database (PostgreSQL and PGlite).
import { describe, expect, it } from 'vitest';
import { metricsTables } from '../writers/index.js';
import { BACKENDS, createTestMetricsDb } from '../test/writers-backends.js';
import { decodeRun, RUN_COLUMNS, RUN_SELECT, RunRecordError } from './run-columns.js';
import { SqlRunStore } from './sql-run-store.js';

const row = {
  id: '7', job: 'all', trigger: 'schedule', status: 'succeeded', queuedAt: new Date(1_000), scheduledFor: null, windowFrom: '1970-01-01T00:00:02Z', windowTo: null,
  attempt: 2, startedAt: null, finishedAt: null, nodes: '[]', error: null, host: 'h', pid: '42', logTail: ['a'], cancelRequested: true, partitionKey: null,
};

describe('run columns', () => {
  it('decode a row field by field (ids and pids as numbers, instants as epoch ms, jsonb given as text parsed)', () => {
    expect(decodeRun(row)).toEqual({ ...row, id: 7, queuedAt: 1_000, windowFrom: 2_000, nodes: [], pid: 42 });
    expect(RUN_SELECT).toContain('cancel_requested_at IS NOT NULL AS "cancelRequested"');
    expect(Object.keys(RUN_COLUMNS)).toHaveLength(Object.keys(row).length);
  });

  it('refuse a trigger or a status this version does not know, naming the run', () => {
    expect(() => decodeRun({ ...row, trigger: 'cron' })).toThrow(new RunRecordError(7, 'trigger', 'cron', ['manual', 'schedule', 'backfill', 'retry']));
    expect(() => decodeRun({ ...row, trigger: 'cron' })).toThrow('run 7: trigger "cron" is not one of manual, schedule, backfill, retry');
    expect(() => decodeRun({ ...row, status: 'paused' })).toThrow(/^run 7: status "paused" is not one of queued, running, succeeded, failed, cancelled, skipped/);
  });

  it.each(BACKENDS)('refuse an unknown trigger read from job_run on %s', async (backend) => {
    const metrics = await createTestMetricsDb(backend);
    try {
      const store = new SqlRunStore(metrics.db);
      const id = (await store.create({ job: 'all', trigger: 'manual' }))!;
      await metrics.db.query(`UPDATE ${metricsTables(metrics.db.settings.schema).jobRun} SET trigger = 'cron' WHERE id = $1`, [id]);
      await expect(store.get(id)).rejects.toThrow(new RunRecordError(id, 'trigger', 'cron', ['manual', 'schedule', 'backfill', 'retry']));
      await expect(store.list()).rejects.toBeInstanceOf(RunRecordError);
    } finally {
      await metrics.drop();
    }
  });
});
