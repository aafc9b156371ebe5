// What makes a row or a value writable: a real date, an hour 0-23, a sane metric name, a finite number.
import type { MetricRow } from '../metrics/row.js';
import { isValidDate } from '../metrics/time.js';
import { MAX_METRIC_NAME_LENGTH } from './migrations.js';

export type Granularity = 'hourly' | 'daily';

/** Hourly rows have an hour in their dims (even an invalid one); every other row is daily. */
export function granularityOf(row: unknown): Granularity {
  const dims = (row as Partial<MetricRow> | null | undefined)?.dims as { hour?: unknown } | null | undefined;
  return dims !== null && typeof dims === 'object' && dims.hour !== undefined ? 'hourly' : 'daily';
}

function show(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Why a date cannot be written, or undefined when it is a real YYYY-MM-DD date. */
export function dateProblem(date: unknown): string | undefined {
  if (date === undefined || date === null) return 'dims.date is missing';
  if (!isValidDate(date)) return `dims.date ${show(date)} is not a real YYYY-MM-DD date`;
  return undefined;
}

/** Why an hour cannot be written, or undefined when it is an integer from 0 to 23. */
export function hourProblem(hour: unknown): string | undefined {
  if (typeof hour === 'number' && Number.isInteger(hour) && hour >= 0 && hour <= 23) return undefined;
  return `dims.hour ${show(hour)} is not an integer from 0 to 23`;
}

/** Why a metric name cannot be stored, or undefined. Any other text is stored verbatim, as data. */
export function metricNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'metric name is empty';
  if (name.length > MAX_METRIC_NAME_LENGTH) return `metric name is longer than ${MAX_METRIC_NAME_LENGTH} characters (${name.length})`;
  return undefined;
}

/**
 * The number to store for a value: a finite number, or a string holding one ("12.5"), or a bigint.
 * Returns NaN for anything else (NaN, ±Infinity, null, booleans, non-numeric strings); see valueProblem.
 */
export function toFiniteNumber(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === 'string') {
    if (value.trim() === '') return Number.NaN;
    const n = Number(value);
    return Number.isFinite(n) ? n : Number.NaN;
  }
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isFinite(n) ? n : Number.NaN;
  }
  return Number.NaN;
}

/** The reason a value is refused (call when toFiniteNumber gave NaN). */
export function valueProblem(value: unknown): string {
  return `value ${show(value)} is not a finite number`;
}

/** Days since 1970-01-01 of a valid YYYY-MM-DD date. */
export function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
}
