// Test-side truth about local days: how many hours a day of a time zone has (23, 24 or 25).
import { HOUR_MS, nextDate, startOfDay } from '../../metrics/time.js';

/** Number of hours in the local day `date` (23, 24 or 25). */
export function hoursInDay(date: string, timeZone: string): number {
  return Math.round((startOfDay(nextDate(date), timeZone) - startOfDay(date, timeZone)) / HOUR_MS);
}
