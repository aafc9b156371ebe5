// A dashboard's time range as Grafana reads it (@grafana/data dateMath.parse): `now`, `now-7d`, `now-6h`,
// `now/d`, `now-1d/d`, epoch milliseconds or an ISO date. Days, weeks, months and years are calendar units of
// the dashboard's time zone (so `now/d` is local midnight); hours, minutes and seconds are fixed lengths, as
// moment does. Rounding a `to` goes to the end of the unit (`now/d` as `to` is 23:59:59.999 local).
import { zoneOffsetMs } from '../metrics/time.js';
import { DashboardRequestError } from './errors.js';

export interface ResolvedRange {
  /** As asked (`now-7d`), and as resolved (epoch ms). */
  readonly from: string;
  readonly to: string;
  readonly fromMs: number;
  readonly toMs: number;
}

export interface RangeOptions {
  readonly timeZone: string;
  /** Epoch ms of "now" (default Date.now()). */
  readonly now?: number;
  /** The first day of a week for `/w` (Grafana's weekStart; default sunday, moment's 'en' locale). */
  readonly weekStart?: string;
}

const FIXED_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, H: 3_600_000 };
const CALENDAR = new Set(['d', 'w', 'M', 'y']);
const WEEK_START: Readonly<Record<string, number>> = { sunday: 0, monday: 1, saturday: 6 };

/** The wall time of `ms` in `zone`, as a UTC Date (so getUTC* read local fields). */
const toWall = (ms: number, zone: string): Date => new Date(ms + zoneOffsetMs(ms, zone));
/** The instant of a wall time (`wall` read as UTC fields) in `zone`. */
function fromWall(wall: Date, zone: string): number {
  const local = wall.getTime();
  const guess = local - zoneOffsetMs(local, zone);
  return local - zoneOffsetMs(guess, zone);
}

function addCalendar(ms: number, amount: number, unit: string, zone: string): number {
  const wall = toWall(ms, zone);
  if (unit === 'd') wall.setUTCDate(wall.getUTCDate() + amount);
  if (unit === 'w') wall.setUTCDate(wall.getUTCDate() + 7 * amount);
  if (unit === 'M') wall.setUTCMonth(wall.getUTCMonth() + amount);
  if (unit === 'y') wall.setUTCFullYear(wall.getUTCFullYear() + amount);
  return fromWall(wall, zone);
}

function startOf(ms: number, unit: string, options: RangeOptions): number {
  if (unit in FIXED_MS || unit === 'm') {
    const size = FIXED_MS[unit]!;
    const offset = zoneOffsetMs(ms, options.timeZone);
    return Math.floor((ms + offset) / size) * size - offset;
  }
  const wall = toWall(ms, options.timeZone);
  wall.setUTCHours(0, 0, 0, 0);
  if (unit === 'w') {
    const first = WEEK_START[options.weekStart ?? ''] ?? 0;
    wall.setUTCDate(wall.getUTCDate() - ((wall.getUTCDay() - first + 7) % 7));
  }
  if (unit === 'M' || unit === 'y') wall.setUTCDate(1);
  if (unit === 'y') wall.setUTCMonth(0);
  return fromWall(wall, options.timeZone);
}

function roundTo(ms: number, unit: string, up: boolean, options: RangeOptions): number {
  const start = startOf(ms, unit, options);
  if (!up) return start;
  const next = unit in FIXED_MS ? start + FIXED_MS[unit]! : addCalendar(start, 1, unit, options.timeZone);
  return next - 1;
}

/** dateMath.parseDateMath: `-7d`, `+1h`, `/d`, chained (`-1d/d`). */
function applyMath(text: string, base: number, roundUp: boolean, options: RangeOptions): number {
  let ms = base;
  const steps = /([+-])(\d*)([smhHdwMy])|\/([smhHdwMy])/gy;
  let at = 0;
  for (let match = steps.exec(text); match !== null; match = steps.exec(text)) {
    at = steps.lastIndex;
    if (match[4] !== undefined) {
      ms = roundTo(ms, match[4], roundUp, options);
      continue;
    }
    const amount = (match[1] === '-' ? -1 : 1) * (match[2] === '' ? 1 : Number(match[2]));
    const unit = match[3]!;
    ms = CALENDAR.has(unit) ? addCalendar(ms, amount, unit, options.timeZone) : ms + amount * FIXED_MS[unit]!;
  }
  if (at !== text.length) throw new DashboardRequestError(`'now${text}' is not a time Grafana reads (now, now-7d, now-6h, now/d, now-1d/d)`);
  return ms;
}

/** One end of a range: `now...`, epoch milliseconds, or an ISO date (read in the zone when it has no offset). */
export function parseDateMath(text: string, roundUp: boolean, options: RangeOptions): number {
  const trimmed = text.trim();
  if (trimmed.startsWith('now')) return applyMath(trimmed.slice(3), options.now ?? Date.now(), roundUp, options);
  if (/^\d{1,15}$/.test(trimmed)) return Number(trimmed);
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/.exec(trimmed);
  if (iso !== null) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = iso;
    const wall = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0'))));
    return fromWall(wall, options.timeZone);
  }
  const parsed = Date.parse(trimmed);
  if (Number.isNaN(parsed)) throw new DashboardRequestError(`'${text}' is not a time Grafana reads (now-7d, epoch milliseconds or an ISO date)`);
  return parsed;
}

/** The range `from`..`to` (to rounded up); from must be before to. */
export function parseTimeRange(from: string, to: string, options: RangeOptions): ResolvedRange {
  const once = { ...options, now: options.now ?? Date.now() }; // one "now" for both ends
  const fromMs = parseDateMath(from, false, once);
  const toMs = parseDateMath(to, true, once);
  if (!(fromMs < toMs)) throw new DashboardRequestError(`the range from '${from}' to '${to}' is empty or reversed`);
  return { from, to, fromMs, toMs };
}
