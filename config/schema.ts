// The configuration file's schema (zod): every key checked, unknown keys rejected, errors name the key.
import { z } from 'zod';
import { isValidTimeZone } from '../metrics/time.js';
import { cronProblem } from './cron.js';
import { collectorSchema } from './collector-schema.js';
import { checksSchema } from './checks-schema.js';
import { serveNeedsEmbedded, serveSchema } from './serve-schema.js';
import { formatDuration, MAX_TIMEOUT_MS } from '../graph/duration.js';
import { BUILTIN_READERS } from '../readers/builtin-readers.js';
import { readerKey } from '../readers/define-reader.js';
import { durationOption, shown } from '../readers/option-types.js';

/** Defaults of the timeouts, in milliseconds. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 300_000;
export const DEFAULT_LOCK_WAIT_MS = 60_000;
export const DEFAULT_ALERT_TIMEOUT_MS = 5_000;
/** Defaults of the metrics database's settings (config/database.ts applies them; the reference shows them). */
export const DEFAULT_DATA_DIR = './.etl';
export const DEFAULT_SCHEMA = 'etl';
export const DEFAULT_TIME_ZONE = 'UTC';
export const DEFAULT_HOURLY_RETENTION_DAYS = 90;
export const DEFAULT_RUN_RETENTION_DAYS = 30;
/** Defaults of the dashboards in the web UI (config/dashboards.ts applies them). */
export const DEFAULT_DASHBOARD_QUERY_TIMEOUT_MS = 10_000;
export const DEFAULT_DASHBOARD_MAX_ROWS = 10_000;
/** Defaults of the scheduler (runtime and cli apply them). */
export const DEFAULT_SCHEDULER_QUEUE = 'etl';
export const DEFAULT_QUEUE_PREFIX = 'bull';
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
    url: z.string().min(1).meta({ description: 'postgres://user:password@host/database of the source (write the password as ${VAR})' }),
    connectTimeout: duration.default(DEFAULT_CONNECT_TIMEOUT_MS).meta({ description: 'connecting to the source database' }),
    statementTimeout: duration.default(DEFAULT_STATEMENT_TIMEOUT_MS).meta({ description: "one statement (server statement_timeout, and a client-side read timeout a little later)" }),
  }),
  z.strictObject({
    demo: z.literal(true).meta({ description: 'the embedded demo website database (PGlite, seeded), instead of a url' }),
    dir: z.string().optional().meta({ description: "the demo website's directory", default: '<dataDir>/demo-website' }),
  }),
]);

/** A user's reader module (compiled JavaScript, relative to this file) and its options, checked by its own schema. */
export const customReaderSchema = z.strictObject({
  module: z.string().min(1).meta({ description: "a compiled JavaScript module whose default export is a reader (defineReader), relative to this file" }),
  enabled: z.boolean().optional().meta({ description: 'false turns the reader off', default: 'true' }),
  options: z.record(z.string(), z.unknown()).optional().meta({ description: "the reader's options, checked by its own schema" }),
});
export type CustomReaderConfig = z.infer<typeof customReaderSchema>;

/** `readers`: each built-in reader's options under its key (its own schema, plus `enabled`), and `custom`. */
export interface ReadersConfig {
  readonly custom?: readonly CustomReaderConfig[];
  readonly [key: string]: unknown;
}

const readersSchema = z.strictObject({
  ...Object.fromEntries(
    BUILTIN_READERS.map((d) => [
      readerKey(d),
      (d.options as z.ZodObject)
        .extend({ enabled: z.boolean().optional().meta({ description: 'false turns the reader off while keeping its options', default: 'true' }) })
        .optional()
        .meta({ description: `the ${d.name} reader: ${d.description}` }),
    ]),
  ),
  custom: z.array(customReaderSchema).optional().meta({ description: 'readers of your own, each a module and its options' }),
}) as unknown as z.ZodType<ReadersConfig>;

const cronProblemText = (value: unknown): string => (typeof value === 'string' ? (cronProblem(value) ?? 'invalid') : 'must be a cron expression (text)');
/** Five-field cron (or six with seconds, or @hourly, @daily...), read in the configuration's timeZone. */
export const cron = z.string({ error: (issue) => cronProblemText(issue.input) }).refine((value) => cronProblem(value) === undefined, {
  error: (issue) => cronProblemText(issue.input),
});

/** One job's schedule: `{ "cron": "0 * * * *", "retries": 2, "retryDelay": "30s", "timeout": "10m" }`. */
export const scheduleSchema = z.strictObject({
  cron: cron.meta({ description: "five fields (or six, seconds first; or @hourly, @daily...), in the configuration's timeZone" }),
  retries: z.number().int().min(0).max(20).optional().meta({ description: 'attempts after a failed one, with exponential backoff from retryDelay', default: '0' }),
  retryDelay: duration.optional().meta({ description: 'delay before the first retry; doubled for each next one', default: '30s' }),
  timeout: duration.optional().meta({ description: 'a run taking longer is cancelled and recorded failed ("timed out after 10m")', default: 'none' }),
  catchup: z.boolean().optional().meta({ description: "when the scheduler starts, run the firings missed since the job's last successful scheduled run", default: 'false' }),
  maxCatchup: duration.optional().meta({ description: 'how far back catchup goes: older missed firings are left to `etl backfill`', default: '48h' }),
});

const fmt = formatDuration;

