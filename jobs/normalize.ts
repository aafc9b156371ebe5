// The normalizer: every reader's output becomes one (dims, metrics) row shape before the writers.
import { EtlError } from '../graph/errors.js';
import { transform, type NodeContext, type TransformNode } from '../graph/index.js';
import { bucketNumber, SeenValues } from '../metrics/buckets.js';
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
