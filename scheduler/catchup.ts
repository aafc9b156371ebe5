// Catchup: when a scheduler starts, the firings of a schedule missed since the job's last successful scheduled
// run (at most `catchupMs` back, oldest first) become the day partitions their windows cover, backfilled
// (a day partition rewrites the day's hours and the day, so a missed hour and its day's total both come
// right). Older missed firings are not run: the plan says how far back `etl backfill` would have to go.
import { CronExpressionParser } from 'cron-parser';
import { nextDate, toDateHour } from '../metrics/time.js';
import type { RunStore } from '../runs/run-store.js';
import { nextFiring, type JobSchedule } from './schedule.js';

export interface CatchupPlan {
  readonly job: string;
  /** The scheduled instant of the last successful scheduled run. */
  readonly since: number;
  /** Missed firings within the bound (counted up to 10,000), and the first and last of them. */
  readonly missed: number;
  readonly first: number;
  readonly last: number;
  /** Local dates (YYYY-MM-DD) of the day partitions to backfill, oldest first. */
  readonly days: readonly string[];
  /** Firings missed before the bound: not run. */
  readonly dropped: boolean;
}

const COUNT_LIMIT = 10_000;

/** The last firing at or before `at`. */
function previousFiring(schedule: Pick<JobSchedule, 'cron' | 'timeZone'>, at: number): number {
  return CronExpressionParser.parse(schedule.cron, { currentDate: new Date(at + 1), tz: schedule.timeZone }).prev().getTime();
}

/** What catchup would run for `schedule` at `now`, given its last successful scheduled firing; undefined: nothing missed. */
export function catchupPlan(schedule: JobSchedule, since: number, now: number): CatchupPlan | undefined {
  if (schedule.catchupMs === undefined) return undefined;
  const bound = now - schedule.catchupMs;
  const first = nextFiring(schedule, Math.max(since, bound));
  if (first > now) return undefined;
  const last = previousFiring(schedule, now);
  let missed = 0;
  for (let at = first; at <= now && missed < COUNT_LIMIT; at = nextFiring(schedule, at)) missed += 1;
  const days: string[] = [];
  for (let d = toDateHour(first, schedule.timeZone).date, end = toDateHour(last, schedule.timeZone).date; d <= end; d = nextDate(d)) days.push(d);
  return { job: schedule.job, since, missed, first, last, days, dropped: since < bound && nextFiring(schedule, since) <= bound };
}

/** The scheduled instant of the job's last successful scheduled run (a retry counts), if any. */
export async function lastScheduledSuccess(store: RunStore, job: string): Promise<number | undefined> {
  const found = [
    ...(await store.list({ job, status: 'succeeded', trigger: 'schedule', limit: 1 })),
    ...(await store.list({ job, status: 'succeeded', trigger: 'retry', limit: 1 })),
  ].map((r) => r.scheduledFor ?? r.startedAt ?? 0);
  return found.length === 0 ? undefined : Math.max(...found);
}
