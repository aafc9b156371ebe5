// Event times: ISO 8601 instants (with a zone) or epoch milliseconds, and the clock-skew correction Segment applies.

/** YYYY-MM-DDTHH:MM[:SS[.fraction]] then Z or ±HH[:]MM. A time without a zone is refused: its instant is unknown. */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|([+-])(\d{2}):?(\d{2}))$/;

/** The earliest instant accepted (1970-01-01): product events before it are mistakes. */
export const EARLIEST_MS = 0;
/** 9999-12-31T23:59:59.999Z: four-digit years only. */
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

const digit = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
};

/** The fast path: exactly what toISOString and the tracker write, `YYYY-MM-DDTHH:MM:SS.sssZ`; NaN otherwise. */
function canonical(s: string): number {
  if (s.length !== 24 || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':' || s[19] !== '.' || s[23] !== 'Z') return Number.NaN;
  const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const month = digit(s, 5) * 10 + digit(s, 6);
  const day = digit(s, 8) * 10 + digit(s, 9);
  const hour = digit(s, 11) * 10 + digit(s, 12);
  const minute = digit(s, 14) * 10 + digit(s, 15);
  const second = digit(s, 17) * 10 + digit(s, 18);
  const ms = digit(s, 20) * 100 + digit(s, 21) * 10 + digit(s, 22);
  // NaN (a non-digit) fails every comparison below.
  if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0)) return Number.NaN;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 ? (leap ? 29 : 28) : DAYS[month - 1]!)) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether `s` is exactly what toISOString writes for the instant parseInstant reads from it (a valid
 * `YYYY-MM-DDTHH:MM:SS.sssZ` of a year from 1000: Date.UTC reads years 0-99 as 1900-1999).
 */
export const isCanonicalInstant = (s: string): boolean => s.charCodeAt(0) !== 0x30 && !Number.isNaN(canonical(s));

/** Milliseconds since the epoch of an ISO 8601 instant or a number of milliseconds; undefined if it is neither. */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= EARLIEST_MS && value <= LATEST_MS ? Math.trunc(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const fast = canonical(value);
  if (!Number.isNaN(fast)) return fast >= EARLIEST_MS ? fast : undefined;
  const m = ISO_INSTANT.exec(value.trim());
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  let offset = 0;
  if (m[9] !== undefined) {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (oh > 23 || om > 59) return undefined;
    offset = (m[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset;
  return t >= EARLIEST_MS && t <= LATEST_MS ? t : undefined;
}

/**
 * The client's clock error as Segment corrects it: an event's time becomes receivedAt - (sentAt - time), i.e.
 * time + (receivedAt - sentAt). 0 without sentAt.
 */
export function clockSkew(receivedAt: number, sentAt: number | undefined): number {
  return sentAt === undefined ? 0 : receivedAt - sentAt;
}

/** '2h5m' (or '3d4h' from a day on) style text of a positive number of milliseconds, for reasons. */
export function roughDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h >= 24) return h % 24 === 0 ? `${h / 24}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
}
