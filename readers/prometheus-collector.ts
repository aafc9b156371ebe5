// The prometheus reader's values per bucket: series samples by metric name, and what two series of one name do.
//
// Two series (of one entry, or of two entries) whose names fill to one metric name in one bucket ('Shop' and
// 'shop' for `{site}`) are combined by their entries' `combine` rule: 'sum' (both entries say so) adds them,
// right for counts, increases and rates; otherwise ('error', the default: averages, ratios, gauges do not add)
// the metric is left out of that bucket and one row error per pair of series and grain names both series,
// their entries, how many buckets and the first one. One series adding to itself (the two real hours of a
// fall-back day's repeated hour, for a query without `{range}`) is always added.
import type { NodeContext } from '../graph/node.js';
import type { MetricDims, MetricRow } from '../metrics/row.js';
import type { QueryPlan } from './prometheus-buckets.js';
import { formatLabels, type PromSeries } from './prometheus-series.js';
import { fillTemplate, type TemplatePart } from './prometheus-template.js';
import { ReaderError } from './reader-errors.js';

/** What two series whose names fill to one metric name in one bucket do (an entry's `combine`). */
export type CombineRule = 'sum' | 'error';

export type Grain = 'hourly' | 'daily';

/** One configured query, compiled. */
export interface Entry {
  readonly name: string;
  readonly index: number;
  readonly parts: readonly TemplatePart[];
  readonly combine: CombineRule;
  readonly hourly?: string;
  readonly daily?: string;
}

/** One series of one entry: where a value comes from. */
interface Input {
  readonly id: string;
  readonly entry: Entry;
  readonly labels: Readonly<Record<string, string>>;
}

interface Clash {
  readonly name: string;
  readonly first: Input;
  readonly second: Input;
  readonly buckets: MetricDims[];
}

const READER = 'prometheus';
const dimsKey = (dims: MetricDims): string => (dims.hour === undefined ? dims.date : `${dims.date}T${dims.hour}`);
const bucketText = (dims: MetricDims): string => (dims.hour === undefined ? dims.date : `${dims.date} hour ${dims.hour}`);

/** Collects one grain's values per bucket, combines or reports two series of one name, reports problems once. */
export class Collector {
  private readonly rows = new Map<string, { dims: MetricDims; metrics: Record<string, number> }>();
  /** The first input of each bucket and metric name (`<bucket>|<name>`), or null once it clashed there. */
  private readonly owners = new Map<string, Input | null>();
  private readonly clashes = new Map<string, Clash>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly ctx: NodeContext,
    private readonly grain: Grain,
    buckets: ReadonlyArray<{ readonly dims: MetricDims }>,
  ) {
    for (const { dims } of buckets) if (!this.rows.has(dimsKey(dims))) this.rows.set(dimsKey(dims), { dims, metrics: {} });
  }

  problem(key: string, message: string, row: unknown): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.ctx.reportError(new ReaderError(READER, `reader '${READER}': ${message}`), row);
  }

  add(entry: Entry, series: PromSeries, plan: QueryPlan): void {
    const labels = formatLabels(series.labels);
    const name = fillTemplate(entry.parts, series.labels);
    if (typeof name !== 'string') {
      this.problem(`label|${entry.index}|${labels}|${name.missing}`, `entry '${entry.name}': series ${labels} has no label '${name.missing}' for the metric name; series skipped`, { entry: entry.name, labels: series.labels });
      return;
    }
    const input: Input = { id: `${entry.index}|${labels}`, entry, labels: series.labels };
    let infinite = 0;
    let firstInfinite: number | undefined;
    for (const [at, value] of series.samples) {
      const bucket = plan.buckets.get(at);
      if (bucket === undefined || Number.isNaN(value)) continue;
      if (!Number.isFinite(value)) {
        infinite += 1;
        firstInfinite ??= at;
        continue;
      }
      this.put(bucket.dims, name, value, input);
    }
    if (infinite > 0) {
      const many = `${infinite} infinite ${this.grain} value${infinite > 1 ? 's' : ''}`;
      this.problem(`inf|${input.id}`, `entry '${entry.name}': metric '${name}' has ${many} (first at ${new Date(firstInfinite!).toISOString()}); skipped`, { entry: entry.name, labels: series.labels });
    }
  }

  /** One value of `input` for `name` in the bucket of `dims`: set, added (same series, or both entries 'sum'), or a clash. */
  private put(dims: MetricDims, name: string, value: number, input: Input): void {
    const row = this.rows.get(dimsKey(dims));
    if (row === undefined) return;
    const slot = `${dimsKey(dims)}|${name}`;
    const owner = this.owners.get(slot);
    if (owner === null) return;
    if (owner === undefined) {
      this.owners.set(slot, input);
      row.metrics[name] = value;
      return;
    }
    if (owner.id === input.id || (owner.entry.combine === 'sum' && input.entry.combine === 'sum')) {
      row.metrics[name] = (row.metrics[name] ?? 0) + value;
      return;
    }
    this.owners.set(slot, null);
    delete row.metrics[name];
    const key = `${name}|${owner.id}|${input.id}`;
    const clash = this.clashes.get(key) ?? { name, first: owner, second: input, buckets: [] };
    this.clashes.set(key, clash);
    clash.buckets.push(dims);
  }

  /** The clashes as row errors (one per pair of series), then the rows with values. */
  *output(): Generator<MetricRow> {
    for (const { name, first, second, buckets } of this.clashes.values()) {
      const of = (i: Input): string => `series ${formatLabels(i.labels)} of entry '${i.entry.name}'`;
      const where = `${buckets.length} ${this.grain} bucket${buckets.length > 1 ? 's' : ''} (first ${bucketText(buckets[0]!)})`;
      const message =
        `metric '${name}' is given by ${of(first)} and by ${of(second)} in ${where}: left out there ` +
        `(set "combine": "sum" on both entries when their values add up: counts, increases, rates)`;
      this.ctx.reportError(new ReaderError(READER, `reader '${READER}': ${message}`), { metric: name, series: [first.labels, second.labels] });
    }
    for (const { dims, metrics } of this.rows.values()) if (Object.keys(metrics).length > 0) yield { dims, metrics };
  }
}
