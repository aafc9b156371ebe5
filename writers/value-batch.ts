// A writer's pending values in typed arrays; taken out sorted by key with duplicate keys resolved (last wins).

/** Values ready to write: sorted by (metric, date, hour), one per key. */
export interface PreparedValues {
  readonly count: number;
  /** Values accepted into this batch, duplicates included (what the writer reports as written). */
  readonly accepted: number;
  readonly metricIds: Int32Array;
  /** Days since 1970-01-01. */
  readonly days: Int32Array;
  readonly hours: Int16Array;
  readonly values: Float64Array;
}

const DAY_OFFSET = 719_163; // 0001-01-01 is day -719162: every valid day maps to a non-negative index
const SLOTS = 2 ** 27; // (day + offset) * 24 + hour < 2^27 for every date up to 9999-12-31
const MAX_PACKED_ID = 2 ** 26; // id * 2^27 + slot stays an exact integer below 2^53

export class ValueBatch {
  private ids = new Int32Array(1024);
  private days = new Int32Array(1024);
  private hours = new Int16Array(1024);
  private values = new Float64Array(1024);
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(metricId: number, day: number, hour: number, value: number): void {
    if (this.size === this.ids.length) this.grow();
    const i = this.size++;
    this.ids[i] = metricId;
    this.days[i] = day;
    this.hours[i] = hour;
    this.values[i] = value;
  }

  private grow(): void {
    const n = this.ids.length * 2;
    const ids = new Int32Array(n);
    ids.set(this.ids);
    const days = new Int32Array(n);
    days.set(this.days);
    const hours = new Int16Array(n);
    hours.set(this.hours);
    const values = new Float64Array(n);
    values.set(this.values);
    this.ids = ids;
    this.days = days;
    this.hours = hours;
    this.values = values;
  }

  /** The arrays take() fills, two sets used in turn (a batch is written while the next one is taken). */
  private readonly outputs: [Output, Output] = [emptyOutput(), emptyOutput()];
  private turn: 0 | 1 = 0;

  /**
   * Takes every pending value out, sorted by key, the last of each duplicate key kept; the batch is empty
   * after. The arrays are reused: they hold these values until the take() after the next one.
   */
  take(): PreparedValues {
    const n = this.size;
    this.size = 0;
    const order = sortedLastWins(this.ids, this.days, this.hours, n);
    const count = order.length;
    const output = this.outputs[this.turn];
    this.turn = this.turn === 0 ? 1 : 0;
    if (output.metricIds.length < count) Object.assign(output, emptyOutput(this.ids.length));
    const out: PreparedValues = {
      count,
      accepted: n,
      metricIds: output.metricIds.subarray(0, count),
      days: output.days.subarray(0, count),
      hours: output.hours.subarray(0, count),
      values: output.values.subarray(0, count),
    };
    for (let k = 0; k < count; k++) {
      const i = order[k]!;
      out.metricIds[k] = this.ids[i]!;
      out.days[k] = this.days[i]!;
      out.hours[k] = this.hours[i]!;
      out.values[k] = this.values[i]!;
    }
    return out;
  }
}

interface Output {
  metricIds: Int32Array;
  days: Int32Array;
  hours: Int16Array;
  values: Float64Array;
}

const emptyOutput = (n = 0): Output => ({ metricIds: new Int32Array(n), days: new Int32Array(n), hours: new Int16Array(n), values: new Float64Array(n) });

/**
 * Indexes of the first `n` entries in key order, keeping for each key the entry that came last. Keys are
 * packed into exact doubles and sorted natively; ids too large to pack use a comparator sort instead.
 */
export function sortedLastWins(ids: Int32Array, days: Int32Array, hours: Int16Array, n: number): Uint32Array {
  let packable = true;
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (id < 0 || id >= MAX_PACKED_ID) {
      packable = false;
      break;
    }
  }
  if (!packable) return comparatorSort(ids, days, hours, n);
  const last = new Map<number, number>();
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const key = ids[i]! * SLOTS + (days[i]! + DAY_OFFSET) * 24 + hours[i]!;
    keys[i] = key;
    last.set(key, i);
  }
  let sorted: Float64Array;
  if (last.size === n) sorted = keys;
  else {
    sorted = new Float64Array(last.size);
    let k = 0;
    for (const key of last.keys()) sorted[k++] = key;
  }
  let ascending = true;
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k]! < sorted[k - 1]!) {
      ascending = false;
      break;
    }
  }
  if (!ascending) sorted.sort();
  const order = new Uint32Array(sorted.length);
  for (let k = 0; k < sorted.length; k++) order[k] = last.get(sorted[k]!)!;
  return order;
}

function comparatorSort(ids: Int32Array, days: Int32Array, hours: Int16Array, n: number): Uint32Array {
  const index = Array.from({ length: n }, (_, i) => i);
  index.sort((a, b) => ids[a]! - ids[b]! || days[a]! - days[b]! || hours[a]! - hours[b]! || a - b);
  const kept: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = index[k]!;
    const j = index[k + 1];
    const sameAsNext = j !== undefined && ids[i] === ids[j] && days[i] === days[j] && hours[i] === hours[j];
    if (!sameAsNext) kept.push(i);
  }
  return Uint32Array.from(kept);
}
