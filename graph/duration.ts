// A duration in ms as people write it in messages and configuration: 250ms, 30s, 10m, 1h30m, and back.

/** Units largest first, with their length in ms. */
export const DURATION_UNITS = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
] as const;

/** 600000 -> '10m', 5400000 -> '1h30m', 250 -> '250ms', 0 -> '0ms' (rounded to whole milliseconds). */
export function formatDuration(ms: number): string {
  let rest = Math.round(Math.abs(ms));
  if (!Number.isFinite(rest)) return String(ms);
  let text = '';
  for (const [unit, size] of DURATION_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return `${ms < 0 && text !== '' ? '-' : ''}${text || '0ms'}`;
}

/** The longest timer Node.js runs (setTimeout fires at once beyond it) and PostgreSQL's statement_timeout limit. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

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
