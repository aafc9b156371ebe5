// The time window a read covers: which local hours get hourly values and which local dates get daily ones.
import { HOUR_MS, nextDate, startOfDay, toDateHour, zonedTime } from './time.js';

export interface ReadWindow {
  readonly timeZone: string;
  /** Local hours to produce hourly values for: instants [from, to), aligned on local hour starts. */
  readonly hours: { readonly from: number; readonly to: number };
  /** Local dates to produce daily values for, both ends inclusive (YYYY-MM-DD). */
  readonly days: { readonly from: string; readonly to: string };
  /** The instant "now" for this read (snapshot sources read this instant only). */
  readonly now: number;
  /** True when the window is the default one (current hour, today so far), false for a backfill. */
  readonly isCurrent: boolean;
  /** An hour partition: only hourly values are written (the day's value needs the whole day). */
  readonly hourlyOnly?: boolean;
}

/** Start (epoch ms) of the local hour containing `at`. */
export function startOfHour(at: number, timeZone: string): number {
  const { date, hour } = toDateHour(at, timeZone);
  const start = zonedTime(date, hour, timeZone);
  // Inside the repeated hour of a fall-back day, zonedTime gives the first occurrence: step to the second.
  return start + Math.floor((at - start) / HOUR_MS) * HOUR_MS;
}

/** The default window: the current local hour and the current local day so far. */
export function currentWindow(now: number, timeZone: string): ReadWindow {
  const hour = startOfHour(now, timeZone);
  const today = toDateHour(now, timeZone).date;
  return { timeZone, hours: { from: hour, to: hour + HOUR_MS }, days: { from: today, to: today }, now, isCurrent: true };
}

/**
 * A backfill window over [from, to): every local hour starting inside it, and every local date
 * from the date of `from` to the date of the last instant before `to`.
 */
export function backfillWindow(from: number, to: number, timeZone: string, now: number): ReadWindow {
  if (!(to > from)) throw new RangeError(`window: 'to' (${new Date(to).toISOString()}) must be after 'from' (${new Date(from).toISOString()})`);
  const first = startOfHour(from, timeZone);
  const hoursFrom = first < from ? first + HOUR_MS : first;
  const lastHour = startOfHour(to - 1, timeZone);
  return {
    timeZone,
    hours: { from: hoursFrom, to: Math.max(hoursFrom, lastHour + HOUR_MS) },
    days: { from: toDateHour(from, timeZone).date, to: toDateHour(to - 1, timeZone).date },
    now,
    isCurrent: false,
  };
}

/** Every local date of the window's days, in order. */
export function windowDates(window: ReadWindow): string[] {
  const dates: string[] = [];
  for (let d = window.days.from; d <= window.days.to; d = nextDate(d)) dates.push(d);
  return dates;
}

/** Instants [from, to) covering the window's days (local midnights). */
export function windowDaysRange(window: ReadWindow): { from: number; to: number } {
  return { from: startOfDay(window.days.from, window.timeZone), to: startOfDay(nextDate(window.days.to), window.timeZone) };
}
