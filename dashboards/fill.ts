// Missing buckets of a time series filled as Grafana does after `$__timeGroup(c, '1h', <fill>)`
// (sqleng applyFill -> sqlutil.ResampleWideFrame): buckets from the range's start rounded down to the
// interval (epoch-aligned) to its end; a bucket without a row gets NULL, the fill value, or the previous value.
import type { Cell, Field } from './columns.js';
import type { FillMode, TimeRange } from './macros.js';

/** Above this many buckets Grafana skips the fill (its row limit); so do we. */
export const MAX_FILL_POINTS = 1_000_000;

function filler(fill: FillMode, previous: Cell | undefined): Cell {
  if (fill.mode === 'value') return fill.value ?? null;
  if (fill.mode === 'previous') return previous ?? null;
  return null;
}

/** `fields` (Time first, then numbers) with every bucket of `range` present. */
export function resample(fields: readonly Field[], fill: FillMode, range: TimeRange): Field[] {
  const step = fill.intervalMs;
  const seconds = Math.max(1, Math.floor(step / 1000));
  const start = Math.floor(Math.floor(range.from.getTime() / 1000) / seconds) * seconds * 1000;
  const end = range.to.getTime();
  if (step <= 0 || (end - start) / step > MAX_FILL_POINTS) return [...fields];
  const [time, ...series] = fields as [Field, ...Field[]];
  const times = time.values as number[];
  const out: Cell[][] = fields.map(() => []);
  let row = 0;
  for (let bucket = start; bucket <= end; bucket += step) {
    const before = row;
    while (row < times.length && times[row]! < bucket + step) {
      out.forEach((column, f) => column.push(fields[f]!.values[row]!));
      row++;
    }
    if (row > before) continue;
    out[0]!.push(bucket);
    series.forEach((field, s) => out[s + 1]!.push(filler(fill, out[s + 1]!.at(-1))));
  }
  return fields.map((field, f) => ({ ...field, values: out[f]! }));
}
