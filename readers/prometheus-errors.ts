// Prometheus failures as typed reader errors: Prometheus' own error text, the query, the server URL, no secrets.
import { maskText } from '../secrets/mask.js';
import { ReaderError } from './reader-errors.js';
import { describePrometheusTarget, prometheusSecrets } from './prometheus-client.js';

/** A Prometheus query failed: the server answered with an error, or could not be reached. */
export class PrometheusQueryError extends ReaderError {
  override readonly name: string = 'PrometheusQueryError';
  constructor(
    reader: string,
    message: string,
    /** The PromQL sent (placeholders filled). */
    readonly query: string,
    /** Prometheus' errorType ('bad_data', 'execution', 'timeout', ...) or the driver's ('network_error', ...). */
    readonly errorType: string,
    /** HTTP status of the answer; undefined when there was none (unreachable server). */
    readonly httpStatus?: number,
  ) {
    super(reader, message);
  }
}

/** What prometheus-query rejects with: a plain object, not an Error. */
interface DriverRejection {
  readonly errorType?: unknown;
  readonly error?: unknown;
  readonly httpStatus?: unknown;
  readonly code?: unknown;
  readonly prometheus?: { readonly errorType?: unknown; readonly error?: unknown };
  readonly data?: unknown;
  readonly message?: unknown;
}

const NETWORK_TYPES = new Set(['network_error', 'timeout_error', 'ssl_error']);

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export interface QueryContext {
  readonly reader: string;
  readonly service: string;
  /** Which configured entry ran the query, for the message. */
  readonly entry: string;
  readonly grain: 'hourly' | 'daily';
  readonly query: string;
}

/**
 * Turns a rejection of the client (prometheus-query's plain object, or any Error) into a
 * PrometheusQueryError naming the reader, the entry, the server and the query, with Prometheus' own text.
 * The original rejection is not kept as `cause`: it holds the HTTP request, credentials included.
 */
export function prometheusError(ctx: QueryContext, client: unknown, rejection: unknown): PrometheusQueryError {
  const r = (rejection ?? {}) as DriverRejection;
  const target = describePrometheusTarget(client);
  const where = `service '${ctx.service}'${target === undefined ? '' : ` at ${target}`}`;
  const driverType = text(r.errorType);
  const code = text(r.code);
  let errorType = text(r.prometheus?.errorType) ?? driverType ?? 'error';
  const httpStatus = typeof r.httpStatus === 'number' ? r.httpStatus : undefined;
  let message: string;
  if (driverType !== undefined && NETWORK_TYPES.has(driverType)) {
    const cause = text(r.error) ?? code ?? 'network error';
    message = `cannot reach Prometheus (${where}): ${cause}`;
  } else if (rejection instanceof Error && driverType === undefined) {
    errorType = 'client_error';
    message = `query failed (${where}): ${rejection.message}`;
  } else {
    const cause = text(r.prometheus?.error) ?? text(r.error) ?? 'unknown error';
    // Masked before it is cut: a cut secret would no longer be found.
    const detail = driverType === 'client_error' && typeof r.data === 'string' ? `: ${maskText(r.data, prometheusSecrets(client)).slice(0, 200)}` : '';
    message = `query failed (${where}): ${errorType}: ${cause}${detail}${httpStatus === undefined ? '' : ` [HTTP ${httpStatus}]`}`;
  }
  const full = `reader '${ctx.reader}': entry '${ctx.entry}' (${ctx.grain}): ${message}; query: ${ctx.query}`;
  return new PrometheusQueryError(ctx.reader, maskText(full, prometheusSecrets(client)), ctx.query, errorType, httpStatus);
}
