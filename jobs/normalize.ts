// The normalizer: every reader's output becomes one (dims, metrics) row shape before the writers.
import { EtlError } from '../graph/errors.js';
import { transform, type NodeContext, type TransformNode } from '../graph/index.js';
import type { MetricDims, MetricRow } from '../metrics/row.js';

export class MalformedRowError extends TypeError {
  override readonly name = 'MalformedRowError';
}

/** A second value for one metric in one bucket within one run: the writers would keep only the last. */
export class DuplicateValueError extends EtlError {
  override readonly name: string = 'DuplicateValueError';
  constructor(
    readonly metric: string,
    readonly dims: MetricDims,
    readonly value: number,
  ) {
    const bucket = dims.hour === undefined ? dims.date : `${dims.date} hour ${dims.hour}`;
    super(
      `metric '${metric}' on ${bucket} already has a value from an earlier row of this run (two inputs, e.g. two readers or two ` +
        `names from data, give one metric in one bucket): this one, ${value}, is left out; combine them in the reader or rename one`,
    );
  }
}

const PAGE_BITS = 4096;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Which (metric, bucket) pairs a run has given a value: per metric, one bit per bucket, in pages of 4096
 * buckets (a bucket is a day's 24 hours and the day itself), so memory grows with the metrics and the span
 * of the window, not with the values (a ten-year read of 50 metrics: about 1 MB).
 */
class SeenValues {
  private readonly pages = new Map<string, Map<number, Uint8Array>>();

  /** Marks `metric` in `bucket` (bucketNumber); false when it was marked already. */
  mark(metric: string, bucket: number): boolean {
    const byPage = this.pages.get(metric) ?? new Map<number, Uint8Array>();
    this.pages.set(metric, byPage);
    const page = Math.floor(bucket / PAGE_BITS);
    const bits = byPage.get(page) ?? new Uint8Array(PAGE_BITS / 8);
    byPage.set(page, bits);
    const i = bucket - page * PAGE_BITS;
    const mask = 1 << (i & 7);
    if (((bits[i >> 3] ?? 0) & mask) !== 0) return false;
    bits[i >> 3] = (bits[i >> 3] ?? 0) | mask;
    return true;
  }
}

/** The bucket's number (days since 1970 x 25, plus the hour, or 24 for the day), or undefined for dims the writers refuse. */
function bucketNumber(dims: MetricDims): number | undefined {
  const m = DATE.exec(dims.date);
  if (m === null || (dims.hour !== undefined && !(Number.isInteger(dims.hour) && dims.hour >= 0 && dims.hour <= 23))) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // 2026-02-31 is no date (Date.UTC would make it March 3rd): the writers refuse it.
  if (new Date(ms).toISOString().slice(0, 10) !== dims.date) return undefined;
  return (ms / 86_400_000) * 25 + (dims.hour ?? 24);
}

function toDims(value: unknown): MetricDims {
  if (value === null || typeof value !== 'object') throw new MalformedRowError(`dims must be an object {date, hour?}, got ${JSON.stringify(value)}`);
  const { date, hour } = value as { date?: unknown; hour?: unknown };
  if (typeof date !== 'string') throw new MalformedRowError(`dims.date must be a YYYY-MM-DD string, got ${JSON.stringify(date)}`);
  if (hour === undefined || hour === null) return { date };
  const h = typeof hour === 'string' && hour.trim() !== '' ? Number(hour) : hour;
  if (typeof h !== 'number') throw new MalformedRowError(`dims.hour must be a number, got ${JSON.stringify(hour)}`);
  return { date, hour: h };
}

/**
 * The metrics of a row not given earlier in the run for the same bucket; each one given again is a row error
 * (DuplicateValueError) and is left out, so the first value stands.
 */
function firstValues(row: MetricRow, seen: SeenValues, ctx: NodeContext): MetricRow['metrics'] {
  const bucket = bucketNumber(row.dims);
  if (bucket === undefined) return row.metrics; // the writers report the bad date or hour
  const again = new Set<string>();
  for (const [metric, value] of Object.entries(row.metrics)) {
    if (seen.mark(metric, bucket)) continue;
    again.add(metric);
    ctx.reportError(new DuplicateValueError(metric, row.dims, value), row);
  }
  return again.size === 0 ? row.metrics : Object.fromEntries(Object.entries(row.metrics).filter(([metric]) => !again.has(metric)));
}

/**
 * Accepts `{dims, metrics}` or the talk's `[dims, metrics]` pairs and emits `{dims, metrics}` with only
 * date/hour in dims. Values are passed on as they are: the writers judge them (and count bad ones). The last
 * line of defence for names built from data: a metric given a second value for one bucket in one run (two
 * readers, or a reader mapping two inputs to one name in two rows) is a row error, and the first value
 * stands: it is never silently replaced.
 */
export function normalize(): TransformNode<MetricRow | readonly [unknown, unknown], MetricRow> {
  const seen = new SeenValues();
  return transform(
    (row: MetricRow | readonly [unknown, unknown], ctx) => {
      const [dims, metrics] = Array.isArray(row) ? row : [(row as MetricRow).dims, (row as MetricRow).metrics];
      if (metrics === null || typeof metrics !== 'object' || Array.isArray(metrics)) {
        throw new MalformedRowError(`metrics must be an object {name: value}, got ${JSON.stringify(metrics)}`);
      }
      const shaped: MetricRow = { dims: toDims(dims), metrics: metrics as MetricRow['metrics'] };
      return { dims: shaped.dims, metrics: firstValues(shaped, seen, ctx) };
    },
    { label: 'dims, metrics' },
  );
}
