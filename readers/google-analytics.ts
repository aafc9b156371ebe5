// google-analytics reader: GA4 Data API v1beta runReport -> daily (by `date`) and hourly (by `dateHour`) values.
//
// Each GA metric in `metrics` (e.g. { activeUsers: 'ga.active_users', sessions: 'ga.sessions' }) becomes one
// of our metrics. GA computes every grain itself: a daily activeUsers is GA's count of distinct users over the
// day, not a sum of hours, so daily and hourly values come from separate reports.
//
// Time: GA reports `date` (YYYYMMDD) and `dateHour` (YYYYMMDDHH) in the PROPERTY's time zone, and takes
// `dateRanges` as YYYY-MM-DD dates in that zone. The reader assumes the property's zone is the window's zone
// (ETL_TIMEZONE), and checks it: when GA's `metadata.timeZone` names another zone, the reader fails (values
// would land on the wrong local days). With that, a value belongs to the local day `{date}` or the local hour
// `{date, hour}` GA reports it under, as is.
//   - Daily rows: one report over dateRanges [window.days.from, window.days.to], dimension `date`.
//   - Hourly rows: one report over the local dates the window's hours touch, dimension `dateHour`, keeping
//     only the local hours of the window (GA reports the repeated hour of a fall-back day as one hour).
//   - GA leaves out rows whose metrics are all zero (and recent hours it has not processed yet): such
//     buckets get no value, not 0. The current day and hour are partial and change until GA has processed
//     them; re-reading (the default current window, or a backfill) overwrites them.
// Values are parsed by their declared metricHeaders type: TYPE_INTEGER must be an integer; durations
// (TYPE_SECONDS, TYPE_MILLISECONDS, TYPE_MINUTES, TYPE_HOURS) are converted to SECONDS; TYPE_FLOAT,
// TYPE_STANDARD, TYPE_CURRENCY and distance types are taken as they are. A value that does not parse is a
// row error (the bucket keeps its other values). Two values for one metric and bucket (two report rows for
// one date or hour) are a row error naming both, and neither is written: GA's figures (distinct users) do not
// add up, and keeping either would be a guess.
// Paging: `pageSize` rows per request (default 100,000, GA's maximum 250,000), offset by offset until
// `rowCount` rows are read; at most 10 metrics per request (GA's limit), more are split into several reports.
// A source with history: any past window can be read (backfill), within GA's data retention.
// The client is the service `service` (default 'googleAnalytics'), made by createAnalyticsClient({ keyFile })
// from ./google-analytics-client.js (service-account key file, retries on 429/5xx).
// Failures stop the reader with a GoogleAnalyticsError naming the reader, the property, the HTTP status and
// GA's own message; tokens and keys never appear in messages.
import { DeadlineError, withDeadline } from '../graph/deadline.js';
import { formatDuration } from '../graph/duration.js';
import { DEFAULT_GA_TIMEOUT_MS, DEFAULT_PAGE_SIZE, googleAnalyticsOptions, MAX_PAGE_SIZE } from './google-analytics-options.js';
import { ConfigError, UnrecoverableError } from '../graph/errors.js';
import { source, type NodeContext, type SourceNode } from '../graph/node.js';
import { distinctLocalHours } from '../metrics/local-hours.js';
import type { MetricDims, MetricRow } from '../metrics/row.js';
import { toDateHour } from '../metrics/time.js';
import { windowDates, type ReadWindow } from '../metrics/window.js';
import { DEFAULT_ANALYTICS_SERVICE, type AnalyticsDataClient, type GaRunReportRequest, type GaRunReportResponse } from './google-analytics-port.js';
import { googleAnalyticsError, GoogleAnalyticsError, type GaCallContext } from './google-analytics-errors.js';
import { parseGaDate, parseGaDateHour, parseMetricValue } from './google-analytics-values.js';
import { ReaderError } from './reader-errors.js';

// The client factory lives in ./google-analytics-client.js (it loads googleapis, ~1 s): import it where services are wired.
export { DEFAULT_ANALYTICS_SERVICE, type AnalyticsDataClient } from './google-analytics-port.js';
export { DEFAULT_GA_TIMEOUT_MS, MAX_PAGE_SIZE } from './google-analytics-options.js';
export { GoogleAnalyticsError } from './google-analytics-errors.js';

