// The normalizer: every reader's output becomes one (dims, metrics) row shape before the writers.
import { transform, type TransformNode } from '../graph/index.js';
import type { MetricDims, MetricRow } from '../metrics/row.js';

export class MalformedRowError extends TypeError {
  override readonly name = 'MalformedRowError';
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
 * Accepts `{dims, metrics}` or the talk's `[dims, metrics]` pairs and emits `{dims, metrics}` with only
 * date/hour in dims. Values are passed on as they are: the writers judge them (and count bad ones).
 */
export function normalize(): TransformNode<MetricRow | readonly [unknown, unknown], MetricRow> {
  return transform(
    (row: MetricRow | readonly [unknown, unknown]) => {
      const [dims, metrics] = Array.isArray(row) ? row : [(row as MetricRow).dims, (row as MetricRow).metrics];
      if (metrics === null || typeof metrics !== 'object' || Array.isArray(metrics)) {
        throw new MalformedRowError(`metrics must be an object {name: value}, got ${JSON.stringify(metrics)}`);
      }
      return { dims: toDims(dims), metrics: metrics as MetricRow['metrics'] };
    },
    { label: 'dims, metrics' },
  );
}
