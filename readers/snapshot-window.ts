// Snapshot readers (objects, spiders) see only the present: they stamp the hour of `now`, and refuse past windows.
import { toDateHour } from '../metrics/time.js';
import type { ReadWindow } from '../metrics/window.js';
import { ReaderError } from './reader-errors.js';

/** What a snapshot reader does when asked for a past (backfill) window. */
export type PastWindowPolicy = 'skip' | 'fail';

/** Options every snapshot reader takes about windows. */
export interface SnapshotOptions {
  readonly window: ReadWindow;
  /** A backfill window: 'skip' (default) produces no rows and warns; 'fail' throws a ReaderError. */
  readonly pastWindow?: PastWindowPolicy;
  /** Receives the warning when a past window is skipped (default: process.emitWarning, type 'ReaderWarning'). */
  readonly onWarning?: (message: string) => void;
}

/** The message a snapshot reader gives for a past window. */
export function pastWindowMessage(reader: string, window: ReadWindow): string {
  const from = new Date(window.hours.from).toISOString();
  const to = new Date(window.hours.to).toISOString();
  return `reader '${reader}' reads current values only (a snapshot source has no history): nothing read for the past window ${from} .. ${to}`;
}

/**
 * The local hour a snapshot taken now belongs to (the hour containing `window.now` in `window.timeZone`),
 * or undefined for a backfill window, after warning (policy 'skip') or throwing a ReaderError ('fail').
 */
export function snapshotHour(reader: string, options: SnapshotOptions): { date: string; hour: number } | undefined {
  const { window } = options;
  if (window.isCurrent) return toDateHour(window.now, window.timeZone);
  const message = pastWindowMessage(reader, window);
  if (options.pastWindow === 'fail') throw new ReaderError(reader, message);
  if (options.onWarning !== undefined) options.onWarning(message);
  else process.emitWarning(message, 'ReaderWarning');
  return undefined;
}
