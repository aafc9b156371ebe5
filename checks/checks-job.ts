// The built-in `checks` job: on its own schedule, judges freshness and missing (what no run's end can
// notice: a metric nobody writes any more) at the clock's now, over the last two days' buckets.
import { batchSink, graphBuilder, source } from '../graph/index.js';
import { defineJob, type Job } from '../jobs/job.js';
import { METRICS_DB_SERVICE, type MetricsDb } from '../writers/metrics-db.js';
import type { Evaluation } from './evaluate.js';

/** Its schedule unless the configuration's `schedules.checks` says otherwise. */
export const CHECKS_JOB_CRON = '*/15 * * * *';
export const CHECKS_JOB = 'checks';

/** The job, running `evaluate` (freshness and missing at `now`, results stored, transitions alerted). */
export function checksJob(evaluate: (db: MetricsDb, now: number) => Promise<Evaluation>): Job {
  return defineJob({
    name: CHECKS_JOB,
    description: 'Judge the freshness and missing checks at the current time (results in check_result, transitions alerted)',
    services: [METRICS_DB_SERVICE],
    schedule: CHECKS_JOB_CRON,
    build: () => {
      const b = graphBuilder(CHECKS_JOB);
      b.source(
        'judge',
        source(async function* (ctx) {
          const { counts, transitions } = await evaluate(ctx.service<MetricsDb>(METRICS_DB_SERVICE), Date.now());
          yield { ...counts, transitions: transitions.length };
        }, 'metrics database'),
      ).to('failing', batchSink((rows: readonly { fail: number }[]) => rows.reduce((sum, row) => sum + row.fail, 0), { label: 'failing buckets' }));
      return b.build();
    },
  });
}
