// The JSON of the checks API (web/checks-api.ts) as the browser reads it. Read-only: the UI never writes a
// check result (the evaluation does, checks/evaluate.ts).
//
//   GET /api/checks                          -> ChecksJson (every configured check and each metric it covers)
//   GET /api/checks/:check/:metric?from=&to= -> CheckHistoryJson (the judged buckets of the range, oldest first;
//        400 { error } naming a bad parameter, 404 { error } for an unknown check or a metric it does not cover)

export type CheckStatusJson = 'pass' | 'warn' | 'fail';

/** One judged bucket (check_result). Instants as epoch ms. */
export interface CheckResultJson {
  readonly bucketStart: number;
  /** The bucket's local date and hour (0-23; 24 for a daily bucket). */
  readonly date: string;
  readonly hour: number;
  readonly status: CheckStatusJson;
  readonly value: number | null;
  readonly expectedLow: number | null;
  readonly expectedHigh: number | null;
  readonly score: number | null;
  readonly reason: string;
  readonly evaluatedAt: number;
}

/** A configured check without its metrics. */
export interface CheckInfoJson {
  readonly name: string;
  readonly type: string;
  /** The metric name or pattern (`*` any text). */
  readonly metric: string;
  readonly grain: 'hourly' | 'daily';
  readonly severity: 'fail' | 'warn';
  /** The check's own parameters as configured once parsed (threshold, historyDays, maxAgeMs...). */
  readonly parameters: Readonly<Record<string, string | number>>;
}

export interface CheckedMetricJson {
  readonly metric: string;
  /** The latest judged bucket; null: never judged. */
  readonly latest: CheckResultJson | null;
  /** Buckets that did not pass (warn or fail) in the window (ChecksJson.windowDays). */
  readonly failing: number;
  readonly lastFailure: CheckResultJson | null;
}

export interface CheckJson extends CheckInfoJson {
  readonly metrics: readonly CheckedMetricJson[];
}

export interface ChecksJson {
  readonly checks: readonly CheckJson[];
  /** The failing counts' window: the last `windowDays` days, from `since` (epoch ms). */
  readonly windowDays: number;
  readonly since: number;
}

export interface CheckHistoryJson {
  readonly check: CheckInfoJson;
  readonly metric: string;
  readonly range: { readonly from: string; readonly to: string; readonly fromMs: number; readonly toMs: number };
  readonly timeZone: string;
  readonly results: readonly CheckResultJson[];
}

/** The page of one check on one metric. */
export function checkPath(check: string, metric: string): string {
  return `/checks/${encodeURIComponent(check)}/${encodeURIComponent(metric)}`;
}
