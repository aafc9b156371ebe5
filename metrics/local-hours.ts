// Walking the local hours of a range of instants: the one loop from instants to (date, hour), DST days included.
import { HOUR_MS, toDateHour } from './time.js';

/** A real hour: instants [start, start + HOUR_MS), and the local date and hour it falls on. */
export interface LocalHour {
  readonly start: number;
  readonly date: string;
  readonly hour: number;
}

/**
 * Every real hour starting in [from, to), `from` being a local hour start (a read window's `hours`), in order.
 * One per hour start: the repeated local hour of a fall-back day (02:00 twice in Paris) comes twice, with two
 * starts; the hour a spring-forward day skips never comes.
 */
export function localHours(range: { readonly from: number; readonly to: number }, timeZone: string): LocalHour[] {
  const out: LocalHour[] = [];
  for (let start = range.from; start < range.to; start += HOUR_MS) {
    const { date, hour } = toDateHour(start, timeZone);
    out.push({ start, date, hour });
  }
  return out;
}

/**
 * The local (date, hour) pairs of [from, to), in order of their first hour, each once: a fall-back day's repeated
 * hour is one pair (also when a zone turns its clock back by two hours, so that two pairs repeat).
 */
export function distinctLocalHours(range: { readonly from: number; readonly to: number }, timeZone: string): Array<{ date: string; hour: number }> {
  const out: Array<{ date: string; hour: number }> = [];
  const seen = new Set<string>();
  for (const { date, hour } of localHours(range, timeZone)) {
    const key = `${date}T${hour}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ date, hour });
  }
  return out;
}
