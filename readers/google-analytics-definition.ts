// The google-analytics reader's definition: its options (a GA4 property, metrics, credentials) and its
// client, made here (googleapis takes about a second to load: only when a run needs it).
import { defineReader } from './define-reader.js';
import type { AnalyticsAuth } from './google-analytics-client.js';
import { googleAnalyticsOptions } from './google-analytics-options.js';
import { DEFAULT_ANALYTICS_SERVICE, googleAnalyticsReader } from './google-analytics.js';

export const googleAnalyticsDefinition = defineReader({
  name: 'google-analytics',
  key: 'googleAnalytics',
  description: 'GA4 Data API metrics per local hour (dateHour) and day (date)',
  options: googleAnalyticsOptions,
  history: true,
  enable: 'set readers.googleAnalytics.propertyId, metrics and keyFile in etl.config.json',
  services: ({ keyFile, accessToken, rootUrl, timeout }) => ({
    names: [DEFAULT_ANALYTICS_SERVICE],
    providers: {
      [DEFAULT_ANALYTICS_SERVICE]: {
        create: async () => {
          const { createAnalyticsClient } = await import('./google-analytics-client.js');
          let auth: AnalyticsAuth | undefined;
          if (accessToken !== undefined) {
            const { google } = await import('googleapis');
            const oauth = new google.auth.OAuth2();
            oauth.setCredentials({ access_token: accessToken, expiry_date: Date.now() + 3_600_000 });
            auth = oauth;
          }
          return createAnalyticsClient({ ...(keyFile ? { keyFile } : {}), ...(auth ? { auth } : {}), ...(rootUrl ? { rootUrl } : {}), timeoutMs: timeout });
        },
      },
    },
  }),
  source: ({ propertyId, metrics, pageSize, timeout, hourly, daily }, window) =>
    googleAnalyticsReader({
      window,
      propertyId,
      metrics,
      service: DEFAULT_ANALYTICS_SERVICE,
      timeoutMs: timeout,
      ...(pageSize === undefined ? {} : { pageSize }),
      ...(hourly === undefined ? {} : { hourly }),
      ...(daily === undefined ? {} : { daily }),
    }),
});