export const configSchema = z.strictObject({
  $schema: z.string().optional().meta({ description: 'a JSON schema URL for editors; ignored' }),
  timeZone: timeZone.optional().meta({ description: 'IANA zone of the dates and hours in the metrics database, of cron schedules and of --from/--to', default: DEFAULT_TIME_ZONE, env: 'ETL_TIMEZONE' }),
  metricsDatabase: z
    .strictObject({
      url: postgresUrl.optional().meta({ description: 'the metrics database on PostgreSQL (postgres://user:password@host/db)', default: 'the embedded PGlite database', env: 'DATABASE_URL' }),
      dataDir: z.string().min(1).optional().meta({ description: 'embedded data: the PGlite metrics database, the demo website', default: DEFAULT_DATA_DIR, env: 'ETL_DATA_DIR' }),
      schema: schemaName.optional().meta({ description: 'schema of the metrics tables', default: DEFAULT_SCHEMA, env: 'ETL_SCHEMA' }),
      connectTimeout: duration.optional().meta({ description: 'connecting to the metrics database on PostgreSQL', default: fmt(DEFAULT_CONNECT_TIMEOUT_MS) }),
      statementTimeout: duration.optional().meta({ description: 'one statement on the metrics database on PostgreSQL', default: fmt(DEFAULT_STATEMENT_TIMEOUT_MS) }),
      lockWait: duration.optional().meta({ description: 'waiting for the embedded database held by another etl process', default: fmt(DEFAULT_LOCK_WAIT_MS), env: 'ETL_LOCK_WAIT' }),
      serve: serveSchema.optional().meta({ description: 'serve the embedded database on a fixed port, for Grafana (not with url)' }),
    })
    .superRefine(serveNeedsEmbedded)
    .optional()
    .meta({ description: 'where the metric values go' }),
  retention: z
    .strictObject({
      hourlyDays: retentionDays.optional().meta({ description: 'days of hourly values kept by `etl clean` (daily values are kept)', default: String(DEFAULT_HOURLY_RETENTION_DAYS), env: 'ETL_RETENTION_DAYS' }),
      runDays: retentionDays.optional().meta({ description: 'days of run records kept by `etl clean`', default: String(DEFAULT_RUN_RETENTION_DAYS), env: 'ETL_RUN_RETENTION_DAYS' }),
    })
    .optional()
    .meta({ description: 'what `etl clean` keeps' }),
  sources: z.record(name, sourceSchema).optional().meta({ description: 'SQL source databases by name (a URL, or the embedded demo website)' }),
  readers: readersSchema.optional().meta({ description: "the readers: a built-in reader is enabled by configuring it; `custom`: your own" }),
  jobs: z.array(z.string().min(1)).optional().meta({ description: 'compiled job modules to load (relative to this file); every exported job joins the registry', env: 'ETL_JOBS (added, comma-separated)' }),
  schedules: z.record(z.string().min(1), scheduleSchema).optional().meta({ description: 'per job: when it runs on its own (wins over a schedule defined with the job in code)' }),
  scheduler: z
    .strictObject({
      redisUrl: z.string().min(1).optional().meta({ description: 'redis://... of the BullMQ queue: `etl scheduler` registers job schedulers, `etl worker` runs the jobs', default: 'none: the embedded scheduler', env: 'REDIS_URL' }),
      queue: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '_' or '-'").optional().meta({ description: 'bullMQ queue name', default: DEFAULT_SCHEDULER_QUEUE }),
      prefix: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '_' or '-'").optional().meta({ description: 'bullMQ key prefix in Redis: several deployments can share one Redis', default: DEFAULT_QUEUE_PREFIX, env: 'ETL_QUEUE_PREFIX' }),
      concurrency: z.number().int().min(1).max(64).optional().meta({ description: 'runs at once in one process (--concurrency wins)', default: '2' }),
      grace: duration.optional().meta({ description: 'on SIGINT/SIGTERM, how long active runs may go on before they are cancelled (--grace wins)', default: '30s' }),
    })
    .optional()
    .meta({ description: 'the scheduler: embedded (one process, no Redis) unless redisUrl (or REDIS_URL) is set' }),
  alerts: z
    .strictObject({
      webhook: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL (value not shown: it may hold a secret)' }).meta({ description: 'a Slack-compatible webhook URL, posted when a scheduled run fails after its last retry, and when the job next succeeds' }),
      on: z.array(z.enum(['failure', 'recovery'])).min(1).default(['failure', 'recovery']).meta({ description: 'which transitions are posted' }),
      timeout: duration.default(DEFAULT_ALERT_TIMEOUT_MS).meta({ description: 'one POST' }),
      publicUrl: z.url({ protocol: /^https?$/ }).optional().meta({ description: "the web UI's public base URL, for a link to the run" }),
    })
    .optional()
    .meta({ description: 'failure and recovery alerts' }),
  collector: collectorSchema.optional().meta({ description: 'the event collector (`etl collect`; hosted by the embedded scheduler when present)' }),
  checks: checksSchema.optional().meta({ description: 'checks on metric values (anomaly, freshness, range, change, missing): see docs/checks.md' }),
  dashboards: z
    .strictObject({
      dir: z.string().min(1).optional().meta({ description: 'more dashboard files (relative to this file)', default: './dashboards beside this file, when it exists' }),
      queryTimeout: duration.optional().meta({ description: 'one panel query', default: fmt(DEFAULT_DASHBOARD_QUERY_TIMEOUT_MS) }),
      maxRows: z.number().int().min(1).max(1_000_000).optional().meta({ description: 'rows kept of one panel query', default: String(DEFAULT_DASHBOARD_MAX_ROWS) }),
      public: z
        .array(z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "is not a dashboard uid (letters, digits, '_' or '-', at most 40)"))
        .optional()
        .meta({ description: 'uids of dashboards served read-only at /public/<uid> without the UI token', default: 'none' }),
    })
    .optional()
    .meta({ description: 'grafana dashboards in the web UI' }),
});

export type FileConfig = z.infer<typeof configSchema>;
export type SourceConfig = z.infer<typeof sourceSchema>;
