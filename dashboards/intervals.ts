// Grafana's interval arithmetic: gtime.ParseInterval / FormatInterval (the backend's $__interval and the
// $__timeGroup argument), Go's %v of a float, and the frontend's rounding of range / resolution to a nice
// interval (rangeutil.calculateInterval with kbn.roundInterval).
import { DashboardQueryError } from './errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** Milliseconds of `1h`, `30s`, `500ms`, `2d`, `1w` (gtime.ParseInterval's fixed units; a bare number is seconds). */
export function parseIntervalMs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)?$/.exec(text.trim());
  if (match === null) throw new DashboardQueryError(`error parsing interval ${text}`);
  return Number(match[1]) * UNIT_MS[match[2] ?? 's']!;
}

/** Seconds of an interval text, as `$__timeGroup(c, '1h')` takes it. */
export function parseIntervalSeconds(text: string): number {
  return parseIntervalMs(text) / 1000;
}

/** gtime.FormatInterval: the largest unit that fits, rounded down (1h30m -> '1h'). */
export function formatInterval(ms: number): string {
  const units: [number, string][] = [[UNIT_MS.y!, 'y'], [UNIT_MS.d!, 'd'], [UNIT_MS.h!, 'h'], [UNIT_MS.m!, 'm'], [UNIT_MS.s!, 's'], [1, 'ms']];
  for (const [size, unit] of units) if (ms >= size) return `${Math.floor(ms / size)}${unit}`;
  return '1ms';
}

/** Go's %v of a float64 (strconv 'g', shortest): 3600 -> 3600, 1e6 -> 1e+06, 0.5 -> 0.5. */
export function goFloat(value: number): string {
  if (value === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, exp] = value.toExponential().split('e') as [string, string];
    const sign = exp.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return String(value);
}

/** kbn.roundInterval: [upper bound (exclusive), nice interval], in ms. */
const NICE: readonly (readonly [number, number])[] = [
  [10, 1], [15, 10], [35, 20], [75, 50], [150, 100], [350, 200], [750, 500], [1_500, 1_000], [3_500, 2_000],
  [7_500, 5_000], [12_500, 10_000], [17_500, 15_000], [25_000, 20_000], [45_000, 30_000], [90_000, 60_000],
  [210_000, 120_000], [450_000, 300_000], [750_000, 600_000], [1_050_000, 900_000], [1_500_000, 1_200_000],
  [2_700_000, 1_800_000], [5_400_000, 3_600_000], [9_000_000, 7_200_000], [16_200_000, 10_800_000],
  [24_300_000, 21_600_000], [64_800_000, 43_200_000], [604_800_000, 86_400_000], [1_814_400_000, 604_800_000],
  [3_628_800_000, 2_592_000_000],
];

/** kbn.roundInterval: the nice interval (1s, 2s, 5s, 10s, ..., 1h, 2h, 3h, 6h, 12h, 1d, 1w, 30d, 1y) for a raw one. */
export function roundInterval(ms: number): number {
  for (const [bound, nice] of NICE) if (ms < bound) return nice;
  return 31_536_000_000;
}

/**
 * rangeutil.calculateInterval: (to - from) / resolution rounded to a nice interval, at least `minInterval`
 * (the panel's `interval`, e.g. '1h' or '>1h'; else 1 ms). Grafana's resolution is the panel's maxDataPoints,
 * else its width in pixels; we have no pixels, so the width is estimated from gridPos.w (see panelResolution).
 */
export function calculateIntervalMs(fromMs: number, toMs: number, resolution: number, minInterval?: string): number {
  const low = minInterval === undefined || minInterval === '' ? 1 : parseIntervalMs(minInterval.replace(/^>/, ''));
  const rounded = roundInterval((toMs - fromMs) / Math.max(1, resolution));
  return Math.max(rounded, low);
}

/** A panel's resolution: its maxDataPoints, else its width in pixels on a 1920-pixel-wide screen (gridPos.w of 24). */
export function panelResolution(panel: { readonly maxDataPoints?: unknown; readonly gridPos?: { readonly w?: unknown } }): number {
  if (typeof panel.maxDataPoints === 'number' && panel.maxDataPoints > 0) return panel.maxDataPoints;
  const w = typeof panel.gridPos?.w === 'number' ? panel.gridPos.w : 24;
  return Math.max(1, Math.round((w / 24) * 1920));
}
