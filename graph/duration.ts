// A duration in ms as people write it in messages and configuration: 250ms, 30s, 10m, 1h30m (config/duration.ts parses it back).

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