export interface GoogleAnalyticsReaderOptions {
  readonly window: ReadWindow;
  /** GA4 property id: '123456789' (or 'properties/123456789'). Its time zone must be the window's. */
  readonly propertyId: string;
  /** GA4 metric (API name) -> our metric name: { activeUsers: 'ga.active_users', sessions: 'ga.sessions' }. */
  readonly metrics: Readonly<Record<string, string>>;
  /** Service name of the client, an AnalyticsDataClient (default 'googleAnalytics'). */
  readonly service?: string;
  /** Produce hourly rows from `dateHour` (default true). */
  readonly hourly?: boolean;
  /** Produce daily rows from `date` (default true). */
  readonly daily?: boolean;
  /** Rows per runReport page (default 100,000; at most 250,000). */
  readonly pageSize?: number;
  /** How long one runReport call may take, authentication and retries included, in ms (default 60 s). */
  readonly timeoutMs?: number;
}


type Grain = 'hourly' | 'daily';

const READER = 'google-analytics';
const MAX_METRICS_PER_REPORT = 10;

function canonicalZone(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return timeZone;
  }
}

/** The options' rules are the schema's (google-analytics-options.ts): a ConfigError names the first broken one. */
function checkOptions(options: GoogleAnalyticsReaderOptions): { property: string; metrics: Array<[string, string]>; pageSize: number } {
  const checked = googleAnalyticsOptions.pick({ propertyId: true, metrics: true, pageSize: true }).safeParse({
    propertyId: options.propertyId,
    metrics: options.metrics ?? {},
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
  });
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new ConfigError(`google-analytics reader: ${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  const { propertyId, metrics, pageSize } = checked.data;
  return { property: propertyId.replace(/^properties\//, ''), metrics: Object.entries(metrics), pageSize: pageSize ?? DEFAULT_PAGE_SIZE };
}

const dimsKey = (dims: MetricDims): string => (dims.hour === undefined ? dims.date : `${dims.date}|${dims.hour}`);

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Sets one value of a bucket. A second value for the same metric and bucket (GA answering one date or hour in
 * two rows) is never added (GA's figures, distinct users above all, do not add up) nor kept over the first:
 * a row error names both values and the metric is left out of that bucket.
 */
function putValue(
  bucket: { readonly dims: MetricDims; readonly metrics: Record<string, number> },
  ours: string,
  value: number,
  at: { readonly property: string; readonly ga: string; readonly row: unknown; readonly problem: (message: string, row: unknown) => void; readonly clashed: Set<string> },
): void {
  const key = `${dimsKey(bucket.dims)}|${ours}`;
  if (at.clashed.has(key)) return;
  const earlier = bucket.metrics[ours];
  if (earlier === undefined) {
    bucket.metrics[ours] = value;
    return;
  }
  at.clashed.add(key);
  delete bucket.metrics[ours];
  at.problem(`property ${at.property}: ${ours} (${at.ga}) on ${dimsKey(bucket.dims)} has two values, ${earlier} and ${value} (two report rows for one bucket): GA's figures do not add up; left out`, at.row);
}

export function googleAnalyticsReader(options: GoogleAnalyticsReaderOptions): SourceNode<MetricRow> {
  const { property, metrics, pageSize } = checkOptions(options);
  const service = options.service ?? DEFAULT_ANALYTICS_SERVICE;
  const { window } = options;
  const names = new Map(metrics);
  const call: GaCallContext = { reader: READER, service, property };
  const timeoutMs = options.timeoutMs ?? DEFAULT_GA_TIMEOUT_MS;

  /** Every page of one report; checks the property's time zone on the first page. */
  async function* pages(client: AnalyticsDataClient, ctx: NodeContext, request: GaRunReportRequest): AsyncGenerator<GaRunReportResponse> {
    for (let offset = 0; ; ) {
      if (ctx.signal.aborted) throw new UnrecoverableError(`reader '${READER}': cancelled`);
      let data: GaRunReportResponse;
      try {
        const body = { ...request, limit: String(pageSize), offset: String(offset) };
        ({ data } = await withDeadline(timeoutMs, ctx.signal, (signal) => client.properties.runReport({ property: `properties/${property}`, requestBody: body }, { signal })));
      } catch (error) {
        if (error instanceof DeadlineError) {
          throw new GoogleAnalyticsError(READER, `reader '${READER}': no answer from the GA4 Data API within ${formatDuration(timeoutMs)} (property ${property}, service '${service}'; readers.googleAnalytics.timeout)`);
        }
        throw googleAnalyticsError(call, client, error);
      }
      const zone = data.metadata?.timeZone;
      if (offset === 0 && typeof zone === 'string' && zone !== '' && canonicalZone(zone) !== canonicalZone(window.timeZone)) {
        throw new GoogleAnalyticsError(
          READER,
          `reader '${READER}': property ${property} reports in time zone '${zone}', but the read window is in '${window.timeZone}': GA's dates and hours would land on the wrong local days; make the property's time zone and ETL_TIMEZONE the same`,
        );
      }
      yield data;
      const rows = data.rows?.length ?? 0;
      offset += rows;
      if (rows === 0 || offset >= (data.rowCount ?? 0)) return;
    }
  }

  async function readGrain(grain: Grain, client: AnalyticsDataClient, ctx: NodeContext): Promise<MetricRow[]> {
    const dimension = grain === 'hourly' ? 'dateHour' : 'date';
    const dates = grain === 'hourly' ? { from: toDateHour(window.hours.from, window.timeZone).date, to: toDateHour(window.hours.to - 1, window.timeZone).date } : window.days;
    const hours = grain === 'hourly' ? distinctLocalHours(window.hours, window.timeZone) : undefined;
    if (hours !== undefined && hours.length === 0) return [];
    const buckets: Array<{ dims: MetricDims; metrics: Record<string, number> }> = (hours ?? windowDates(window).map((date) => ({ date }))).map((dims) => ({ dims, metrics: {} }));
    const byKey = new Map(buckets.map((b) => [dimsKey(b.dims), b]));
    const problem = (message: string, row: unknown): void => ctx.reportError(new ReaderError(READER, `reader '${READER}': ${message}`), row);
    const clashed = new Set<string>();

    for (const group of chunks(metrics, MAX_METRICS_PER_REPORT)) {
      const request: GaRunReportRequest = {
        dateRanges: [{ startDate: dates.from, endDate: dates.to }],
        dimensions: [{ name: dimension }],
        metrics: group.map(([name]) => ({ name })),
        orderBys: [{ dimension: { dimensionName: dimension } }],
      };
      for await (const page of pages(client, ctx, request)) {
        const headers = (page.metricHeaders ?? []).map((h) => ({ ga: h.name ?? '', type: h.type ?? undefined, ours: names.get(h.name ?? '') }));
        for (const row of page.rows ?? []) {
          const raw = row.dimensionValues?.[0]?.value;
          const dims = grain === 'hourly' ? parseGaDateHour(raw) : parseGaDate(raw);
          if (dims === undefined) {
            problem(`property ${property}: unexpected ${dimension} value ${JSON.stringify(raw)}; row skipped`, row);
            continue;
          }
          const bucket = byKey.get(dimsKey(typeof dims === 'string' ? { date: dims } : dims));
          if (bucket === undefined) continue; // A local hour of the report's dates outside the window.
          headers.forEach((header, i) => {
            if (header.ours === undefined) return;
            const text = row.metricValues?.[i]?.value;
            const value = parseMetricValue(text, header.type);
            if (value === undefined) {
              problem(`property ${property}: ${header.ga} = ${JSON.stringify(text)} on ${dimsKey(bucket.dims)} is not a ${header.type ?? 'number'}; value skipped`, row);
              return;
            }
            putValue(bucket, header.ours, value, { property, ga: header.ga, row, problem, clashed });
          });
        }
      }
    }
    return buckets.filter((b) => Object.keys(b.metrics).length > 0);
  }

  return source(async function* read(ctx) {
    const client = ctx.service<AnalyticsDataClient>(service);
    if (options.hourly ?? true) yield* await readGrain('hourly', client, ctx);
    // An hour partition writes hourly values only: no daily report (quota) for it.
    if ((options.daily ?? true) && window.hourlyOnly !== true) yield* await readGrain('daily', client, ctx);
  }, `google analytics (property ${property})`);
}
