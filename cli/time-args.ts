// Parses --from/--to: a local date (YYYY-MM-DD), a local date-time (YYYY-MM-DDTHH[:mm]), or an instant with a zone.
import { UsageError } from '../graph/errors.js';
import { isValidDate, toDateHour, zonedTime } from '../metrics/time.js';
import { startOfHour } from '../metrics/window.js';

const LOCAL = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2})(?::(\d{2}))?)?$/;

/** Epoch ms of `text`, read in `timeZone` unless it carries its own offset (`Z`, `+02:00`). */
export function parseTimeArg(option: string, text: string, timeZone: string): number {
  const local = LOCAL.exec(text.trim());
  if (local) {
    const [, date, hour, minute] = local;
    if (!isValidDate(date)) throw new UsageError(`${option}: '${text}' is not a real date (YYYY-MM-DD)`);
    const h = hour === undefined ? 0 : Number(hour);
    const m = minute === undefined ? 0 : Number(minute);
    if (h > 23 || m > 59) throw new UsageError(`${option}: '${text}' has an invalid time`);
    return zonedTime(date!, h, timeZone) + m * 60_000;
  }
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(text.trim())) {
    const at = Date.parse(text);
    if (Number.isFinite(at)) return at;
  }
  throw new UsageError(`${option}: '${text}' is not a date (YYYY-MM-DD), a local date-time (YYYY-MM-DDTHH:mm) or an ISO instant with a zone`);
}

/** A read window from --from/--to, clipped to now; `note` says when and how it was clipped. */
export interface WindowArgs {
  readonly from: number;
  readonly to: number;
  readonly note?: string;
}

const localText = (at: number, timeZone: string): string => {
  const { date, hour } = toDateHour(at, timeZone);
  const minute = String(Math.floor((at - startOfHour(at, timeZone)) / 60_000)).padStart(2, '0');
  return `${date} ${String(hour).padStart(2, '0')}:${minute} ${timeZone}`;
};

/**
 * Reads --from and --to (default now): usage errors when --to is not after --from or --from is in the
 * future; a --to after now is clipped to now (hours and days that have not happened are never written).
 */
export function parseWindowArgs(options: { readonly from: string; readonly to?: string | undefined }, timeZone: string, now: number): WindowArgs {
  const from = parseTimeArg('--from', options.from, timeZone);
  const to = options.to === undefined ? now : parseTimeArg('--to', options.to, timeZone);
  if (options.to !== undefined && !(to > from)) throw new UsageError(`--from ${options.from} must be before --to ${options.to} (the window is [from, to))`);
  if (from >= now) throw new UsageError(`--from ${options.from} is in the future (now is ${localText(now, timeZone)}): nothing to read yet`);
  if (to > now) return { from, to: now, note: `--to ${options.to} is after now: the window ends now (${localText(now, timeZone)}); hours and days to come are not written` };
  return { from, to };
}
