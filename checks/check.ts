// checks/: checks on metric values (anomaly, freshness, range, change, missing), judged by set-based SQL
// where the values are, their results stored per check, metric and bucket (check_result), and the alerts of
// their transitions. This file: what a check is once configured (plain data, durations in ms), and a result.

export type CheckType = 'anomaly' | 'freshness' | 'range' | 'change' | 'missing';
export const CHECK_TYPES: readonly CheckType[] = ['anomaly', 'freshness', 'range', 'change', 'missing'];
export type Grain = 'hourly' | 'daily';
export type CheckStatus = 'pass' | 'warn' | 'fail';
/** Past buckets alike to the one judged: same local hour of the week, of the day, same weekday, or every day. */
export type Seasonality = 'hour-of-week' | 'hour-of-day' | 'day-of-week' | 'none';

interface CheckBase {
  /** Unique among the checks: results, alerts and /metrics name the check by it. */
  readonly name: string;
  /** A metric name, or a pattern where `*` stands for any text. */
  readonly metric: string;
  readonly grain: Grain;
  /** What a failing judgement is recorded as. */
  readonly severity: 'fail' | 'warn';
}

export interface AnomalyCheck extends CheckBase {
  readonly type: 'anomaly';
  readonly historyDays: number;
  readonly seasonality?: Seasonality | undefined;
  readonly threshold: number;
  readonly minHistory: number;
  readonly direction: 'up' | 'down' | 'both';
  /** A change smaller than this share of the expected value is never anomalous (0.1 = 10%). */
  readonly minChange: number;
}
export interface FreshnessCheck extends CheckBase {
  readonly type: 'freshness';
  readonly maxAgeMs: number;
}
export interface RangeCheck extends CheckBase {
  readonly type: 'range';
  readonly min?: number | undefined;
  readonly max?: number | undefined;
}
export interface ChangeCheck extends CheckBase {
  readonly type: 'change';
  /** Largest drop from the previous value allowed, as a share (0.2 = 20%). */
  readonly maxDrop?: number | undefined;
  readonly maxRise?: number | undefined;
}
export interface MissingCheck extends CheckBase {
  readonly type: 'missing';
  /** How long after its end a bucket may still be without a value. */
  readonly graceMs: number;
}

export type Check = AnomalyCheck | FreshnessCheck | RangeCheck | ChangeCheck | MissingCheck;

/**
 * One judged bucket, as stored in check_result: `hour` 0-23 for an hourly bucket, 24 for a daily one (as
 * metrics/buckets.ts numbers them); `bucketStart` the instant the bucket starts; the band is the expected
 * low/high (null when the check has none, or did not judge: too little history).
 */
export interface CheckResult {
  readonly check: string;
  readonly metricId: number;
  readonly metric: string;
  readonly date: string;
  readonly hour: number;
  readonly bucketStart: Date;
  readonly status: CheckStatus;
  readonly value: number | null;
  readonly expectedLow: number | null;
  readonly expectedHigh: number | null;
  readonly score: number | null;
  readonly reason: string;
  readonly evaluatedAt: Date;
}

/** Seasonality of an anomaly check, its default filled: hour-of-week for hourly values, day-of-week for daily ones. */
export function seasonalityOf(check: Pick<AnomalyCheck, 'seasonality' | 'grain'>): Seasonality {
  return check.seasonality ?? (check.grain === 'hourly' ? 'hour-of-week' : 'day-of-week');
}

/** The LIKE pattern of a metric pattern: `*` is any text, LIKE's own wildcards taken literally. */
export function likePattern(pattern: string): string {
  return pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
}

/** Does `metric` fit the check's pattern (`*` any text, every other character itself), as likePattern's LIKE does? */
export function coversMetric(pattern: string, metric: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&')).join('.*')}$`, 's');
  return re.test(metric);
}
