// Test helper: an HTTP stand-in for GA4's `POST /v1beta/properties/{id}:runReport`, with GA-shaped bodies and errors.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** GA4 metric types (MetricType in the Data API). */
export type GaMetricType =
  | 'TYPE_INTEGER'
  | 'TYPE_FLOAT'
  | 'TYPE_SECONDS'
  | 'TYPE_MILLISECONDS'
  | 'TYPE_MINUTES'
  | 'TYPE_HOURS'
  | 'TYPE_STANDARD'
  | 'TYPE_CURRENCY'
  | 'TYPE_FEET'
  | 'TYPE_MILES'
  | 'TYPE_METERS'
  | 'TYPE_KILOMETERS';

/** Values of one dimension value: metric name -> value (numbers are sent as GA sends them: strings). */
export type GaValues = Readonly<Record<string, number | string>>;

export interface GaDataset {
  /** Rows by `date` value (YYYYMMDD). */
  readonly date?: Readonly<Record<string, GaValues>>;
  /** Rows by `dateHour` value (YYYYMMDDHH). */
  readonly dateHour?: Readonly<Record<string, GaValues>>;
}

export interface GaStandInOptions {
  /** Numeric property id the stand-in serves; other properties get 403 PERMISSION_DENIED. */
  readonly property: string;
  /** The bearer token every request must carry; otherwise 401 UNAUTHENTICATED. */
  readonly accessToken: string;
  /** Metrics the property knows, with their types; others get 400 INVALID_ARGUMENT. */
  readonly metricTypes: Readonly<Record<string, GaMetricType>>;
  readonly data: GaDataset;
  /** The property's time zone, reported in `metadata.timeZone` (default 'UTC'). */
  readonly timeZone?: string;
}

/** One request the stand-in received (after the auth check). */
export interface GaRecordedRequest {
  readonly property: string;
  readonly body: RunReportBody;
}

interface RunReportBody {
  readonly dateRanges?: Array<{ startDate?: string; endDate?: string }>;
  readonly dimensions?: Array<{ name?: string }>;
  readonly metrics?: Array<{ name?: string }>;
  readonly limit?: string | number;
  readonly offset?: string | number;
  readonly orderBys?: Array<{ dimension?: { dimensionName?: string }; desc?: boolean }>;
  readonly keepEmptyRows?: boolean;
}

export interface GaStandIn {
  /** Origin to give the client as `rootUrl`, with a trailing slash: http://127.0.0.1:PORT/ */
  readonly rootUrl: string;
  readonly requests: GaRecordedRequest[];
  /** The next `times` requests (default: all) fail with this HTTP status and a GA error body; null heals. */
  failWith(status: 403 | 429 | 500 | 503 | null, times?: number): void;
  close(): Promise<void>;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export const GA_MESSAGES = {
  unauthenticated:
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  permissionDenied: 'User does not have sufficient permissions for this property. To learn more about Property ID, see https://developers.google.com/analytics/devguides/reporting/data/v1/property-id.',
  unavailable: 'The service is currently unavailable.',
  exhausted: 'Exhausted concurrent requests quota for this property.',
  internal: 'Internal error encountered.',
} as const;

class GaFault extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_LIMIT = 250_000;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, message: string): void {
  send(res, status, { error: { code: status, message, status: STATUS_NAMES[status] ?? 'UNKNOWN' } });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function toInteger(value: string | number | undefined, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 0) throw new GaFault(400, `Invalid value at '${field}' (TYPE_INT64), "${String(value)}"`);
  return n;
}

/** Checks a runReport body the way GA does for the parts we use; returns what the report needs. */
function checkBody(body: RunReportBody, options: GaStandInOptions): { dimension: 'date' | 'dateHour'; metrics: string[]; ranges: Array<[string, string]>; limit: number; offset: number } {
  const ranges = body.dateRanges ?? [];
  if (ranges.length === 0) throw new GaFault(400, 'Must specify at least one date range.');
  const parsed: Array<[string, string]> = [];
  for (const r of ranges) {
    if (!r.startDate || !DATE_RE.test(r.startDate)) throw new GaFault(400, `Invalid startDate: ${String(r.startDate)}. The value should be in the format YYYY-MM-DD.`);
    if (!r.endDate || !DATE_RE.test(r.endDate)) throw new GaFault(400, `Invalid endDate: ${String(r.endDate)}. The value should be in the format YYYY-MM-DD.`);
    if (r.startDate > r.endDate) throw new GaFault(400, `The dateRange with startDate ${r.startDate} and endDate ${r.endDate} is invalid. startDate must be before or equal to endDate.`);
    parsed.push([r.startDate.replaceAll('-', ''), r.endDate.replaceAll('-', '')]);
  }
  const dims = (body.dimensions ?? []).map((d) => d.name ?? '');
  if (dims.length !== 1 || (dims[0] !== 'date' && dims[0] !== 'dateHour')) {
    const bad = dims.find((d) => d !== 'date' && d !== 'dateHour');
    throw new GaFault(400, bad !== undefined ? `Field ${bad} is not a valid dimension. For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema` : 'This stand-in serves exactly one dimension: date or dateHour.');
  }
  const metrics = (body.metrics ?? []).map((m) => m.name ?? '');
  if (metrics.length === 0) throw new GaFault(400, 'Must specify at least one metric.');
  if (metrics.length > 10) throw new GaFault(400, `Requests are limited to 10 metrics within a request. This request has ${metrics.length} metrics.`);
  for (const m of metrics) {
    if (!Object.hasOwn(options.metricTypes, m)) {
      throw new GaFault(400, `Field ${m} is not a valid metric. For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema`);
    }
  }
  const limit = toInteger(body.limit, 'limit', 10_000);
  if (limit > MAX_LIMIT) throw new GaFault(400, `limit ${limit} must be at most ${MAX_LIMIT}.`);
  return { dimension: dims[0] as 'date' | 'dateHour', metrics, ranges: parsed, limit: limit === 0 ? 10_000 : limit, offset: toInteger(body.offset, 'offset', 0) };
}

