// The events reader's duration checks: non-finite source durations and non-finite aggregates as row errors.
import type { NodeContext } from '../graph/node.js';
import type { AggregateRow } from './events-sql.js';
import { ReaderError } from './reader-errors.js';

const READER = 'events';

const bucketOf = (row: Pick<AggregateRow, 'date' | 'hour'>): string => (row.hour === undefined || row.hour === null ? row.date : `${row.date} hour ${row.hour}`);
/** The event of a row: its raw name, or the metric name part of merged ones. */
const eventOf = (row: AggregateRow): string => `event '${row.event}'`;

/**
 * Reports every source duration that is NaN, Infinity or -Infinity as one row error (so `err` counts them),
 * naming the event and the bucket; the statement already left them out of the timings, so the event's other
 * values (count, users, and the timings of its finite durations) are written. Keys without a metric name
 * part (`names` gives '' or nothing) are left out: their blank name is the error.
 */
export function reportNonFiniteDurations(rows: readonly AggregateRow[], names: ReadonlyMap<string, string>, ctx: NodeContext): void {
  for (const row of rows) {
    const part = names.get(row.event);
    if (part === undefined || part === '') continue;
    const kinds: Array<[string, number | string]> = [['NaN', row.nan_durations], ['Infinity', row.inf_durations], ['-Infinity', row.neg_inf_durations]];
    for (const [kind, count] of kinds) {
      const message = `reader '${READER}': ${eventOf(row)} on ${bucketOf(row)}: duration: not a finite number (${kind}); left out of events.${part}.duration_*`;
      const at = { date: row.date, ...(row.hour === undefined || row.hour === null ? {} : { hour: row.hour }), event: row.event, duration: kind };
      for (let i = 0; i < Number(count); i++) ctx.reportError(new ReaderError(READER, message), at);
    }
  }
}

/** How a value that is not a finite double reads in an error: NaN, Infinity, or a decimal too large, shortened. */
function describeNonFinite(value: number | string | null): string {
  const text = String(value);
  const decimal = /^(-?)(\d+)(?:\.\d*)?$/.exec(text);
  if (decimal === null) return text.length > 40 ? `${text.slice(0, 40)}…` : text;
  const sign = decimal[1] ?? '';
  const whole = decimal[2] ?? '';
  const mantissa = `${whole.slice(0, 1)}.${whole.slice(1, 6)}`.replace(/\.?0*$/, '');
  return `${sign}${mantissa}e+${whole.length - 1} (beyond the range of a double)`;
}

/**
 * Sets one duration metric when its value is a finite double; otherwise (a mean or percentile of numeric
 * durations beyond the range of a double) reports a row error naming the event, the metric and the bucket,
 * and leaves the metric out.
 */
export function setDuration(metrics: Record<string, number>, key: string, value: number | string | null | undefined, row: AggregateRow, ctx: NodeContext): void {
  const number = value === null || value === undefined ? Number.NaN : Number(value);
  if (Number.isFinite(number)) {
    metrics[key] = number;
    return;
  }
  const reason = `not a finite number: ${describeNonFinite(value ?? null)}`;
  ctx.reportError(new ReaderError(READER, `reader '${READER}': metric '${key}' of ${eventOf(row)} on ${bucketOf(row)}: ${reason}; skipped`), row);
}
