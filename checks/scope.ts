// Which buckets an evaluation judges (a scope: local hours as instants, local dates), as the SQL parameters
// of its bounds, and the local hours that hold two real hours (the repeated hour of a fall-back day).
import { bucketNumber } from '../metrics/buckets.js';
import { HOUR_MS, nextDate, startOfDay, toDateHour, zoneOffsetMs } from '../metrics/time.js';

/** Buckets to judge: hourly ones starting in [hours.from, hours.to) (instants), daily ones of days.from..days.to. */
export interface CheckScope {
  readonly hours?: { readonly from: number; readonly to: number } | undefined;
  readonly days?: { readonly from: string; readonly to: string } | undefined;
}

/** The local wall-time bounds of a scope's hours, inclusive ('YYYY-MM-DD HH:00'), with the dates they span. */
export interface LocalHours {
  readonly firstDate: string;
  readonly lastDate: string;
  readonly first: string;
  readonly last: string;
}

const wall = (at: { date: string; hour: number }): string => `${at.date} ${String(at.hour).padStart(2, '0')}:00`;

/** The local hours of `scope`, or undefined when it has none. */
export function localHours(scope: CheckScope, timeZone: string): LocalHours | undefined {
  if (scope.hours === undefined || !(scope.hours.to > scope.hours.from)) return undefined;
  const first = toDateHour(scope.hours.from, timeZone);
  const last = toDateHour(scope.hours.to - 1, timeZone);
  return { firstDate: first.date, lastDate: last.date, first: wall(first), last: wall(last) };
}

/** Every local date from `from` to `to` as a scope: their hours and the days themselves. */
export function datesScope(from: string, to: string, timeZone: string): CheckScope {
  return { hours: { from: startOfDay(from, timeZone), to: startOfDay(nextDate(to), timeZone) }, days: { from, to } };
}

/**
 * Bucket numbers (metrics/buckets.ts) of the local hours holding two real hours between `fromDate` and
 * `toDate`: on a fall-back day one wall-clock hour happens twice and its hourly value sums both, so checks
 * judge it per real hour. Found from the offset at each local midnight: only days whose offset drops are scanned.
 */
export function doubledHours(fromDate: string, toDate: string, timeZone: string): number[] {
  const found: number[] = [];
  for (let date = fromDate; date <= toDate; date = nextDate(date)) {
    const start = startOfDay(date, timeZone);
    const end = startOfDay(nextDate(date), timeZone);
    if (!(zoneOffsetMs(end, timeZone) < zoneOffsetMs(start, timeZone))) continue;
    for (let at = start; at < end; at += HOUR_MS) {
      const here = toDateHour(at, timeZone);
      const next = toDateHour(at + HOUR_MS, timeZone);
      if (here.date === next.date && here.hour === next.hour) found.push(bucketNumber(here)!);
    }
  }
  return found;
}
