// The checks' series of /metrics (the states come from the runtime, which reads check_result: monitoring does
// not know the checks room). kube-state-metrics style: etl_check_status{check,metric,status} is 1 for the
// status the pair is in and 0 for the two others, so an alert is `etl_check_status{status="fail"} == 1` and
// no one averages an enum; etl_check_failing_buckets{check} counts the buckets not passing lately.
import { Gauge, type Registry } from 'prom-client';

export const CHECK_STATUSES = ['pass', 'warn', 'fail'] as const;
/** How far back etl_check_failing_buckets counts (by bucket start). */
export const CHECK_FAILING_WINDOW_MS = 24 * 3_600_000;

export interface CheckStates {
  /** The latest judged bucket's status of each (check, metric) pair; never-judged pairs are absent. */
  readonly statuses: ReadonlyArray<{ readonly check: string; readonly metric: string; readonly status: string }>;
  /** Buckets starting in the last CHECK_FAILING_WINDOW_MS whose status is warn or fail, for every configured check (0 included). */
  readonly failing: ReadonlyArray<{ readonly check: string; readonly count: number }>;
}

/** The two gauges on `registry`; the returned function sets them from the states read at a scrape. */
export function checkGauges(registry: Registry, collect: () => Promise<void>): (states: CheckStates | undefined) => void {
  const status = new Gauge({
    name: 'etl_check_status',
    help: 'Latest judged bucket of each check and metric: 1 for its status (pass, warn or fail), 0 for the others.',
    labelNames: ['check', 'metric', 'status'], registers: [registry], collect,
  });
  const failing = new Gauge({
    name: 'etl_check_failing_buckets',
    help: 'Buckets that started in the last 24 hours judged warn or fail, by check.',
    labelNames: ['check'], registers: [registry], collect,
  });
  return (states) => {
    status.reset();
    failing.reset();
    if (states === undefined) return;
    for (const s of states.statuses) for (const value of CHECK_STATUSES) status.set({ check: s.check, metric: s.metric, status: value }, s.status === value ? 1 : 0);
    for (const f of states.failing) failing.set({ check: f.check }, f.count);
  };
}
