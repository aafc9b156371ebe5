// prometheus reader: PromQL queries -> hourly and daily values per local hour and local day, names from labels.
//
// Each entry of `metrics` names a metric template and a PromQL query:
//   { name: 'http.requests.{site}', query: 'sum by (site) (increase(http_requests_total[{range}]))' }
// Every series of the result becomes one metric; `{label}` placeholders in the name are filled from the
// series' labels as metric name parts (metricNamePart, metrics/metric-name.ts: 'Shop.COM' -> 'shop_com').
// A series without a label its template needs is a row error naming the entry; the series is skipped. Two
// series whose names fill to one metric name in one bucket follow their entries' `combine` rule: "sum" adds
// them, "error" (default) names both in a row error and writes neither there (prometheus-collector.ts).
//
// Time buckets (all in `window.timeZone`):
//   - A value belongs to a local bucket [start, end): the hour `{date, hour}` or the day `{date}`. The query
//     is evaluated AT THE END of the bucket, with `{range}` replaced by the bucket's length, so `[{range}]`
//     covers exactly the bucket: '1h' for an hour, '23h' / '24h' / '25h' for a local day (DST days are
//     exact), '2h' for the repeated hour of a fall-back day (e.g. 02:00-03:00 twice in Paris: one bucket).
//     Prometheus 2.x range selectors include a sample exactly at the start of the range; `increase()` over
//     a bucket therefore counts from the last sample at or before its start to the last one before its end.
//   - Hourly values: one range query per run of equal buckets, step 1h, from the end of the first hour of
//     `window.hours` to the end of its last hour (at most 10,000 points per query; longer windows are split).
//   - Daily values: the days of `window.days`, each evaluated at the next local midnight with `{range}` = the
//     day's length; a run of days of equal length is one range query (step = that length), so a week in
//     Paris across a DST change costs three queries, and UTC or DST-free zones one.
//   - The query of an entry gives hourly values; daily values come from `dailyQuery` when given, else from
//     `query` when it contains `{range}`; an entry whose queries have no `{range}` gives no daily values
//     (a fixed `[1d]` would be wrong on 23/25-hour days and at local midnights, so it is not guessed).
//     `dailyQuery` must contain `{range}`.
//   - An hourly query without `{range}` (e.g. `increase(x[1h])`) is evaluated at the end of every real hour;
//     on a fall-back day the two real hours of the repeated local hour are ADDED (right for counts, the
//     usual hourly query; use `{range}` for averages or maxima, which then cover the 2-hour bucket).
//   - The current (unfinished) bucket of a query with `{range}` is evaluated at `window.now` (whole seconds)
//     with `{range}` = the time elapsed since the bucket's start, i.e. "so far"; buckets that start after
//     `now` get no value. Queries without `{range}` are evaluated at the bucket's end even when in the future.
//   - A bucket for which the query returns no sample gets no value (not 0). NaN samples (0/0, no data) are
//     skipped silently; +Inf/-Inf samples are row errors (one per series) and skipped. (A bare PrometheusDriver
//     parses '+Inf' as NaN; the driver made by createPrometheusClient keeps it infinite.)
// A source with history: any past window can be read (backfill), as far back as Prometheus' retention.
// The client is the service `service` (default 'prometheus'): a prometheus-query PrometheusDriver, made by
// createPrometheusClient({ url }). Failures stop the reader with a PrometheusQueryError naming the reader,
// the entry, the server and Prometheus' own error text; credentials never appear in messages.
import { ConfigError, UnrecoverableError } from '../graph/errors.js';
import { source, type NodeContext, type SourceNode } from '../graph/node.js';
import type { MetricRow } from '../metrics/row.js';
import type { ReadWindow } from '../metrics/window.js';
import { dayBuckets, evaluations, hourBuckets, planQueries, type QueryPlan } from './prometheus-buckets.js';
import { DEFAULT_PROMETHEUS_SERVICE, type PrometheusClient, type PrometheusQueryResult } from './prometheus-client.js';
import { Collector, type CombineRule, type Entry, type Grain } from './prometheus-collector.js';
import { prometheusError, type QueryContext } from './prometheus-errors.js';
import { seriesOf, type PromSeries } from './prometheus-series.js';
import { parseTemplate, type TemplatePart } from './prometheus-template.js';

export { DEFAULT_PROMETHEUS_SERVICE, createPrometheusClient, type PrometheusClient, type PrometheusClientOptions } from './prometheus-client.js';
export { PrometheusQueryError } from './prometheus-errors.js';
export type { CombineRule } from './prometheus-collector.js';

/** One configured query. */
export interface PrometheusMetricQuery {
  /** Metric name template: 'http.requests.{site}'; placeholders are label names of the result series. */
  readonly name: string;
  /** PromQL for hourly values (and daily ones when it contains `{range}` and no `dailyQuery` is given). */
  readonly query: string;
  /** PromQL for daily values; must contain `{range}` (replaced by the local day's length, e.g. '24h'). */
  readonly dailyQuery?: string;
  /** Produce hourly values for this entry (default true). */
  readonly hourly?: boolean;
  /** Produce daily values for this entry (default true; needs `{range}` in `dailyQuery` or `query`). */
  readonly daily?: boolean;
  /**
   * Two series whose names fill to one metric name in one bucket ('Shop' and 'shop' for `{site}`): 'sum' adds
   * them (counts, increases, rates; both entries must say 'sum'); 'error' (default) reports both, writes neither.
   */
  readonly combine?: CombineRule;
}

