// Durations in configuration: a number of milliseconds, or text such as '500ms', '30s', '10m', '1h30m', '2d'.
import { DURATION_UNITS, formatDuration } from '../graph/duration.js';
import { ConfigError } from '../graph/errors.js';

export { formatDuration };


/** Units largest first, each at most once: '1h30m' and '2d' match, '30m1h', '1.5h' and '10' (no unit) do not. */
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** "'10 minutes' is not a duration (e.g. 500ms, 30s, 10m, 1h30m, 2d)"; a number: "(a whole number of milliseconds)". */
export function notADuration(value: unknown): string {
  if (typeof value === 'number') return `${value} is not a duration (a whole number of milliseconds)`;
  const shown = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  return `${shown} is not a duration (e.g. 500ms, 30s, 10m, 1h30m, 2d)`;
}

/** Milliseconds, or undefined when `value` is not a duration (numbers: whole milliseconds, 0 or more). */
export function tryParseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const match = DURATION.exec(text);
  if (text === '' || match === null) return undefined;
  const ms = DURATION_UNITS.reduce((sum, [, size], i) => sum + Number(match[i + 1] ?? 0) * size, 0);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** Milliseconds of `text`; anything else throws a ConfigError naming `where` (a key or a variable) and the value. */
export function parseDuration(text: string | number, where: string): number {
  const ms = tryParseDuration(text);
  if (ms === undefined) throw new ConfigError(`${where}: ${notADuration(text)}`);
  return ms;
}

