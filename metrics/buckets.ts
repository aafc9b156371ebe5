// Buckets of the metrics database as numbers, and a compact set of (metric, bucket) pairs: which values a run
// has given. A bucket is a local day's 24 hours and the day itself: number = days since 1970 x 25 + hour (24
// for the day), so local hours of one date sort before that date's daily bucket.
import type { MetricDims } from './row.js';

const PAGE_BITS = 4096;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The bucket's number, or undefined for dims the writers refuse (no such date, hour outside 0-23). */
export function bucketNumber(dims: MetricDims): number | undefined {
  const m = DATE.exec(dims.date);
  if (m === null || (dims.hour !== undefined && !(Number.isInteger(dims.hour) && dims.hour >= 0 && dims.hour <= 23))) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // 2026-02-31 is no date (Date.UTC would make it March 3rd): the writers refuse it.
  if (new Date(ms).toISOString().slice(0, 10) !== dims.date) return undefined;
  return (ms / 86_400_000) * 25 + (dims.hour ?? 24);
}

/**
 * Which (metric, bucket) pairs have been seen: per metric, one bit per bucket, in pages of 4096 buckets, so
 * memory grows with the metrics and the span of the window, not with the values (a ten-year read of 50
 * metrics: about 1 MB).
 */
export class SeenValues {
  private readonly pages = new Map<string, Map<number, Uint8Array>>();

  /** Marks `metric` in `bucket`; false when it was marked already. */
  mark(metric: string, bucket: number): boolean {
    let byPage = this.pages.get(metric);
    if (byPage === undefined) this.pages.set(metric, (byPage = new Map()));
    const page = Math.floor(bucket / PAGE_BITS);
    let bits = byPage.get(page);
    if (bits === undefined) byPage.set(page, (bits = new Uint8Array(PAGE_BITS / 8)));
    const i = bucket - page * PAGE_BITS;
    const mask = 1 << (i & 7);
    if (((bits[i >> 3] ?? 0) & mask) !== 0) return false;
    bits[i >> 3] = (bits[i >> 3] ?? 0) | mask;
    return true;
  }

  has(metric: string, bucket: number): boolean {
    const page = Math.floor(bucket / PAGE_BITS);
    const bits = this.pages.get(metric)?.get(page);
    if (bits === undefined) return false;
    const i = bucket - page * PAGE_BITS;
    return ((bits[i >> 3] ?? 0) & (1 << (i & 7))) !== 0;
  }

  /** The metrics seen at least once. */
  metrics(): IterableIterator<string> {
    return this.pages.keys();
  }
}
