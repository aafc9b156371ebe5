// The cleanup job (the talk's daily `clean all`): deletes hourly values and run records past their retention.
import { batchSink, graphBuilder, source } from '../graph/index.js';
import { cleanMetrics } from '../writers/cleanup.js';
import { METRICS_DB_SERVICE, type MetricsDb } from '../writers/metrics-db.js';
import { defineJob } from './job.js';

export interface CleanParams extends Record<string, unknown> {
  /** Overrides the configured hourly retention (days). */
  readonly retentionDays?: number;
  /** Overrides the configured run-record retention (days). */
  readonly runRetentionDays?: number;
}

/** One row per table cleaned: `{table, deleted, before}`; the sink's `out` is the number of rows deleted. */
export const cleanJob = defineJob<CleanParams>({
  name: 'clean',
  description: 'Delete hourly values and run records older than their retention (daily values are kept)',
  services: [METRICS_DB_SERVICE],
  build: (params) => {
    const b = graphBuilder('clean');
    b.source(
      'delete-old-rows',
      source(async function* (ctx) {
        const result = await cleanMetrics(ctx.service<MetricsDb>(METRICS_DB_SERVICE), {
          ...(params.retentionDays === undefined ? {} : { hourlyRetentionDays: params.retentionDays }),
          ...(params.runRetentionDays === undefined ? {} : { runRetentionDays: params.runRetentionDays }),
        });
        yield { table: 'hourly_value', deleted: result.deleted.hourlyValues, before: result.hourlyBefore };
        yield { table: 'job_run', deleted: result.deleted.jobRuns, before: result.runsBefore };
      }, 'metrics database'),
    ).to(
      'deleted',
      batchSink((rows: readonly { deleted: number }[]) => rows.reduce((sum, row) => sum + row.deleted, 0), { label: 'rows deleted' }),
    );
    return b.build();
  },
});
