// Grafana's reducers for a stat or a bar gauge (options.reduceOptions.calcs): lastNotNull, last, firstNotNull,
// first, mean, sum, max, min, count, range, delta; null values are skipped except by last and first.

export type Values = readonly (number | string | boolean | null)[];

function numbers(values: Values): number[] {
  return values.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v));
}

const REDUCERS: Readonly<Record<string, (values: Values) => number | null>> = {
  lastNotNull: (v) => numbers(v).at(-1) ?? null,
  last: (v) => (typeof v.at(-1) === 'number' ? (v.at(-1) as number) : null),
  firstNotNull: (v) => numbers(v)[0] ?? null,
  first: (v) => (typeof v[0] === 'number' ? v[0] : null),
  mean: (v) => (numbers(v).length === 0 ? null : numbers(v).reduce((a, b) => a + b, 0) / numbers(v).length),
  sum: (v) => (numbers(v).length === 0 ? null : numbers(v).reduce((a, b) => a + b, 0)),
  max: (v) => (numbers(v).length === 0 ? null : Math.max(...numbers(v))),
  min: (v) => (numbers(v).length === 0 ? null : Math.min(...numbers(v))),
  count: (v) => v.length,
  range: (v) => (numbers(v).length === 0 ? null : Math.max(...numbers(v)) - Math.min(...numbers(v))),
  delta: (v) => (numbers(v).length === 0 ? null : numbers(v).at(-1)! - numbers(v)[0]!),
};

/** The first calc of `calcs` Grafana knows (lastNotNull when none). */
export function reducerName(calcs: readonly unknown[]): string {
  const name = calcs.find((c): c is string => typeof c === 'string' && c in REDUCERS);
  return name ?? 'lastNotNull';
}

export function reduce(values: Values, calc: string): number | null {
  return (REDUCERS[calc] ?? REDUCERS.lastNotNull!)(values);
}