export interface PrometheusReaderOptions {
  readonly window: ReadWindow;
  readonly metrics: readonly PrometheusMetricQuery[];
  /** Service name of the client, a PrometheusClient (default 'prometheus'). */
  readonly service?: string;
  /** Produce hourly rows (default true). */
  readonly hourly?: boolean;
  /** Produce daily rows (default true). */
  readonly daily?: boolean;
}

const READER = 'prometheus';
const RANGE = '{range}';

/** Checks the configured queries (the one place their rules live; the definition's schema calls it too). */
export function checkPrometheusMetrics(options: Pick<PrometheusReaderOptions, 'metrics' | 'hourly' | 'daily'>): void {
  compileEntries(options);
}

function compileEntries(options: Pick<PrometheusReaderOptions, 'metrics' | 'hourly' | 'daily'>): Entry[] {
  const fail = (message: string): never => {
    throw new ConfigError(`prometheus reader: ${message}`);
  };
  if (!Array.isArray(options.metrics) || options.metrics.length === 0) fail(`'metrics' must list at least one { name, query }`);
  const seen = new Set<string>();
  const hourlyOn = options.hourly ?? true;
  const dailyOn = options.daily ?? true;
  return options.metrics.map((m, index) => {
    const where = `metrics[${index}]${typeof m?.name === 'string' ? ` ('${m.name}')` : ''}`;
    if (typeof m?.name !== 'string' || m.name.trim() === '') fail(`${where}: 'name' must be a non-empty metric name template`);
    if (typeof m.query !== 'string' || m.query.trim() === '') fail(`${where}: 'query' must be a non-empty PromQL expression`);
    if (m.dailyQuery !== undefined && (typeof m.dailyQuery !== 'string' || !m.dailyQuery.includes(RANGE))) {
      fail(`${where}: 'dailyQuery' must contain ${RANGE} (replaced by the local day's length, e.g. 23h on a DST day)`);
    }
    if (m.combine !== undefined && m.combine !== 'sum' && m.combine !== 'error') fail(`${where}: 'combine' must be "sum" or "error" (got ${JSON.stringify(m.combine)})`);
    if (seen.has(m.name)) fail(`${where}: the name template '${m.name}' is used twice`);
    seen.add(m.name);
    let parts: TemplatePart[] = [];
    try {
      parts = parseTemplate(m.name);
    } catch (error) {
      fail(`${where}: bad name template: ${(error as Error).message}`);
    }
    const daily = m.dailyQuery ?? (m.query.includes(RANGE) ? m.query : undefined);
    const entry: Entry = {
      name: m.name,
      index,
      parts,
      combine: m.combine ?? 'error',
      ...((m.hourly ?? true) && hourlyOn ? { hourly: m.query } : {}),
      ...((m.daily ?? true) && dailyOn && daily !== undefined ? { daily } : {}),
    };
    if (m.hourly === false && (m.daily === false || daily === undefined)) {
      fail(`${where}: produces nothing: 'hourly' is false and there is no daily query (a 'dailyQuery', or ${RANGE} in 'query')`);
    }
    return entry;
  });
}

async function runPlan(client: PrometheusClient, q: QueryContext, plan: QueryPlan): Promise<PromSeries[]> {
  let result: PrometheusQueryResult;
  try {
    result = plan.stepMs > 0 ? await client.rangeQuery(q.query, plan.start, plan.end, plan.stepMs / 1000) : await client.instantQuery(q.query, plan.start);
  } catch (error) {
    throw prometheusError(q, client, error);
  }
  try {
    return seriesOf(result);
  } catch (error) {
    throw prometheusError(q, client, error);
  }
}

export function prometheusReader(options: PrometheusReaderOptions): SourceNode<MetricRow> {
  const entries = compileEntries(options);
  const service = options.service ?? DEFAULT_PROMETHEUS_SERVICE;
  const { window } = options;
  return source(async function* read(ctx) {
    const client = ctx.service<PrometheusClient>(service);
    const grains: Array<[Grain, Collector]> = [
      ['hourly', new Collector(ctx, 'hourly', hourBuckets(window, true))],
      ['daily', new Collector(ctx, 'daily', dayBuckets(window))],
    ];
    for (const [grain, collector] of grains) {
      for (const entry of entries) {
        const query = entry[grain];
        // An hour partition writes hourly values only: its day's values are not asked for.
        if (query === undefined || (grain === 'daily' && window.hourlyOnly === true)) continue;
        const usesRange = query.includes(RANGE);
        const buckets = grain === 'hourly' ? hourBuckets(window, usesRange) : dayBuckets(window);
        for (const plan of planQueries(evaluations(buckets, window.now, usesRange))) {
          if (ctx.signal.aborted) throw new UnrecoverableError(`reader '${READER}': cancelled`);
          const q: QueryContext = { reader: READER, service, entry: entry.name, grain, query: query.replaceAll(RANGE, plan.range) };
          for (const series of await runPlan(client, q, plan)) collector.add(entry, series, plan);
        }
      }
      yield* collector.output();
    }
  }, `prometheus (${service})`);
}
