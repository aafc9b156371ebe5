// The checks API (web/client/view/checks-wire.ts): every configured check with each metric it covers, its latest
// state, its failing buckets of the last 7 days and the last of them; one check's judged buckets on one metric
// over a range (value, expected band, status), for the chart. Read-only: results come from check_result, written
// by the evaluation. 400 naming a bad parameter, 404 for an unknown check or a metric it does not cover.
import type { Hono } from 'hono';
import type { Check, CheckResult } from '../checks/check.js';
import { bandHistory, latestResults } from '../checks/results.js';
import { checkCoverage } from '../checks/summary.js';
import { DashboardRequestError, explorerRange, findMetric } from '../dashboards/index.js';
import { BadRequest, type Masker } from './api.js';
import { coversMetric } from '../checks/check.js';
import { checkParameters, configuredChecks } from './checks-config.js';
import type { CheckHistoryJson, CheckInfoJson, CheckJson, CheckResultJson, ChecksJson } from './client/view/checks-wire.js';
import type { UiDeps } from './contract.js';
import type { MetricsDb } from '../writers/metrics-db.js';
import { explorerContext, onlyParameters } from './explorer-api.js';

export const FAILING_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;

export function resultJson(r: CheckResult): CheckResultJson {
  return {
    bucketStart: r.bucketStart.getTime(), date: r.date, hour: r.hour, status: r.status, value: r.value,
    expectedLow: r.expectedLow, expectedHigh: r.expectedHigh, score: r.score, reason: r.reason, evaluatedAt: r.evaluatedAt.getTime(),
  };
}

export function checkInfo(check: Check): CheckInfoJson {
  return { name: check.name, type: check.type, metric: check.metric, grain: check.grain, severity: check.severity, parameters: checkParameters(check) };
}

/** GET /api/checks's answer at `now`. */
export async function checksJson(deps: UiDeps, now = Date.now()): Promise<ChecksJson> {
  const checks = configuredChecks(deps);
  const since = now - FAILING_WINDOW_DAYS * DAY_MS;
  if (checks.length === 0) return { checks: [], windowDays: FAILING_WINDOW_DAYS, since };
  const db = await deps.runtime.metricsDb();
  const [covered, latest] = await Promise.all([checkCoverage(db, checks, since), latestResults(db, checks)]);
  const latestOf = new Map(latest.map((r) => [`${r.check}\u0000${r.metric}`, r]));
  return {
    checks: checks.map((check): CheckJson => ({
      ...checkInfo(check),
      metrics: covered
        .filter((c) => c.check === check.name)
        .map((c) => {
          const last = latestOf.get(`${c.check}\u0000${c.metric}`);
          return { metric: c.metric, latest: last === undefined ? null : resultJson(last), failing: c.failing, lastFailure: c.lastFailure === null ? null : resultJson(c.lastFailure) };
        }),
    })),
    windowDays: FAILING_WINDOW_DAYS,
    since,
  };
}

export class CheckNotFound extends Error {}

/** One check, one metric it covers and the URL's range (default the last 7 days); CheckNotFound, BadRequest. */
export async function checkTarget(deps: UiDeps, checkName: string, metric: string, from: string | undefined, to: string | undefined): Promise<{ readonly view: Omit<CheckHistoryJson, 'results'>; readonly db: MetricsDb }> {
  const ctx = await explorerContext(deps);
  let range;
  try {
    range = explorerRange(from, to, ctx);
  } catch (error) {
    throw error instanceof DashboardRequestError ? new BadRequest(`from, to: ${error.message}`) : error;
  }
  const check = configuredChecks(deps).find((c) => c.name === checkName);
  if (check === undefined) throw new CheckNotFound(`no check is named '${checkName}'`);
  if (!coversMetric(check.metric, metric) || (await findMetric(ctx.db, metric)) === undefined) {
    throw new CheckNotFound(`check '${checkName}' covers no metric named '${metric}' (its metric: ${check.metric})`);
  }
  return { view: { check: checkInfo(check), metric, range, timeZone: ctx.timeZone }, db: ctx.db };
}

/** GET /api/checks/:check/:metric's answer: the judged buckets of the range, oldest first. */
export async function checkHistory(deps: UiDeps, checkName: string, metric: string, from: string | undefined, to: string | undefined): Promise<CheckHistoryJson> {
  const { view, db } = await checkTarget(deps, checkName, metric, from, to);
  const results = await bandHistory(db, view.check.name, metric, view.range.fromMs, view.range.toMs);
  return { ...view, results: results.map(resultJson) };
}

export function registerChecksApi(app: Hono, deps: UiDeps, mask: Masker): void {
  app.get('/api/checks', async (c) => {
    onlyParameters(c.req.queries(), []);
    return c.json(mask(await checksJson(deps)));
  });
  app.get('/api/checks/:check/:metric', async (c) => {
    onlyParameters(c.req.queries(), ['from', 'to']);
    try {
      return c.json(mask(await checkHistory(deps, c.req.param('check'), c.req.param('metric'), c.req.query('from'), c.req.query('to'))));
    } catch (error) {
      if (error instanceof CheckNotFound) return c.json(mask({ error: error.message }), 404);
      throw error;
    }
  });
}
