// The configuration file's schema (zod): every key checked, unknown keys rejected, errors name the key.
import { z } from 'zod';
import { isValidTimeZone } from '../metrics/time.js';
import { cronProblem } from './cron.js';
import { collectorSchema } from './collector-schema.js';
import { checksSchema } from './checks-schema.js';
import { serveNeedsEmbedded, serveSchema } from './serve-schema.js';
import { MAX_TIMEOUT_MS } from '../graph/duration.js';
import { BUILTIN_READERS } from '../readers/builtin-readers.js';
import { readerKey } from '../readers/define-reader.js';
import { durationOption, shown } from '../readers/option-types.js';

/** Defaults of the timeouts, in milliseconds. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 300_000;
export const DEFAULT_LOCK_WAIT_MS = 60_000;
export const DEFAULT_ALERT_TIMEOUT_MS = 5_000;
export { MAX_TIMEOUT_MS };

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

/**
 * A positive duration: a number of milliseconds, or '500ms', '30s', '10m', '1h30m', '2d'. Parsed to a
 * number of milliseconds: in FileConfig a duration key holds milliseconds (1 to MAX_TIMEOUT_MS).
 */
export const duration = durationOption;

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

/** A user's reader module (compiled JavaScript, relative to this file) and its options, checked by its own schema. */
export const customReaderSchema = z.strictObject({
  module: z.string().min(1),
  enabled: z.boolean().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});
export type CustomReaderConfig = z.infer<typeof customReaderSchema>;

/** `readers`: each built-in reader's options under its key (its own schema, plus `enabled`), and `custom`. */
export interface ReadersConfig {
  readonly custom?: readonly CustomReaderConfig[];
  readonly [key: string]: unknown;
}

const readersSchema = z.strictObject({
  ...Object.fromEntries(BUILTIN_READERS.map((d) => [readerKey(d), (d.options as z.ZodObject).extend({ enabled: z.boolean().optional() }).optional()])),
  custom: z.array(customReaderSchema).optional(),
}) as unknown as z.ZodType<ReadersConfig>;

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
      /** Serve the embedded database on a fixed port, for Grafana: see config/serve-schema.ts. */
      serve: serveSchema.optional(),
    })
    .superRefine(serveNeedsEmbedded)
    .optional(),
  retention: z.strictObject({ hourlyDays: retentionDays.optional(), runDays: retentionDays.optional() }).optional(),
  sources: z.record(name, sourceSchema).optional(),
  readers: readersSchema.optional(),
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
  /** The event collector (`etl collect`, hosted by the embedded scheduler): see config/collector-schema.ts. */
  collector: collectorSchema.optional(),
  /** Checks on metric values (anomaly, freshness, range, change, missing): see docs/checks.md and config/checks-schema.ts. */
  checks: checksSchema.optional(),
  /**
   * Grafana dashboards in the web UI: `dir` (more dashboard files, relative to this file; default ./dashboards
   * beside it when that folder exists), `queryTimeout` per panel query (default 10s), `maxRows` kept of one
   * query (default 10000), `public`: uids of dashboards served read-only without the UI token (default none).
   */
  dashboards: z
    .strictObject({
      dir: z.string().min(1).optional(),
      queryTimeout: duration.optional(),
      maxRows: z.number().int().min(1).max(1_000_000).optional(),
      public: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "is not a dashboard uid (letters, digits, '_' or '-', at most 40)")).optional(),
    })
    .optional(),
});

export type FileConfig = z.infer<typeof configSchema>;
export type SourceConfig = z.infer<typeof sourceSchema>;
