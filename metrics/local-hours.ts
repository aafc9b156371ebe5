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
  return [...eachLocalHour(range, timeZone)];
}

/** The hours of localHours one at a time, for ranges too long to hold (ten years are 87,600 hours). */
export function* eachLocalHour(range: { readonly from: number; readonly to: number }, timeZone: string): Generator<LocalHour> {
  for (let start = range.from; start < range.to; start += HOUR_MS) {
    const { date, hour } = toDateHour(start, timeZone);
    yield { start, date, hour };
  }
}

/**
 * The local (date, hour) pairs of [from, to), in order of their first hour, each once: a fall-back day's repeated
 * hour is one pair (also when a zone turns its clock back by two hours, so that two pairs repeat).
 */
export function distinctLocalHours(range: { readonly from: number; readonly to: number }, timeZone: string): Array<{ date: string; hour: number }> {
  return [...eachDistinctLocalHour(range, timeZone)];
}

/** How far back a repeated (date, hour) is looked for: more than any clock turned back (a day, in 1867 Alaska). */
const REPEAT_SPAN_MS = 48 * HOUR_MS;

/**
 * The pairs of distinctLocalHours one at a time, remembering only the pairs of the last REPEAT_SPAN_MS: memory
 * does not grow with the range.
 */
export function* eachDistinctLocalHour(range: { readonly from: number; readonly to: number }, timeZone: string): Generator<{ date: string; hour: number }> {
  const seen = new Map<string, number>(); // key -> start of its first hour, oldest first
  for (const { start, date, hour } of eachLocalHour(range, timeZone)) {
    for (const [key, first] of seen) {
      if (first > start - REPEAT_SPAN_MS) break;
      seen.delete(key);
    }
    const key = `${date}T${hour}`;
    if (seen.has(key)) continue;
    seen.set(key, start);
    yield { date, hour };
  }
}
