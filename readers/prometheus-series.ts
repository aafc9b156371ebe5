// Prometheus query results (as prometheus-query parses them, or raw API JSON) -> labelled series of samples.

/** One series: its labels (with `__name__` when Prometheus gave one) and its samples [epoch ms, value]. */
export interface PromSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly samples: ReadonlyArray<readonly [number, number]>;
}

interface ParsedMetric {
  readonly name?: unknown;
  readonly labels?: unknown;
}

function labelsOf(metric: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  if (metric === null || typeof metric !== 'object') return labels;
  const m = metric as ParsedMetric & Record<string, unknown>;
  // prometheus-query's Metric: { name, labels }; raw API JSON: { __name__, label: value, ... }.
  const parsed = typeof m.labels === 'object' && m.labels !== null;
  const source = parsed ? (m.labels as Record<string, unknown>) : m;
  for (const [key, value] of Object.entries(source)) if (typeof value === 'string') labels[key] = value;
  if (parsed && typeof m.name === 'string' && m.name !== '') labels.__name__ = m.name;
  return labels;
}

/** A sample as prometheus-query's SampleValue ({ time: Date, value: number }) or raw [unix s, "value"]. */
function sampleOf(sample: unknown): [number, number] | undefined {
  if (Array.isArray(sample) && sample.length === 2) {
    const [t, v] = sample as [unknown, unknown];
    return [Math.round(Number(t) * 1000), parsePromValue(v)];
  }
  if (sample !== null && typeof sample === 'object' && 'time' in sample && 'value' in sample) {
    const { time, value } = sample as { time: unknown; value: unknown };
    const at = time instanceof Date ? time.getTime() : Number(time);
    return [Math.round(at), typeof value === 'number' ? value : parsePromValue(value)];
  }
  return undefined;
}

/** Prometheus' sample strings: decimals, 'NaN', '+Inf', '-Inf'. */
export function parsePromValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === '+Inf' || value === 'Inf') return Number.POSITIVE_INFINITY;
  if (value === '-Inf') return Number.NEGATIVE_INFINITY;
  return typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
}

/** Series of a matrix, vector or scalar result; throws a TypeError on any other shape. */
export function seriesOf(data: { readonly resultType?: unknown; readonly result?: unknown }): PromSeries[] {
  const { resultType, result } = data;
  if (resultType === 'scalar') {
    const sample = sampleOf(result);
    if (sample === undefined) throw new TypeError('unexpected scalar result');
    return [{ labels: {}, samples: [sample] }];
  }
  if ((resultType !== 'matrix' && resultType !== 'vector') || !Array.isArray(result)) {
    throw new TypeError(`unexpected result type '${String(resultType)}' (expected a matrix, a vector or a scalar)`);
  }
  return result.map((item: unknown) => {
    const { metric, values, value } = (item ?? {}) as { metric?: unknown; values?: unknown; value?: unknown };
    const raw = resultType === 'matrix' ? (Array.isArray(values) ? values : []) : [value];
    const samples = raw.map(sampleOf).filter((s): s is [number, number] => s !== undefined);
    return { labels: labelsOf(metric), samples };
  });
}

/** `{a="x", b="y"}`: a series' labels for messages. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;
}
