// Parses --from/--to: a local date (YYYY-MM-DD), a local date-time (YYYY-MM-DDTHH[:mm]), or an instant with a zone.
import { UsageError } from '../graph/index.js';
import { isValidDate, zonedTime } from '../metrics/time.js';

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
