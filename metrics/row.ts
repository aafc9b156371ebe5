// The shape every reader produces and every writer consumes: (dims, metrics), as in the talk.

/** Dimensions of a value: a local date (YYYY-MM-DD) and, for hourly values, the hour (0-23). */
export interface MetricDims {
  readonly date: string;
  readonly hour?: number;
}

/** One row for the metrics database: dims plus named values. Writers validate values at run time. */
export interface MetricRow {
  readonly dims: MetricDims;
  readonly metrics: Readonly<Record<string, number>>;
}

export function isHourly(row: MetricRow): boolean {
  return row.dims.hour !== undefined;
}
