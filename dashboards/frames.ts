// Query results shaped as Grafana's SQL datasources shape them (sqleng processFrame): format `table` keeps
// every column; format `time_series` needs a `time` column, turns numeric columns into series and a long
// result (text columns besides the numbers) into one series per distinct text value (data.LongToWide), named
// as Grafana names them, sorted by time, times as epoch ms, missing buckets filled when a macro asked for it.
import { DashboardQueryError } from './errors.js';
import { readColumns, type Cell, type Column, type Field, type FieldType, type ResultRows } from './columns.js';

export type { Field } from './columns.js';
import { resample } from './fill.js';
import type { FillMode, TimeRange } from './macros.js';

/** One column of a frame (fits web/client/view/dashboard-wire.ts's FieldJson). */

/** One data frame (fits FrameJson). */
export interface Frame {
  readonly name?: string;
  readonly refId: string;
  readonly fields: readonly Field[];
}

export type QueryFormat = 'time_series' | 'table';

/** Format `table`: every column, typed from its values; `time` and `timeend` as epoch ms. */
export function tableFrame(rows: ResultRows, refId: string): Frame {
  return { refId, fields: readColumns(rows, true) };
}

/** The row indexes in ascending time (stable), or undefined when the rows already are (ORDER BY time); a null time is an error, as in Grafana. */
function timeOrder(time: Column): number[] | undefined {
  if (time.values.some((v) => v === null)) throw new DashboardQueryError('the time column holds NULL values: a time series needs a time in every row');
  const values = time.values as number[];
  let sorted = true;
  for (let i = 1; i < values.length && sorted; i++) sorted = values[i - 1]! <= values[i]!;
  return sorted ? undefined : values.map((_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
}

const pick = (values: Cell[], order: readonly number[] | undefined): Cell[] => (order === undefined ? values : order.map((i) => values[i]!));
const asNumber = (value: Cell): Cell => (value === null ? null : typeof value === 'boolean' ? Number(value) : value);

/** A long result to wide series: one field per value column and distinct labels, in order of first appearance (`time` ascending). */
function longToWide(time: Cell[], labels: readonly Column[], values: readonly Column[], three: boolean): Field[] {
  const times = [...new Set(time as number[])];
  type Series = { name: string; labels?: Record<string, string>; values: Cell[] };
  // By the row's label values: one series per value column, created together where the labels first appear.
  const byLabels = new Map<string, Series[]>();
  const series: Series[] = [];
  const single = labels.length === 1 ? labels[0]!.values : undefined;
  let slot = -1;
  let last: Cell | undefined;
  for (let row = 0; row < time.length; row++) {
    // The rows are in time order: the slot of a row's time moves on where the time changes.
    if (time[row] !== last) {
      slot += 1;
      last = time[row];
    }
    const key = single !== undefined ? String(single[row] ?? '') : JSON.stringify(labels.map((c) => String(c.values[row] ?? '')));
    let ofRow = byLabels.get(key);
    if (ofRow === undefined) {
      const set = Object.fromEntries(labels.map((c) => [c.name, String(c.values[row] ?? '')]));
      const text = Object.values(set).join(' ');
      // sqleng: with exactly time, metric and value, the series takes the metric's name and no label (Grafana 7).
      ofRow = values.map((column) =>
        three && labels[0]!.name === 'metric' ? { name: text, values: times.map(() => null) } : { name: values.length === 1 ? text : `${column.name} ${text}`, labels: set, values: times.map(() => null) },
      );
      byLabels.set(key, ofRow);
      series.push(...ofRow);
    }
    for (let i = 0; i < values.length; i++) ofRow[i]!.values[slot] = asNumber(values[i]!.values[row]!);
  }
  return [{ name: 'Time', type: 'time', values: times }, ...series.map((s) => ({ ...s, type: 'number' as const }))];
}

/** Format `time_series`: a `time` column required, numbers as series (long results made wide), filled if asked. */
export function timeSeriesFrame(rows: ResultRows, refId: string, range: TimeRange, fill?: FillMode): Frame {
  const columns = readColumns(rows, false);
  if (columns.length === 0) return { refId, fields: [] };
  const timeColumn = columns.find((c) => c.name === 'time' || c.name === 'time_sec');
  if (timeColumn === undefined || timeColumn.type !== 'time') {
    throw new DashboardQueryError("time column is missing; make sure your data includes a time column ('time') for time series format or switch to a table format that doesn't require it");
  }
  const order = timeOrder(timeColumn);
  const time = pick(timeColumn.values, order);
  const others = columns.filter((c) => c !== timeColumn).map((c) => ({ ...c, values: pick(c.values, order) }));
  const labels = others.filter((c) => c.type === 'string' || c.type === 'other');
  const values = others.filter((c) => !labels.includes(c));
  const fields: Field[] =
    labels.length === 0
      ? [{ name: 'Time', type: 'time', values: time }, ...values.map((c) => ({ name: c.name, type: 'number' as const, values: c.values.map(asNumber) }))]
      : longToWide(time, labels, values, columns.length === 3 && labels.length === 1);
  return { refId, fields: fill === undefined ? fields : resample(fields, fill, range) };
}

/** The frame of one target's rows in its format. */
export function toFrame(rows: ResultRows, format: QueryFormat, refId: string, range: TimeRange, fill?: FillMode): Frame {
  return format === 'table' ? tableFrame(rows, refId) : timeSeriesFrame(rows, refId, range, fill);
}
