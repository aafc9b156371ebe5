// Partitions of a read job: local days of the configured time zone (23 or 25 hours on DST days). A day
// partition reads exactly that day's window and writes the day's hourly values and the day's daily value.
import { nextDate, startOfDay, toDateHour } from '../metrics/time.js';

export type PartitionGrain = 'day';

export interface Partition {
  readonly grain: PartitionGrain;
  /** 'YYYY-MM-DD' (the local date). */
  readonly key: string;
  /** [start, end) epoch ms: local midnight to the next local midnight. */
  readonly start: number;
  readonly end: number;
}

/** The local days from `from` to `to`, both inclusive (YYYY-MM-DD), as partitions. */
export function dayPartitions(from: string, to: string, timeZone: string): Partition[] {
  const out: Partition[] = [];
  for (let date = from; date <= to; date = nextDate(date)) {
    out.push({ grain: 'day', key: date, start: startOfDay(date, timeZone), end: startOfDay(nextDate(date), timeZone) });
  }
  return out;
}

/** The local date of instant `at`. */
export function localDate(at: number, timeZone: string): string {
  return toDateHour(at, timeZone).date;
}
