// What the job page needs of a partitioned job: its calendar for the range asked for (or, when that range is
// bad, the default one and why), and today in its time zone. undefined for a job without partitions.
import { UsageError } from '../graph/errors.js';
import { isValidDate, toDateHour } from '../metrics/time.js';
import { isPartitionedJob, partitionCalendar } from '../runtime/partitions.js';
import type { EtlRuntime } from '../runtime/runtime.js';
import type { CalendarView } from './pages/partition-calendar.js';

export interface CalendarRange {
  readonly from?: string;
  readonly to?: string;
}

/** At most this many days in one calendar (a page of 25 cells a day stays small). */
export const MAX_CALENDAR_DAYS = 93;

/** The query's from/to, empty ones dropped; a UsageError for a range longer than MAX_CALENDAR_DAYS. */
export function calendarRange(query: { readonly from?: string | undefined; readonly to?: string | undefined }, timeZone: string, now = Date.now()): CalendarRange {
  const range = { ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) };
  const to = range.to ?? toDateHour(now, timeZone).date;
  if (range.from !== undefined && isValidDate(range.from) && isValidDate(to)) {
    const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / 86_400_000) + 1;
    if (days > MAX_CALENDAR_DAYS) throw new UsageError(`from: ${range.from} to ${to} is ${days} days: a calendar shows at most ${MAX_CALENDAR_DAYS}`);
  }
  return range;
}

/** The calendar of `job` for the page's query; undefined for a job without partitions. */
export async function calendarView(runtime: EtlRuntime, job: string, query: { readonly from?: string | undefined; readonly to?: string | undefined }, now = Date.now()): Promise<CalendarView | undefined> {
  if (!(await isPartitionedJob(runtime, job))) return undefined;
  let error: string | undefined;
  let calendar;
  try {
    calendar = await partitionCalendar(runtime, job, calendarRange(query, runtime.config.timeZone, now), now);
  } catch (thrown) {
    if (!(thrown instanceof UsageError) || (!query.from && !query.to)) throw thrown;
    error = thrown.message;
    calendar = await partitionCalendar(runtime, job, {}, now);
  }
  return { calendar, today: toDateHour(now, calendar.timeZone).date, ...(error === undefined ? {} : { error }) };
}
