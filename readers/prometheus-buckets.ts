// Local-time buckets of a read window and the Prometheus evaluations (range or instant queries) that cover them.
import { localHours } from '../metrics/local-hours.js';
import type { MetricDims } from '../metrics/row.js';
import { HOUR_MS, nextDate, startOfDay } from '../metrics/time.js';
import { windowDates, type ReadWindow } from '../metrics/window.js';

/** Prometheus refuses range queries of more than 11,000 points per series; stay below. */
export const MAX_POINTS = 10_000;

/** A local hour or day: instants [start, end) and the dims its value is written under. */
export interface Bucket {
  readonly dims: MetricDims;
  readonly start: number;
  readonly end: number;
}

/** Where a query is evaluated for a bucket: the instant, and the range that `{range}` stands for (ms). */
export interface Evaluation {
  readonly bucket: Bucket;
  readonly at: number;
  readonly rangeMs: number;
}

/** One call to Prometheus: a range query over equally spaced evaluations, or an instant query (one evaluation). */
export interface QueryPlan {
  /** `{range}` as a PromQL duration, e.g. '1h', '23h', '2460s'. */
  readonly range: string;
  /** Evaluation instants: first, last (epoch ms) and the step (ms; 0 for an instant query). */
  readonly start: number;
  readonly end: number;
  readonly stepMs: number;
  /** The bucket each evaluation instant belongs to, by instant. */
  readonly buckets: ReadonlyMap<number, Bucket>;
}

/**
 * The local hours of the window, one bucket per real hour ([t, t+1h) for each hour start t). With `merge`,
 * the repeated local hour of a fall-back day (e.g. 02:00-03:00 twice in Paris) is one 2-hour bucket.
 */
export function hourBuckets(window: ReadWindow, merge: boolean): Bucket[] {
  const buckets: Bucket[] = [];
  for (const { start, date, hour } of localHours(window.hours, window.timeZone)) {
    const last = buckets[buckets.length - 1];
    if (merge && last !== undefined && last.dims.date === date && last.dims.hour === hour) {
      buckets[buckets.length - 1] = { dims: last.dims, start: last.start, end: start + HOUR_MS };
    } else {
      buckets.push({ dims: { date, hour }, start, end: start + HOUR_MS });
    }
  }
  return buckets;
}

/** The local days of the window: [local midnight, next local midnight), 23, 24 or 25 hours long. */
export function dayBuckets(window: ReadWindow): Bucket[] {
  return windowDates(window).map((date) => ({ dims: { date }, start: startOfDay(date, window.timeZone), end: startOfDay(nextDate(date), window.timeZone) }));
}

/**
 * Each bucket is evaluated at its end, with `{range}` = its length, so `[{range}]` covers exactly the bucket.
 * A bucket that ends after `now` (the current hour or day) is evaluated at `now` (whole seconds) with the
 * range from its start to now, when `clampToNow`; buckets starting at or after `now` are then left out.
 */
export function evaluations(buckets: readonly Bucket[], now: number, clampToNow: boolean): Evaluation[] {
  const out: Evaluation[] = [];
  const nowSec = Math.floor(now / 1000) * 1000;
  for (const bucket of buckets) {
    if (clampToNow && bucket.end > nowSec) {
      if (nowSec > bucket.start) out.push({ bucket, at: nowSec, rangeMs: nowSec - bucket.start });
      continue;
    }
    out.push({ bucket, at: bucket.end, rangeMs: bucket.end - bucket.start });
  }
  return out;
}

/** A PromQL duration for `ms`: whole hours as 'Nh', otherwise whole seconds 'Ns' (at least 1s). */
export function promDuration(ms: number): string {
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS}h`;
  return `${Math.max(1, Math.round(ms / 1000))}s`;
}

/**
 * Groups evaluations into as few queries as possible: consecutive evaluations with the same range and
 * evenly spaced by that range become one range query (at most MAX_POINTS points); others stay alone.
 */
export function planQueries(evals: readonly Evaluation[]): QueryPlan[] {
  const plans: QueryPlan[] = [];
  let run: Evaluation[] = [];
  const flush = (): void => {
    if (run.length === 0) return;
    const first = run[0]!;
    const last = run[run.length - 1]!;
    plans.push({
      range: promDuration(first.rangeMs),
      start: first.at,
      end: last.at,
      stepMs: run.length > 1 ? first.rangeMs : 0,
      buckets: new Map(run.map((e) => [e.at, e.bucket])),
    });
    run = [];
  };
  for (const e of evals) {
    const prev = run[run.length - 1];
    const joins = prev !== undefined && e.rangeMs === prev.rangeMs && e.at - prev.at === e.rangeMs && run.length < MAX_POINTS;
    if (!joins) flush();
    run.push(e);
  }
  flush();
  return plans;
}
