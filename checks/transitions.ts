// Transitions of a (check, metric) between failing and not failing, and the port alerts are told through.
// The state of a (check, metric) is the status of its latest judged bucket: re-judging an old bucket (a
// backfill) changes it only when that bucket is the latest; a second judgement of the same bucket that gives
// the same status is no transition. 'warn' counts as not failing.
import type { CheckResult } from './check.js';

export interface CheckTransition {
  readonly kind: 'failed' | 'recovered';
  /** The latest result after the evaluation: the bucket, value, band and reason the alert tells. */
  readonly result: CheckResult;
}

/** Told of transitions after an evaluation; rejects when an alert could not be sent (the caller logs it). */
export interface CheckAlertSink {
  notify(transitions: readonly CheckTransition[]): Promise<void>;
}

const key = (r: Pick<CheckResult, 'check' | 'metricId'>): string => `${r.check}\u0000${r.metricId}`;

/** The transitions between two readings of the latest results (a pair never judged before counts as passing). */
export function transitionsBetween(before: readonly CheckResult[], after: readonly CheckResult[]): CheckTransition[] {
  const was = new Map(before.map((r) => [key(r), r.status === 'fail']));
  const found: CheckTransition[] = [];
  for (const result of after) {
    const failing = result.status === 'fail';
    if (failing !== (was.get(key(result)) ?? false)) found.push({ kind: failing ? 'failed' : 'recovered', result });
  }
  return found;
}
