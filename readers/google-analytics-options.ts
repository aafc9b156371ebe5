// The google-analytics reader's options: the one place their rules live (the configuration, the
// reader's definition and the reader function itself check them with this schema).
import { z } from 'zod';
import { durationOption } from './option-types.js';

/** Rows per runReport page, at most (the Data API's limit). */
export const MAX_PAGE_SIZE = 250_000;
export const DEFAULT_GA_TIMEOUT_MS = 60_000;
/** Rows per runReport page, by default. */
export const DEFAULT_PAGE_SIZE = 100_000;

export const GA_PROPERTY_ID = /^(properties\/)?\d+$/;
export const GA_METRIC_NAME = /^[A-Za-z][A-Za-z0-9_:]*$/;

export const googleAnalyticsOptions = z.strictObject({
  propertyId: z.string().regex(GA_PROPERTY_ID, "must be a numeric GA4 property id such as '123456789'").meta({ description: 'GA4 property id (\'123456789\'); its time zone must be the configured timeZone' }),
  /** GA4 metric API name -> our metric name (each ours once). */
  metrics: z
    .record(z.string(), z.string().trim().min(1, 'needs a non-empty metric name'))
    .superRefine((m, ctx) => {
      if (Object.keys(m).length === 0) ctx.addIssue({ code: 'custom', message: 'must map at least one GA4 metric to a metric name' });
      const seen = new Set<string>();
      for (const [ga, ours] of Object.entries(m)) {
        if (!GA_METRIC_NAME.test(ga)) ctx.addIssue({ code: 'custom', message: `'${ga}' is not a GA4 metric API name` });
        if (seen.has(ours)) ctx.addIssue({ code: 'custom', message: `metric name '${ours}' is given to two GA4 metrics` });
        seen.add(ours);
      }
    })
    .meta({ description: 'GA4 metric API name -> our metric name, at least one (`{ "activeUsers": "ga.active_users" }`); each of ours once' }),
  keyFile: z.string().min(1).optional().meta({ description: 'service-account JSON key file (production)' }),
  accessToken: z.string().min(1).optional().meta({ description: 'A ready OAuth access token instead of a key file (e.g. from `gcloud auth print-access-token`)' }),
  rootUrl: z.url({ protocol: /^https?$/ }).optional().meta({ description: 'API origin; for a proxy or a stand-in', default: 'Google\'s' }),
  hourly: z.boolean().optional().meta({ description: 'false: no hourly values (the dateHour report)', default: 'true' }),
  daily: z.boolean().optional().meta({ description: 'false: no daily values (the date report)', default: 'true' }),
  pageSize: z.number().int().positive().max(MAX_PAGE_SIZE).optional().meta({ description: `rows per runReport request, at most ${MAX_PAGE_SIZE} (the Data API's limit)`, default: String(DEFAULT_PAGE_SIZE) }),
  timeout: durationOption.default(DEFAULT_GA_TIMEOUT_MS).meta({ description: 'one API request' }),
});

