// spiders reader: crawler workers seen in the last N minutes -> hourly `spider.total`, `spider.active`, `spider.idle`.
//
// As in the talk (SpidersReader + Reduce): the database returns each worker's latest status over the
// last `minutes` before `window.now`, and a reduce counts them: `spider.total` = workers that reported at
// all, `spider.active` / `spider.idle` = those whose status is in `activeStatuses` / `idleStatuses`
// (compared case-insensitively; other statuses, e.g. 'error', count in the total only).
// Default layout: table `spider_status(spider text, status text, updated_at timestamptz)`, one row per
// heartbeat or one row per worker (the latest row of each worker wins). Or `query`: any SQL returning
// columns `worker` and `status`, one row per worker, that may use $1 (now, timestamptz) and $2 (minutes).
// A snapshot source: values go to the local hour containing `window.now`; a backfill window produces no
// rows and warns (or fails, with pastWindow: 'fail').
import { ConfigError } from '../graph/errors.js';
import { source, type SourceNode } from '../graph/node.js';
import type { MetricRow } from '../metrics/row.js';
import { quoteIdentifier, quoteTableName } from '../sql/identifiers.js';
import { DEFAULT_SQL_SERVICE } from './sql-client.js';
import { readerQuery } from './sql-read.js';
import { snapshotHour, type SnapshotOptions } from './snapshot-window.js';

export interface SpidersColumns {
  /** Worker (spider) identifier column (default 'spider'). */
  readonly worker?: string;
  /** Status column (default 'status'). */
  readonly status?: string;
  /** Time of the status report, timestamptz (default 'updated_at'). */
  readonly time?: string;
}

export interface SpidersReaderOptions extends SnapshotOptions {
  /** Service name of the source database, a SqlClient (default 'website'). */
  readonly service?: string;
  /** Status table, `table` or `schema.table` (default 'spider_status'). Ignored with `query`. */
  readonly table?: string;
  readonly columns?: SpidersColumns;
  /** Custom SQL returning `worker`, `status` per worker; may use $1 (now) and $2 (minutes). */
  readonly query?: string;
  /** How far back a report still counts, in minutes (default 10). */
  readonly minutes?: number;
  /** Statuses counted as active (default ['active']). */
  readonly activeStatuses?: readonly string[];
  /** Statuses counted as idle (default ['idle']). */
  readonly idleStatuses?: readonly string[];
}

export interface SpiderStatus {
  readonly worker: string;
  readonly status: string | null;
}

export interface SpiderCounts {
  readonly 'spider.total': number;
  readonly 'spider.active': number;
  readonly 'spider.idle': number;
}

const READER = 'spiders';

/** Defaults of the options (the configuration reference shows them). */
export const DEFAULT_SPIDERS_TABLE = 'spider_status';
export const DEFAULT_SPIDERS_COLUMNS = Object.freeze({ worker: 'spider', status: 'status', time: 'updated_at' });
export const DEFAULT_SPIDERS_MINUTES = 10;
export const DEFAULT_ACTIVE_STATUSES: readonly string[] = Object.freeze(['active']);
export const DEFAULT_IDLE_STATUSES: readonly string[] = Object.freeze(['idle']);

/** The default statement: each worker's latest status reported after $1 - $2 minutes. */
export function spidersSql(table = DEFAULT_SPIDERS_TABLE, columns: SpidersColumns = {}): string {
  const worker = quoteIdentifier(columns.worker ?? DEFAULT_SPIDERS_COLUMNS.worker);
  const status = quoteIdentifier(columns.status ?? DEFAULT_SPIDERS_COLUMNS.status);
  const time = quoteIdentifier(columns.time ?? DEFAULT_SPIDERS_COLUMNS.time);
  return (
    `SELECT DISTINCT ON (${worker}) ${worker}::text AS worker, ${status}::text AS status ` +
    `FROM ${quoteTableName(table)} ` +
    `WHERE ${time} > $1::timestamptz - make_interval(secs => $2::float8 * 60) ` +
    `ORDER BY ${worker}, ${time} DESC`
  );
}

/** The Reduce step: one worker counts once (its first row), by status. */
export function countSpiders(rows: Iterable<SpiderStatus>, activeStatuses: readonly string[] = DEFAULT_ACTIVE_STATUSES, idleStatuses: readonly string[] = DEFAULT_IDLE_STATUSES): SpiderCounts {
  const active = new Set(activeStatuses.map((s) => s.toLowerCase()));
  const idle = new Set(idleStatuses.map((s) => s.toLowerCase()));
  const seen = new Set<string>();
  let nActive = 0;
  let nIdle = 0;
  for (const row of rows) {
    if (seen.has(row.worker)) continue;
    seen.add(row.worker);
    const status = (row.status ?? '').toLowerCase();
    if (active.has(status)) nActive += 1;
    else if (idle.has(status)) nIdle += 1;
  }
  return { 'spider.total': seen.size, 'spider.active': nActive, 'spider.idle': nIdle };
}

/** Parameters a custom query refers to: $1 and $2 only as far as it uses them (PostgreSQL wants an exact count). */
function queryParams(text: string, now: string, minutes: number): unknown[] {
  const used = [...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
  const max = used.length === 0 ? 0 : Math.max(...used);
  if (max > 2) throw new ConfigError(`spiders reader: 'query' may use $1 (now) and $2 (minutes) only, not $${max}`);
  return [now, minutes].slice(0, max);
}

function checkOptions(options: SpidersReaderOptions): void {
  const minutes = options.minutes ?? DEFAULT_SPIDERS_MINUTES;
  if (!(Number.isFinite(minutes) && minutes > 0)) throw new ConfigError(`spiders reader: 'minutes' must be a positive number (got ${String(options.minutes)})`);
  if (options.query !== undefined) {
    if (options.query.trim() === '') throw new ConfigError(`spiders reader: 'query' is empty`);
    queryParams(options.query, '', 0);
    return;
  }
  try {
    spidersSql(options.table, options.columns);
  } catch (error) {
    throw new ConfigError(`spiders reader: ${(error as Error).message}`);
  }
}

export function spidersReader(options: SpidersReaderOptions): SourceNode<MetricRow> {
  checkOptions(options);
  const service = options.service ?? DEFAULT_SQL_SERVICE;
  const minutes = options.minutes ?? DEFAULT_SPIDERS_MINUTES;
  const text = options.query ?? spidersSql(options.table, options.columns);
  return source(async function* read(ctx) {
    const at = snapshotHour(READER, options);
    if (at === undefined) return;
    const params = options.query === undefined ? [new Date(options.window.now).toISOString(), minutes] : queryParams(text, new Date(options.window.now).toISOString(), minutes);
    const rows = await readerQuery<{ worker: unknown; status: unknown }>(READER, ctx, service, text, params);
    const statuses = rows.map((row) => ({ worker: String(row.worker), status: row.status === null || row.status === undefined ? null : String(row.status) }));
    const counts = countSpiders(statuses, options.activeStatuses, options.idleStatuses);
    yield { dims: { date: at.date, hour: at.hour }, metrics: { ...counts } };
  }, `spider statuses (${service})`);
}
