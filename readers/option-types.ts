// Zod types that readers' option schemas and the configuration share: durations (a number of ms, or
// '500ms', '30s', '10m', '1h30m', '2d'; parsed to ms) and the values messages show.
import { z } from 'zod';
import { formatDuration, MAX_TIMEOUT_MS, notADuration, tryParseDuration } from '../graph/duration.js';

/** A value as messages show it: strings quoted, numbers as they are. Never used for URLs (passwords). */
export function shown(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}

function durationProblem(value: unknown): string {
  const ms = tryParseDuration(value);
  if (ms === undefined) return notADuration(value);
  if (ms === 0) return `${shown(value)} is not a positive duration`;
  return `${shown(value)} is longer than ${formatDuration(MAX_TIMEOUT_MS)} (the longest timer)`;
}

/** Milliseconds of a valid duration; anything else is left as it was, for the check to show it. */
function toMs(value: unknown): unknown {
  const ms = tryParseDuration(value);
  return ms !== undefined && ms > 0 && ms <= MAX_TIMEOUT_MS ? ms : value;
}

/**
 * A positive duration, parsed to a number of milliseconds (1 to MAX_TIMEOUT_MS). Converted first, then
 * checked without aborting (abort: false): a bad one inside a union still names its key instead of failing
 * the union as a whole.
 */
export const durationOption = z.preprocess(
  toMs,
  z.custom<number>((value) => typeof value === 'number' && Number.isSafeInteger(value) && value > 0 && value <= MAX_TIMEOUT_MS, {
    abort: false,
    error: (issue) => durationProblem(issue.input),
  }),
).meta({ type: 'duration' });

/** The name of a configured SQL source (`sources.<name>`). */
export const sourceNameOption = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "lower-case letters, digits, '_' or '-'");
