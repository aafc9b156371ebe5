// Test support for the events reader's tests: windows over whole local days in Europe/Paris, and the rows
// and row errors a read produced.
import type { JobRun } from '../../graph/run-status.js';
import type { MetricRow } from '../../metrics/row.js';
import { nextDate, startOfDay } from '../../metrics/time.js';
import { backfillWindow, type ReadWindow } from '../../metrics/window.js';

export const TZ = 'Europe/Paris';

/** A backfill window over whole local days [first, last]. */
export function days(first: string, last: string): ReadWindow {
  return backfillWindow(startOfDay(first, TZ), startOfDay(nextDate(last), TZ), TZ, Date.UTC(2027, 0, 1));
}

export const hourly = (rows: MetricRow[], date: string, hour: number) => rows.find((r) => r.dims.date === date && r.dims.hour === hour)?.metrics;
export const daily = (rows: MetricRow[], date: string) => rows.find((r) => r.dims.date === date && r.dims.hour === undefined)?.metrics;

/** The row errors of the reader node of a readRows run: how many, and the messages. */
export const rowErrors = (run: JobRun) => {
  const node = run.nodes.find((n) => n.name === 'reader')!;
  return { err: node.err, errors: node.errors.map((e) => e.error) };
};
