// The configuration's `checks` wired: the checks as the checks/ room takes them, the webhook of `alerts` for
// their transitions, the after-run evaluation of the buckets a run wrote, and the built-in `checks` job.
import type { LoadedConfig } from '../config/index.js';
import { checkName, type CheckConfig } from '../config/checks-schema.js';
import type { Check } from '../checks/check.js';
import { postedCheckAlerts } from '../checks/check-alerts.js';
import { checksJob, CHECKS_JOB } from '../checks/checks-job.js';
import { evaluateChecks, type Evaluation } from '../checks/evaluate.js';
import type { CheckScope } from '../checks/scope.js';
import type { CheckAlertSink } from '../checks/transitions.js';
import type { AfterRun, SucceededRun } from '../execution/run-recorded-job.js';
import type { Job } from '../jobs/job.js';
import { HOUR_MS, nextDate, toDateHour } from '../metrics/time.js';
import { startOfHour } from '../metrics/window.js';
import { webhookPoster } from '../monitoring/alerts.js';
import { ensureMigrated } from '../writers/migrate.js';
import type { MetricsDb } from '../writers/metrics-db.js';

/** The configured checks, names given. */
export function checksOf(config: LoadedConfig): Check[] {
  return (config.file.checks ?? []).map((c: CheckConfig): Check => {
    const name = checkName(c);
    switch (c.type) {
      case 'anomaly':
        return { name, metric: c.metric, grain: c.grain, severity: c.severity, type: c.type, historyDays: c.history, seasonality: c.seasonality, threshold: c.threshold, minHistory: c.minHistory, direction: c.direction, minChange: c.minChange };
      case 'freshness':
        return { name, metric: c.metric, grain: c.grain, severity: c.severity, type: c.type, maxAgeMs: c.maxAge };
      case 'range':
        return { name, metric: c.metric, grain: c.grain, severity: c.severity, type: c.type, min: c.min, max: c.max };
      case 'change':
        return { name, metric: c.metric, grain: c.grain, severity: c.severity, type: c.type, maxDrop: c.maxDrop, maxRise: c.maxRise };
      case 'missing':
        return { name, metric: c.metric, grain: c.grain, severity: c.severity, type: c.type, graceMs: c.grace };
    }
  });
}

/** The `alerts` webhook as the checks' alert sink, or none. */
export function checkAlertsFor(config: LoadedConfig): CheckAlertSink | undefined {
  const alerts = config.file.alerts;
  if (alerts === undefined) return undefined;
  return postedCheckAlerts(webhookPoster({ webhook: alerts.webhook, timeoutMs: alerts.timeout }), { publicUrl: alerts.publicUrl });
}

/** Jobs whose runs write no metric values: nothing to judge after them. */
const WRITES_NO_VALUES = new Set([CHECKS_JOB, 'clean']);

/** Evaluates the checks (all types, or `types`) over `scope` at `now`, results stored and transitions alerted. */
async function evaluate(db: MetricsDb, config: LoadedConfig, scope: CheckScope, now: number, types: Check['type'][]): Promise<Evaluation> {
  await ensureMigrated(db);
  return evaluateChecks(db, { checks: checksOf(config), scope, now, types, alerts: checkAlertsFor(config) });
}

/**
 * The buckets judged after a run: its window's; for the current window (a scheduled run) or none (the hours and
 * days it ran in), the hour and the day before them too: a bucket still filling at a run's end is judged by the
 * first run after it ended (the judgements skip buckets not ended).
 */
export function afterRunScope(run: SucceededRun, zone: string): CheckScope {
  const { window } = run;
  if (window !== undefined && window.isCurrent !== true) return { hours: window.hours, ...(window.hourlyOnly === true ? {} : { days: window.days }) };
  const hours = window?.hours ?? { from: startOfHour(run.startedAt, zone), to: startOfHour(run.finishedAt, zone) + HOUR_MS };
  const days = window?.days ?? { from: toDateHour(run.startedAt, zone).date, to: toDateHour(run.finishedAt, zone).date };
  return { hours: { from: hours.from - HOUR_MS, to: hours.to }, ...(window?.hourlyOnly === true ? {} : { days: { from: nextDate(days.from, -1), to: days.to } }) };
}

/** The after-run hook: judges the buckets of afterRunScope, undefined without checks. */
export function checksAfterRun(runtime: { readonly config: LoadedConfig; readonly metricsDb: () => Promise<MetricsDb> }): AfterRun | undefined {
  if (checksOf(runtime.config).length === 0) return undefined;
  const zone = runtime.config.timeZone;
  return async (run) => {
    if (WRITES_NO_VALUES.has(run.job)) return undefined;
    const scope = afterRunScope(run, zone);
    const result = await evaluate(await runtime.metricsDb(), runtime.config, scope, Date.now(), ['anomaly', 'range', 'change', 'missing']);
    const alertError = result.alertError === undefined ? '' : `; alerts not sent: ${result.alertError instanceof Error ? result.alertError.message : String(result.alertError)}`;
    return `checks: ${result.counts.pass + result.counts.warn + result.counts.fail} buckets judged, ${result.counts.fail} failing, ${result.counts.warn} warning${alertError}`;
  };
}

/** The built-in `checks` job (freshness and missing over the last two days at the current time), when checks are configured. */
export function checksJobFor(config: LoadedConfig): Job | undefined {
  if (checksOf(config).length === 0) return undefined;
  const zone = config.timeZone;
  return checksJob(async (db, now) => {
    const today = toDateHour(now, zone).date;
    const scope: CheckScope = { hours: { from: now - 48 * HOUR_MS, to: now }, days: { from: nextDate(today, -2), to: today } };
    return evaluate(db, config, scope, now, ['freshness', 'missing']);
  });
}