function formatValue(value: number | string, type: GaMetricType): string {
  if (typeof value === 'string') return value;
  return type === 'TYPE_INTEGER' ? String(Math.round(value)) : String(value);
}

/** Starts the stand-in on a free 127.0.0.1 port. */
export async function startGaStandIn(options: GaStandInOptions): Promise<GaStandIn> {
  const requests: GaRecordedRequest[] = [];
  let fault: { status: number; remaining: number } | null = null;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const match = /^\/v1beta\/properties\/([^/:]+):runReport$/.exec(url.pathname);
    if (req.method !== 'POST' || match === null) {
      sendError(res, 404, `Method not found: ${req.method ?? ''} ${url.pathname}`);
      return;
    }
    if (req.headers.authorization !== `Bearer ${options.accessToken}`) {
      sendError(res, 401, GA_MESSAGES.unauthenticated);
      return;
    }
    const property = decodeURIComponent(match[1]!);
    let body: RunReportBody;
    try {
      body = JSON.parse((await readBody(req)) || '{}') as RunReportBody;
    } catch {
      sendError(res, 400, 'Invalid JSON payload received.');
      return;
    }
    requests.push({ property, body });
    if (fault !== null) {
      const { status } = fault;
      fault.remaining -= 1;
      if (fault.remaining <= 0) fault = null;
      const message = status === 403 ? GA_MESSAGES.permissionDenied : status === 429 ? GA_MESSAGES.exhausted : status === 500 ? GA_MESSAGES.internal : GA_MESSAGES.unavailable;
      sendError(res, status, message);
      return;
    }
    if (property !== options.property) {
      sendError(res, 403, GA_MESSAGES.permissionDenied);
      return;
    }
    try {
      const q = checkBody(body, options);
      const source = options.data[q.dimension] ?? {};
      const inRange = (key: string): boolean => q.ranges.some(([from, to]) => key.slice(0, 8) >= from && key.slice(0, 8) <= to);
      let keys = Object.keys(source).filter(inRange);
      const order = body.orderBys?.[0];
      if (order?.dimension?.dimensionName === q.dimension) {
        keys.sort();
        if (order.desc) keys.reverse();
      }
      // Rows whose metrics are all zero are left out, as GA does unless keepEmptyRows is set.
      if (!body.keepEmptyRows) keys = keys.filter((k) => q.metrics.some((m) => Number(source[k]![m] ?? 0) !== 0));
      const page = keys.slice(q.offset, q.offset + q.limit);
      const response: Record<string, unknown> = {
        dimensionHeaders: [{ name: q.dimension }],
        metricHeaders: q.metrics.map((name) => ({ name, type: options.metricTypes[name] })),
        metadata: { currencyCode: 'EUR', timeZone: options.timeZone ?? 'UTC' },
        kind: 'analyticsData#runReport',
      };
      if (page.length > 0) {
        response.rows = page.map((k) => ({
          dimensionValues: [{ value: k }],
          metricValues: q.metrics.map((m) => ({ value: formatValue(source[k]![m] ?? 0, options.metricTypes[m]!) })),
        }));
      }
      if (keys.length > 0) response.rowCount = keys.length;
      send(res, 200, response);
    } catch (error) {
      if (error instanceof GaFault) sendError(res, error.status, error.message);
      else sendError(res, 500, GA_MESSAGES.internal);
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => sendError(res, 500, GA_MESSAGES.internal));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    rootUrl: `http://127.0.0.1:${port}/`,
    requests,
    failWith(status, times = Number.POSITIVE_INFINITY) {
      fault = status === null ? null : { status, remaining: times };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
