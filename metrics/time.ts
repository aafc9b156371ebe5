// Local dates and hours in an IANA time zone: the one place timestamps become (date, hour).
// Days in zones with DST have 23 or 25 hours; every function here is exact across those changes.

/** One hour in milliseconds: the length of every real hour (a local day has 23, 24 or 25 of them). */
export const HOUR_MS = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is a zone this runtime knows ('UTC', 'Europe/Paris', ...). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function localParts(epochMs: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The local date (YYYY-MM-DD) and hour (0-23) of an instant in `timeZone`. */
export function toDateHour(at: Date | number, timeZone: string): { date: string; hour: number } {
  const p = localParts(typeof at === 'number' ? at : at.getTime(), timeZone);
  return { date: `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`, hour: p.hour };
}

/** Offset of `timeZone` from UTC at an instant, in ms (Paris in winter: +3_600_000). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const p = localParts(epochMs, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The first instant at or after local wall time `date` `hour`:00 in `timeZone`.
 * A wall time skipped by a DST change resolves to the instant the clock jumps to.
 */
export function zonedTime(date: string, hour: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour);
  let guess = wall - zoneOffsetMs(wall, timeZone);
  guess = wall - zoneOffsetMs(guess, timeZone);
  const back = toDateHour(guess, timeZone);
  if (back.date === date && back.hour === hour) {
    // Ambiguous hours (the repeated hour of a fall-back day) resolve to the earlier instant.
    const earlier = guess - HOUR_MS;
    const e = toDateHour(earlier, timeZone);
    return e.date === date && e.hour === hour ? earlier : guess;
  }
  // Skipped wall time: the instant after the gap.
  return wall - zoneOffsetMs(guess + HOUR_MS, timeZone) < guess ? guess : wall - zoneOffsetMs(guess + HOUR_MS, timeZone);
}

/** Start of the local day `date` in `timeZone` (epoch ms). */
export function startOfDay(date: string, timeZone: string): number {
  return zonedTime(date, 0, timeZone);
}

/** The local date after `date` (calendar arithmetic, zone-free). */
export function nextDate(date: string, days = 1): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isValidDate(date: unknown): date is string {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}
