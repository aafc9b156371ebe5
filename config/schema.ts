// The configuration file's schema (zod): every key checked, unknown keys rejected, errors name the key.
import { z } from 'zod';
import { isValidTimeZone } from '../metrics/time.js';
import { cronProblem } from './cron.js';
import { formatDuration, notADuration, tryParseDuration } from './duration.js';

/** Defaults of the timeouts, in milliseconds. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 300_000;
export const DEFAULT_LOCK_WAIT_MS = 60_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
export const DEFAULT_ALERT_TIMEOUT_MS = 5_000;
/** The longest timer Node.js runs (setTimeout fires at once beyond it) and PostgreSQL's statement_timeout limit. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** A value as messages show it: strings quoted, numbers as they are. Never used for URLs (passwords). */
function shown(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}

/** Zod's `error` option: one message, with the bad value, for every check of a field. */
function saying(problem: string): { error: (issue: { readonly input?: unknown }) => string } {
  return { error: (issue) => `${shown(issue.input)} ${problem}` };
}

const name = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "lower-case letters, digits, '_' or '-'");

const zoneProblem = saying('is not an IANA time zone (e.g. UTC, Europe/Paris)');
/** An IANA time zone ('UTC', 'Europe/Paris'). */
export const timeZone = z.string(zoneProblem).refine(isValidTimeZone, zoneProblem);

const schemaNameProblem = saying("is not a schema name (lower-case letters, digits and '_', at most 63)");
/** A PostgreSQL schema name used unquoted: lower-case, at most 63 characters. */
export const schemaName = z.string(schemaNameProblem).regex(/^[a-z_][a-z0-9_]{0,62}$/, schemaNameProblem);

const daysProblem = saying('is not a whole number of days from 1 to 100000');
/** Days to keep (retention). */
export const retentionDays = z.number(daysProblem).int(daysProblem).min(1, daysProblem).max(100_000, daysProblem);

/** Why `raw` is not a usable postgres:// URL, without the value (it may hold a password); undefined if it is. */
function postgresUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a valid URL (value not shown: it may hold a password); expected postgres://user:password@host:port/database';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return `scheme '${url.protocol}' is not postgres: or postgresql:`;
  if (url.username === '') return 'no user name (write postgres://user@host/database; USER may be unset here)';
  return undefined;
}

