// The days a backfill or a partition calendar covers: --from/--to checked (real dates, in order, not in the
// future), `to` defaulting to today and `from` to a number of days before it, in the configured time zone.
import { UsageError } from '../graph/errors.js';
import { isValidDate, nextDate, toDateHour } from '../metrics/time.js';

export interface DateRange {
  readonly from: string;
  readonly to: string;
}

/** `names` labels the two bounds in messages (CLI options or API fields). */
export function backfillRange(
  timeZone: string,
  given: { readonly from?: string | undefined; readonly to?: string | undefined },
  defaultDays: number,
  now: number,
  names: { readonly from: string; readonly to: string } = { from: '--from', to: '--to' },
): DateRange {
  const today = toDateHour(now, timeZone).date;
  const check = (option: string, value: string): string => {
    if (!isValidDate(value)) throw new UsageError(`${option}: '${value}' is not a date (YYYY-MM-DD)`);
    return value;
  };
  const to = given.to === undefined || given.to === '' ? today : check(names.to, given.to);
  const from = given.from === undefined || given.from === '' ? nextDate(to, -defaultDays) : check(names.from, given.from);
  if (from > to) throw new UsageError(`${names.from} ${from} is after ${names.to} ${to}`);
  if (from > today) throw new UsageError(`${names.from} ${from} is in the future (today is ${today} in ${timeZone})`);
  return { from, to: to > today ? today : to };
}
