// The Prometheus port the reader uses (a prometheus-query PrometheusDriver satisfies it) and its factory.
import { createRequire } from 'node:module';
import type { PrometheusDriver } from 'prometheus-query';
import { basicAuthSecrets } from '../secrets/mask.js';

/** prometheus-query (and axios under it) takes ~80 ms to load: loaded on the first client, not with the reader. */
let driverClass: typeof PrometheusDriver | undefined;
function loadDriver(): typeof PrometheusDriver {
  driverClass ??= (createRequire(import.meta.url)('prometheus-query') as { PrometheusDriver: typeof PrometheusDriver }).PrometheusDriver;
  return driverClass;
}

/** Default service name of the Prometheus client. */
export const DEFAULT_PROMETHEUS_SERVICE = 'prometheus';
/** One query's timeout, in milliseconds, by default. */
export const DEFAULT_PROMETHEUS_TIMEOUT_MS = 30_000;

/** What the driver resolves to: `matrix` (range queries), `vector` or `scalar` (instant queries). */
export interface PrometheusQueryResult {
  readonly resultType: string;
  readonly result: unknown;
}

/** The subset of prometheus-query's PrometheusDriver the reader needs. Times are epoch ms; step in seconds. */
export interface PrometheusClient {
  rangeQuery(query: string, start: number, end: number, step: number): Promise<PrometheusQueryResult>;
  instantQuery(query: string, time: number): Promise<PrometheusQueryResult>;
}

export interface PrometheusClientOptions {
  /** Base URL of the server, e.g. http://prometheus:9090 or https://user:pass@host/prometheus. */
  readonly url: string;
  /** Per-request timeout in ms (default 30 s). */
  readonly timeoutMs?: number;
  /** Sent as `Authorization: Bearer <token>` (for servers behind an auth proxy). */
  readonly bearerToken?: string;
}

const INFINITIES: Readonly<Record<string, string>> = { '+Inf': 'Infinity', Inf: 'Infinity', '-Inf': '-Infinity' };

function keepInfinity(sample: unknown): void {
  if (Array.isArray(sample) && typeof sample[1] === 'string' && Object.hasOwn(INFINITIES, sample[1])) sample[1] = INFINITIES[sample[1]];
}

/**
 * prometheus-query parses sample strings with parseFloat, which reads Prometheus' '+Inf' as NaN. Rewriting
 * them to 'Infinity' before it parses keeps infinite values infinite (the reader reports them).
 */
function keepInfinities<R extends { data?: unknown }>(response: R): R {
  const data = (response.data as { data?: { resultType?: unknown; result?: unknown } } | undefined)?.data;
  const result = data?.result;
  if (data?.resultType === 'scalar') keepInfinity(result);
  else if (Array.isArray(result)) {
    for (const item of result as Array<{ values?: unknown; value?: unknown }>) {
      if (Array.isArray(item?.values)) for (const sample of item.values) keepInfinity(sample);
      keepInfinity(item?.value);
    }
  }
  return response;
}

/**
 * A PrometheusDriver for `url`. Credentials in the URL become basic auth and leave the endpoint, so the
 * endpoint (which error messages show) never holds a password. Infinite samples stay infinite (see above).
 */
export function createPrometheusClient(options: PrometheusClientOptions): PrometheusDriver {
  const url = new URL(options.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`prometheus: url must be http(s) (got '${url.protocol}')`);
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  const endpoint = url.toString().replace(/\/+$/, '');
  const Driver = loadDriver();
  return new Driver({
    endpoint,
    baseURL: '/api/v1/',
    timeout: options.timeoutMs ?? DEFAULT_PROMETHEUS_TIMEOUT_MS,
    responseInterceptor: { onFulfilled: keepInfinities },
    ...(username !== '' || password !== '' ? { auth: { username, password } } : {}),
    ...(options.bearerToken !== undefined ? { headers: { Authorization: `Bearer ${options.bearerToken}` } } : {}),
  });
}

interface DriverLike {
  readonly options?: { endpoint?: unknown; auth?: { username?: unknown; password?: unknown }; headers?: Record<string, unknown> };
}

/** The URL a client points at, without credentials; undefined when it is not a PrometheusDriver. */
export function describePrometheusTarget(client: unknown): string | undefined {
  const endpoint = (client as DriverLike | null)?.options?.endpoint;
  if (typeof endpoint !== 'string') return undefined;
  try {
    const url = new URL(endpoint);
    url.username = '';
    url.password = '';
    url.search = '';
    return url.toString().replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

/** Secrets a client was configured with (basic-auth password and its header's base64, Authorization header), to scrub from messages. */
export function prometheusSecrets(client: unknown): string[] {
  const options = (client as DriverLike | null)?.options;
  const secrets: string[] = [];
  const { username, password } = options?.auth ?? {};
  if (typeof password === 'string') secrets.push(...basicAuthSecrets(typeof username === 'string' ? username : '', password));
  for (const [name, value] of Object.entries(options?.headers ?? {})) {
    if (name.toLowerCase() === 'authorization' && typeof value === 'string') {
      secrets.push(value);
      const token = value.replace(/^\S+\s+/, '');
      if (token !== '') secrets.push(token);
    }
  }
  return secrets;
}
