// The configuration file's schema (zod): every key checked, unknown keys rejected, errors name the key.
import { z } from 'zod';
import { isValidTimeZone } from '../metrics/time.js';

const name = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "lower-case letters, digits, '_' or '-'");
const timeZone = z.string().refine(isValidTimeZone, { message: 'not an IANA time zone (e.g. UTC, Europe/Paris)' });

/** A source PostgreSQL database: a URL, or the embedded demo website (PGlite). */
export const sourceSchema = z.union([
  z.strictObject({ url: z.string().min(1) }),
  z.strictObject({ demo: z.literal(true), dir: z.string().optional() }),
]);

const readerBase = { enabled: z.boolean().optional() };
const sourceRef = { source: name.optional() };

export const objectsSchema = z.strictObject({
  ...readerBase,
  ...sourceRef,
  tables: z
    .array(z.strictObject({ name, table: z.string().min(1), where: z.string().optional(), params: z.array(z.unknown()).optional() }))
    .min(1),
});

export const spidersSchema = z.strictObject({
  ...readerBase,
  ...sourceRef,
  table: z.string().min(1).optional(),
  columns: z.strictObject({ worker: z.string().optional(), status: z.string().optional(), time: z.string().optional() }).optional(),
  query: z.string().min(1).optional(),
  minutes: z.number().int().positive().optional(),
  activeStatuses: z.array(z.string()).optional(),
  idleStatuses: z.array(z.string()).optional(),
});

export const eventsSchema = z.strictObject({
  ...readerBase,
  ...sourceRef,
  table: z.string().min(1).optional(),
  columns: z
    .strictObject({ time: z.string().optional(), event: z.string().optional(), user: z.string().optional(), duration: z.string().optional() })
    .optional(),
  events: z.array(z.string()).optional(),
  timedEvents: z.array(z.string()).optional(),
  hourly: z.boolean().optional(),
  daily: z.boolean().optional(),
  settleHours: z.number().int().min(0).optional(),
});

export const prometheusSchema = z.strictObject({
  ...readerBase,
  /** Base URL of the server; credentials in it (user:password@) are sent as basic auth, never printed. */
  url: z.url({ protocol: /^https?$/ }),
  bearerToken: z.string().min(1).optional(),
  timeoutMs: z.number().int().positive().optional(),
  hourly: z.boolean().optional(),
  daily: z.boolean().optional(),
  metrics: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        query: z.string().min(1),
        dailyQuery: z.string().includes('{range}', { message: "must contain '{range}' (the local day's length)" }).optional(),
        hourly: z.boolean().optional(),
        daily: z.boolean().optional(),
      }),
    )
    .min(1),
});

export const googleAnalyticsSchema = z.strictObject({
  ...readerBase,
  /** GA4 property id ('123456789'); its time zone must be the configured timeZone. */
  propertyId: z.string().regex(/^(properties\/)?\d+$/, "a GA4 property id such as '123456789'"),
  /** GA4 metric API name -> our metric name. */
  metrics: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_:]*$/, 'a GA4 metric API name'), z.string().min(1)),
  /** Service-account JSON key file (production). */
  keyFile: z.string().min(1).optional(),
  /** A ready OAuth access token instead of a key file (e.g. from `gcloud auth print-access-token`). */
  accessToken: z.string().min(1).optional(),
  /** API origin (default Google's); for a proxy or a stand-in. */
  rootUrl: z.url({ protocol: /^https?$/ }).optional(),
  hourly: z.boolean().optional(),
  daily: z.boolean().optional(),
  pageSize: z.number().int().positive().max(250_000).optional(),
});

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  /** IANA zone of the dates and hours in the metrics database (env ETL_TIMEZONE wins). */
  timeZone: timeZone.optional(),
  metricsDatabase: z
    .strictObject({ url: z.string().min(1).optional(), dataDir: z.string().min(1).optional(), schema: z.string().min(1).optional() })
    .optional(),
  retention: z.strictObject({ hourlyDays: z.number().int().positive().optional(), runDays: z.number().int().positive().optional() }).optional(),
  sources: z.record(name, sourceSchema).optional(),
  readers: z
    .strictObject({
      objects: objectsSchema.optional(),
      spiders: spidersSchema.optional(),
      events: eventsSchema.optional(),
      prometheus: prometheusSchema.optional(),
      googleAnalytics: googleAnalyticsSchema.optional(),
    })
    .optional(),
  /** Compiled job modules to load (paths relative to the config file). */
  jobs: z.array(z.string().min(1)).optional(),
});

export type FileConfig = z.infer<typeof configSchema>;
export type SourceConfig = z.infer<typeof sourceSchema>;
export type ReadersConfig = NonNullable<FileConfig['readers']>;