/** postgres:// or postgresql:// with a user name; messages never show the value. */
export const postgresUrl = z.string().superRefine((raw, ctx) => {
  const problem = postgresUrlProblem(raw);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

function durationProblem(value: unknown): string {
  const ms = tryParseDuration(value);
  if (ms === undefined) return notADuration(value);
  if (ms === 0) return `${shown(value)} is not a positive duration`;
  return `${shown(value)} is longer than ${formatDuration(MAX_TIMEOUT_MS)} (the longest timer)`;
}

/** Milliseconds of a valid duration; anything else is left as it was, for the check to show it. */
function toMs(value: unknown): unknown {
  const ms = tryParseDuration(value);
  return ms !== undefined && ms > 0 && ms <= MAX_TIMEOUT_MS ? ms : value;
}

/**
 * A positive duration: a number of milliseconds, or '500ms', '30s', '10m', '1h30m', '2d'. Parsed to a
 * number of milliseconds: in FileConfig a duration key holds milliseconds (1 to MAX_TIMEOUT_MS).
 * Converted first, then checked without aborting (abort: false): a bad one inside the sources union still
 * names its key instead of failing the union as a whole.
 */
export const duration = z.preprocess(
  toMs,
  z.custom<number>((value) => typeof value === 'number' && Number.isSafeInteger(value) && value > 0 && value <= MAX_TIMEOUT_MS, {
    abort: false,
    error: (issue) => durationProblem(issue.input),
  }),
);

/**
 * A source PostgreSQL database: a URL, or the embedded demo website (PGlite). A URL source's timeouts are
 * milliseconds once parsed, defaults filled: connectTimeout (10s; pg's connectionTimeoutMillis) and
 * statementTimeout (5m; pg's statement_timeout and query_timeout).
 */
export const sourceSchema = z.union([
  z.strictObject({
    url: z.string().min(1),
    connectTimeout: duration.default(DEFAULT_CONNECT_TIMEOUT_MS),
    statementTimeout: duration.default(DEFAULT_STATEMENT_TIMEOUT_MS),
  }),
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
    .strictObject({
      time: z.string().optional(),
      event: z.string().optional(),
      user: z.string().optional(),
      duration: z.string().optional(),
      /** jsonb column holding the properties that dimensions read (default 'properties'). */
      properties: z.string().min(1).optional(),
    })
    .optional(),
  events: z.array(z.string()).optional(),
  timedEvents: z.array(z.string()).optional(),
  hourly: z.boolean().optional(),
  daily: z.boolean().optional(),
  settleHours: z.number().int().min(0).optional(),
  /**
   * Counts and users per value: "campaign" (a column of the table if it has one, else a properties key), or
   * { "name": "campaign", "column": "utm_campaign" } / { "name": "campaign", "key": "utm_campaign" }, with an
   * optional own topN. Gives events.<event>.by_<name>.<value>.count and .users (top N values, other, none).
   */
  dimensions: z
    .array(
      z.union([
        z.string().min(1),
        z
          .strictObject({
            name: z.string().min(1),
            column: z.string().min(1).optional(),
            key: z.string().min(1).optional(),
            topN: z.number().int().min(1).max(1000).optional(),
          })
          .refine((d) => d.column === undefined || d.key === undefined, { message: "give 'column' or 'key', not both" }),
      ], { error: 'must be a name, or { "name", "column" or "key", "topN" }' }),
    )
    .optional(),
  /** Values kept per event and dimension, ranked by events over the read window's days; the rest are 'other' (default 20). */
  topN: z.number().int().min(1).max(1000).optional(),
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
  /** Per request; milliseconds once parsed (default 60s). */
  timeout: duration.default(DEFAULT_REQUEST_TIMEOUT_MS),
});

const cronProblemText = (value: unknown): string => (typeof value === 'string' ? (cronProblem(value) ?? 'invalid') : 'must be a cron expression (text)');
/** Five-field cron (or six with seconds, or @hourly, @daily...), read in the configuration's timeZone. */
export const cron = z.string({ error: (issue) => cronProblemText(issue.input) }).refine((value) => cronProblem(value) === undefined, {
  error: (issue) => cronProblemText(issue.input),
});

/** One job's schedule: `{ "cron": "0 * * * *", "retries": 2, "retryDelay": "30s", "timeout": "10m" }`. */
export const scheduleSchema = z.strictObject({
  cron,
  /** Attempts after a failed one (default 0), with exponential backoff from retryDelay. */
  retries: z.number().int().min(0).max(20).optional(),
  /** Delay before the first retry; doubled for each next one (default 30s). */
  retryDelay: duration.optional(),
  /** A run taking longer is cancelled and recorded failed ("timed out after 10m"). */
  timeout: duration.optional(),
  /** When the scheduler starts, run the firings missed since the job's last successful scheduled run (default false). */
  catchup: z.boolean().optional(),
  /** How far back catchup goes (default 48h): older missed firings are left to `etl backfill`. */
  maxCatchup: duration.optional(),
});

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  /** IANA zone of the dates and hours in the metrics database (env ETL_TIMEZONE wins). */
  timeZone: timeZone.optional(),
  /**
   * The metrics database (environment variables win: DATABASE_URL, ETL_SCHEMA, ETL_LOCK_WAIT...). Durations
   * are milliseconds once parsed; DatabaseConfig fills their defaults (connectTimeout 10s, statementTimeout
   * 5m, lockWait 60s: how long to wait for the embedded database's lock).
   */
  metricsDatabase: z
    .strictObject({
      url: postgresUrl.optional(),
      dataDir: z.string().min(1).optional(),
      schema: schemaName.optional(),
      connectTimeout: duration.optional(),
      statementTimeout: duration.optional(),
      lockWait: duration.optional(),
    })
    .optional(),
  retention: z.strictObject({ hourlyDays: retentionDays.optional(), runDays: retentionDays.optional() }).optional(),
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
  /** Per job: when it runs on its own (wins over a schedule defined with the job in code). */
  schedules: z.record(z.string().min(1), scheduleSchema).optional(),
  /** The scheduler: embedded (one process, no Redis) unless redisUrl (or REDIS_URL) is set. */
  scheduler: z
    .strictObject({
      /** redis://... of the BullMQ queue: `etl scheduler` registers job schedulers, `etl worker` runs the jobs. */
      redisUrl: z.string().min(1).optional(),
      /** BullMQ queue name (default 'etl'). */
      queue: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '_' or '-'").optional(),
      /** BullMQ key prefix in Redis (default 'bull'): several deployments can share one Redis. */
      prefix: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '_' or '-'").optional(),
      /** Runs at once in one process (default 2). */
      concurrency: z.number().int().min(1).max(64).optional(),
      /** On SIGTERM, how long active runs may go on before they are cancelled (default 30s). */
      grace: duration.optional(),
    })
    .optional(),
  /**
   * Failure and recovery alerts: a Slack-compatible JSON POST to `webhook` when a job's run fails after its
   * last retry, and when its next run succeeds (`on`: which of the two, default both); `timeout` per POST
   * (milliseconds once parsed, default 5s); `publicUrl`: the web UI's public base URL, for a link to the run.
   */
  alerts: z
    .strictObject({
      webhook: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL (value not shown: it may hold a secret)' }),
      on: z.array(z.enum(['failure', 'recovery'])).min(1).default(['failure', 'recovery']),
      timeout: duration.default(DEFAULT_ALERT_TIMEOUT_MS),
      publicUrl: z.url({ protocol: /^https?$/ }).optional(),
    })
    .optional(),
});

export type FileConfig = z.infer<typeof configSchema>;
export type SourceConfig = z.infer<typeof sourceSchema>;
export type ReadersConfig = NonNullable<FileConfig['readers']>;
