// GA4 Data API failures as typed reader errors: GA's own message and status, never a token or a key.
import { MASK, maskText, replaceSecrets } from '../secrets/mask.js';
import { ReaderError } from './reader-errors.js';

/** A runReport failed: GA answered with an error (403, 429, 503, ...), or could not be reached. */
export class GoogleAnalyticsError extends ReaderError {
  override readonly name: string = 'GoogleAnalyticsError';
  constructor(
    reader: string,
    message: string,
    /** HTTP status of GA's answer; undefined when there was none. */
    readonly httpStatus?: number,
    /** GA's status ('PERMISSION_DENIED', 'UNAVAILABLE', ...) or the network error code ('ECONNREFUSED'). */
    readonly code?: string,
  ) {
    super(reader, message);
  }
}

/** What a GaxiosError carries that we read (the request config, with its Authorization header, is not read). */
interface GaxiosLike {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly status?: unknown;
  readonly response?: { readonly status?: unknown; readonly data?: unknown };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ABORT_ERR']);

/** Removes bearer tokens, access-token parameters, private keys and the given secrets from a message. */
export function scrubGaSecrets(text: string, secrets: readonly string[] = []): string {
  const out = maskText(text)
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${MASK}`)
    .replace(/((?:access|refresh|id)_token["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi, `$1${MASK}`)
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[private key]');
  // Shorter strings would mask ordinary words of GA's message.
  return replaceSecrets(out, secrets.filter((secret) => secret.length >= 8));
}

/** The access token of the client's credentials when it holds one (OAuth2 clients), to scrub from messages. */
export function analyticsSecrets(client: unknown): string[] {
  const auth = (client as { context?: { _options?: { auth?: { credentials?: { access_token?: unknown; refresh_token?: unknown } } } } } | null)?.context?._options?.auth;
  const credentials = auth?.credentials;
  return [credentials?.access_token, credentials?.refresh_token].filter((s): s is string => typeof s === 'string' && s !== '');
}

export interface GaCallContext {
  readonly reader: string;
  readonly service: string;
  readonly property: string;
}

/** Wraps anything runReport rejected with into a GoogleAnalyticsError naming the reader and the property. */
export function googleAnalyticsError(ctx: GaCallContext, client: unknown, error: unknown): GoogleAnalyticsError {
  const e = (error ?? {}) as GaxiosLike;
  const body = (e.response?.data ?? undefined) as { error?: { message?: unknown; status?: unknown } } | undefined;
  const httpStatus = typeof e.response?.status === 'number' ? e.response.status : typeof e.status === 'number' ? e.status : undefined;
  const gaStatus = typeof body?.error?.status === 'string' ? body.error.status : undefined;
  const gaMessage = typeof body?.error?.message === 'string' ? body.error.message : undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const text = gaMessage ?? (typeof e.message === 'string' && e.message !== '' ? e.message : String(error));
  const where = `property ${ctx.property}, service '${ctx.service}'`;
  let message: string;
  if (httpStatus !== undefined) {
    message = `runReport failed (${where}): HTTP ${httpStatus}${gaStatus !== undefined ? ` ${gaStatus}` : ''}: ${text}`;
  } else if (code !== undefined && NETWORK_CODES.has(code)) {
    message = `cannot reach the GA4 Data API (${where}): ${text}`;
  } else {
    message = `runReport failed (${where}): ${text}`;
  }
  return new GoogleAnalyticsError(ctx.reader, scrubGaSecrets(`reader '${ctx.reader}': ${message}`, analyticsSecrets(client)), httpStatus, gaStatus ?? code);
}
