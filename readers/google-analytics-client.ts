// The GA4 Data API client factory (googleapis, service-account key file); kept apart so the reader loads no googleapis.
import { google, type analyticsdata_v1beta } from 'googleapis';
import type { AnalyticsDataClient } from './google-analytics-port.js';

/** Read-only scope the service account needs (Viewer on the property). */
export const ANALYTICS_READONLY_SCOPE = 'https://www.googleapis.com/auth/analytics.readonly';

/** Credentials googleapis accepts: a GoogleAuth, an OAuth2 client (tests: fixed access token), ... */
export type AnalyticsAuth = NonNullable<analyticsdata_v1beta.Options['auth']>;

export interface AnalyticsClientOptions {
  /** Service-account JSON key file (production). Without it nor `auth`: Application Default Credentials. */
  readonly keyFile?: string;
  /** Ready-made credentials instead of a key file (tests: an OAuth2 client with setCredentials). */
  readonly auth?: AnalyticsAuth;
  /** API origin, e.g. http://127.0.0.1:PORT/ for a stand-in (default https://analyticsdata.googleapis.com/). */
  readonly rootUrl?: string;
  /** Retries of a runReport on 429, 5xx and network errors, with backoff (default 2; 0 disables). */
  readonly retries?: number;
  /** Per-request timeout in ms (default 60 s). */
  readonly timeoutMs?: number;
}

/** A GA4 Data API v1beta client (googleapis), authenticated with a service-account key file or `auth`. */
export function createAnalyticsClient(options: AnalyticsClientOptions = {}): AnalyticsDataClient {
  const auth: AnalyticsAuth = options.auth ?? new google.auth.GoogleAuth({ ...(options.keyFile !== undefined ? { keyFile: options.keyFile } : {}), scopes: [ANALYTICS_READONLY_SCOPE] });
  const retries = options.retries ?? 2;
  if (!(Number.isInteger(retries) && retries >= 0)) throw new TypeError(`google analytics: 'retries' must be a non-negative integer (got ${String(options.retries)})`);
  let rootUrl: string | undefined;
  if (options.rootUrl !== undefined) {
    const url = new URL(options.rootUrl);
    rootUrl = `${url.origin}/`;
  }
  const client: analyticsdata_v1beta.Analyticsdata = google.analyticsdata({
    version: 'v1beta',
    auth,
    ...(rootUrl !== undefined ? { rootUrl } : {}),
    timeout: options.timeoutMs ?? 60_000,
    retry: retries > 0,
    retryConfig: { retry: retries, noResponseRetries: retries, httpMethodsToRetry: ['POST'], statusCodesToRetry: [[429, 429], [500, 599]] },
  });
  return client;
}
