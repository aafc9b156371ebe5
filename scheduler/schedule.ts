// When a scheduled job fires: cron in the configuration's time zone, computed with cron-parser, the parser
// BullMQ's job schedulers use, so the embedded scheduler and the queue fire at the same instants.
//
// DST rule (checked in schedule.test.ts, Europe/Paris): a local time that does not exist on the
// spring-forward day (02:30 on 2026-03-29) fires once, an hour later by the clock (03:30, the instant
// 02:30 would have been without the change); a local time that happens twice on the fall-back day (02:30
// on 2026-10-25) fires once, at its first occurrence. Interval schedules (`*/15 * * * *`, `0 * * * *`)
// fire on every real instant that matches: the repeated hour's slots fire twice (once per real hour).
// Missed firings (nothing ran at that instant) are never run later; backfill re-reads past windows.
import { CronExpressionParser } from 'cron-parser';

export interface JobSchedule {
  readonly job: string;
  /** Five-field cron (or six with seconds, or @hourly, ...). */
  readonly cron: string;
  readonly timeZone: string;
  /** Attempts after a failed one. */
  readonly retries: number;
  /** Delay before the first retry, doubled for each next one (ms). */
  readonly retryDelayMs: number;
  /** A run taking longer fails ("timed out after ..."), ms. */
  readonly timeoutMs?: number;
  /** Run the firings missed while no scheduler ran, at most this far back (ms); unset: no catchup. */
  readonly catchupMs?: number;
}

/** The first firing strictly after `after` (epoch ms). */
export function nextFiring(schedule: Pick<JobSchedule, 'cron' | 'timeZone'>, after: number): number {
  return CronExpressionParser.parse(schedule.cron, { currentDate: new Date(after), tz: schedule.timeZone }).next().getTime();
}

/** The next `count` firings after `after`. */
export function nextFirings(schedule: Pick<JobSchedule, 'cron' | 'timeZone'>, after: number, count: number): number[] {
  const parsed = CronExpressionParser.parse(schedule.cron, { currentDate: new Date(after), tz: schedule.timeZone });
  return Array.from({ length: count }, () => parsed.next().getTime());
}

/** Delay before retry number `retry` (1 = the first retry): retryDelay, doubled each time. */
export function retryDelay(schedule: Pick<JobSchedule, 'retryDelayMs'>, retry: number): number {
  return schedule.retryDelayMs * 2 ** Math.max(0, retry - 1);
}
