// What the web UI's server (web/server.ts, web/api.ts, web/stream.ts) and its pages (web/pages/) agree on; the
// browser's modules (web/client/) read the same JSON through the shapes of web/client/view/wire.ts.
//
// JSON API (under /api, all GET unless said; POST needs the header `X-ETL-UI: 1` and, with a token, auth):
//   GET  /api/jobs                 -> JobSummary[]
//   GET  /api/runs?job=&status=&trigger=&before=<id>&limit=  -> { runs: RunRecord[], next: number | null }  (cursor = id)
//   GET  /api/runs/:id             -> RunRecord (404 { error } if none)
//   GET  /api/jobs/:job/dot        -> { dot: string }   the job's graph as `etl inspect --graph` prints it
//   POST /api/jobs/:job/trigger    -> { runId: number, by: 'worker' | 'scheduler' | 'here' }
//   POST /api/jobs/:job/pause | /api/jobs/:job/resume -> { job, paused }
//   POST /api/runs/:id/cancel      -> { result: 'cancelled' | 'requested' | 'finished' | 'unknown' }
// Partitions of a read job ('all' and one job per enabled source; any other job: 404 { error }; a bad
// parameter or field: 400 { error } naming it):
//   GET  /api/jobs/:job/partitions?from=&to=  -> PartitionCalendar (runtime/partitions.ts): days (each with its
//        day partition and 23/24/25 hour states), counts by status; default range: 20 days before `to` .. today
//   POST /api/jobs/:job/backfill   JSON { from, to, grain?: 'day' | 'hour', only?: 'failed' | 'missing' }
//   POST /api/jobs/:job/partitions/:key/run   (one partition; its grain from the key: YYYY-MM-DD or YYYY-MM-DDTHH:00+hh:mm)
//        -> 202 { queued, runIds, by: 'worker' | 'scheduler' }; 200 { queued: 0, runIds: [], reason } when no
//        partition matched; 409 { error } when no worker or scheduler would take them (nothing is recorded)
// Dashboards (web/dashboards-api.ts; JSON shapes in web/client/view/dashboard-wire.ts; 400 { error } for a bad
// range or variable value, 404 { error } for an unknown dashboard or panel):
//   GET  /api/dashboards           -> { dashboards: DashboardEntryJson[] }   (files that do not load: uid '' + error)
//   GET  /api/dashboards/:uid?from=&to=&var-<name>=   -> DashboardJson
//   GET  /api/dashboards/:uid/panels/:panelId?from=&to=&var-<name>=  -> PanelDataJson (200 with `error` when its SQL failed)
//   GET  /api/public/dashboards/:uid[/panels/:panelId]  the same for a uid of dashboards.public, without the token
//        (and without SQL); /public/:uid and /assets/ are then readable without the token too
// Metric explorer (web/explorer-api.ts; JSON shapes in web/client/view/explorer-wire.ts; the SQL is the Grafana panel
// SQL of dashboards/explorer.ts, run read-only; 400 { error } naming a bad or unknown parameter, 404 for an unknown metric):
//   GET  /api/metrics?prefix=&limit=            -> { metrics: ListedMetricJson[] }  (prefix literal; limit 1..1000, default 200)
//   GET  /api/metrics/:name/series?from=&to=    -> MetricSeriesJson (hourly and daily frames, the period before, min/max/sum)
//   GET  /api/metrics/:name/series.csv?from=&to= -> text/csv time,grain,value,previous: the charts' values
//   GET  /metrics (Accept preferring text/html: the explorer page; otherwise Prometheus' self-metrics text, with a
//        token 401 without it) and GET /metrics/:name (a metric's page)
// Checks (web/checks-api.ts; JSON shapes in web/client/view/checks-wire.ts; read-only; 400 { error } naming a bad
// parameter, 404 for an unknown check or a metric it does not cover):
//   GET  /api/checks                             -> ChecksJson (each configured check, each metric it covers: latest
//        state, failing buckets of the last 7 days, the last failure)
//   GET  /api/checks/:check/:metric?from=&to=    -> CheckHistoryJson (judged buckets of the range: value, band, status)
//   GET  /checks and /checks/:check/:metric (pages)
// Server-Sent Events: GET /api/events?run=<id> -> `event: run` data RunRecord, on every change (and once at
// connect); GET /api/events?view=jobs -> `event: jobs` data JobSummary[] on every change of any run or job;
// GET /api/events?view=partitions&job=<job>&from=&to= -> `event: partitions` data PartitionCalendar on every change.
// One stream per page; the server polls the run store once for all its streams (a worker on another machine
// writes to the same store), never once per client.
import type { Hono } from 'hono';
import type { EtlRuntime } from '../runtime/runtime.js';
import type { RunRecord } from '../runs/run-store.js';
import type { JobSchedule } from '../scheduler/schedule.js';
import type { JobSummaryJson } from './client/view/wire.js';

/** A job as the jobs page shows it: the JSON the client receives (web/client/view/wire.ts), with the run record itself. */
export type JobSummary = Omit<JobSummaryJson, 'lastRun'> & {
  readonly lastRun: RunRecord | null;
};

export interface UiDeps {
  readonly runtime: EtlRuntime;
  readonly schedules: readonly JobSchedule[];
  /** Runs a manual run in this process when no scheduler or worker would take it; resolves to its run id once recorded. */
  readonly runHere: (job: string) => Promise<number>;
  /** ETL_UI_TOKEN: every request needs it (bearer header, or the cookie the login form sets). */
  readonly token?: string;
  /** The clock of /metrics' etl_check_failing_buckets window (default Date.now). */
  readonly now?: () => number;
}

/** Mounts the HTML pages (web/pages/index.ts implements it). */
export type RegisterPages = (app: Hono, deps: UiDeps) => void;
