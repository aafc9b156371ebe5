// Where rows go: one parameterised multi-row INSERT ... ON CONFLICT (message_id) DO NOTHING per write (idempotent),
// on any SQL port (the metrics database's handle, a pg Pool), each statement within a timeout; the identity links
// of the rows (identity-links.ts) upserted by the same statement (a data-modifying WITH), so both commit together.
import { quoteIdentifier } from '../sql/identifiers.js';
import { COLLECTOR_COLUMNS } from '../writers/migrations.js';
import { EventsRefusedError, StoreUnavailableError } from './errors.js';
import type { EventRow } from './event-row.js';
import { identityLinks, identityUpsertSql, KnownLinks, linksJson } from './identity-links.js';

/** The subset of pg.Pool / PGlite / MetricsDb the store uses. */
export interface SqlPort {
  query(text: string, params?: unknown[]): Promise<unknown>;
}

export interface EventStore {
  /** Inserts the rows, skipping message ids already stored; resolves once committed. */
  insert(rows: readonly EventRow[]): Promise<void>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface SqlEventStoreOptions {
  readonly db: SqlPort;
  readonly schema: string;
  /** One statement may take this long (ms); then StoreUnavailableError (the pool's own timeouts end it server-side). */
  readonly timeoutMs: number;
  /** Called by close() (e.g. ending a pool the store owns). */
  readonly onClose?: () => Promise<void>;
  /** Secrets to remove from messages. */
  readonly scrub?: (text: string) => string;
  /** The links already stored (shared with the COPY path of pg-store.ts); default: a cache of its own. */
  readonly knownLinks?: KnownLinks;
}

const COLUMN_TYPES: Readonly<Record<string, string>> = {
  message_id: 'text', created_at: 'timestamptz', event: 'text', user_id: 'text', anonymous_id: 'text',
  duration_ms: 'float8', properties: 'jsonb', write_key: 'text', received_at: 'timestamptz', type: 'text',
  context: 'jsonb', integrations: 'jsonb',
};

/** The statement: rows arrive as one json parameter, read by PostgreSQL (json_to_recordset). */
export function insertSql(schema: string): string {
  const table = `${quoteIdentifier(schema)}.events`;
  const columns = COLLECTOR_COLUMNS.map(quoteIdentifier).join(', ');
  const record = COLLECTOR_COLUMNS.map((c) => `${quoteIdentifier(c)} ${COLUMN_TYPES[c]!}`).join(', ');
  return `INSERT INTO ${table} (${columns}) SELECT ${columns} FROM json_to_recordset($1::json) AS r(${record}) ON CONFLICT (message_id) DO NOTHING`;
}

/** The rows as the JSON array parameter of insertSql (properties, context and integrations, already JSON text, spliced in as they are). */
export function rowsJson(rows: readonly EventRow[]): string {
  const q = JSON.stringify;
  let out = '[';
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    out += `${i === 0 ? '' : ','}{"message_id":${q(r.message_id)},"created_at":${q(r.created_at)},"event":${q(r.event)},"user_id":${q(r.user_id)},"anonymous_id":${q(r.anonymous_id)},"duration_ms":${q(r.duration_ms)},"properties":${r.properties},"write_key":${q(r.write_key)},"received_at":${q(r.received_at)},"type":${q(r.type)},"context":${r.context ?? 'null'},"integrations":${r.integrations ?? 'null'}}`;
  }
  return `${out}]`;
}

/** SQLSTATE of an error (pg and PGlite both set `code`). */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Data errors (22), constraint errors (23) and program limits (54): the rows are at fault, not the database. */
export function isRowsError(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && (code.startsWith('22') || code.startsWith('23') || code.startsWith('54'));
}

/** Deadlock or serialization failure: two writes raced on the same message ids; running again succeeds. */
export const isRace = (error: unknown): boolean => sqlState(error) === '40P01' || sqlState(error) === '40001';

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message || String((error as { code?: unknown }).code ?? error.name) : String(error));

/** A failed write as the collector answers it: refused rows (400) or an unavailable database (503). */
export function storeError(error: unknown, scrub: (text: string) => string): Error {
  if (error instanceof StoreUnavailableError || error instanceof EventsRefusedError) return error;
  if (isRowsError(error)) return new EventsRefusedError(`the database refused the events: ${scrub(messageOf(error))}`);
  return new StoreUnavailableError(`cannot store events: ${scrub(messageOf(error))}`);
}

/** Runs `write`, again (twice at most) when it lost a race with another write of the same message ids. */
export async function raceRetried(write: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isRace(error) || attempt >= 3) throw error;
    }
  }
}

export function sqlEventStore(options: SqlEventStoreOptions): EventStore {
  const { db, timeoutMs } = options;
  const sql = insertSql(options.schema);
  // With links: the events inserted by a WITH, the links upserted by the statement itself.
  const withLinks = `WITH e AS (${sql}) ${identityUpsertSql(options.schema, '$2::json')}`;
  const scrub = options.scrub ?? ((text: string) => text);
  const known = options.knownLinks ?? new KnownLinks();
  return {
    async insert(rows) {
      const json = rowsJson(rows);
      const links = known.pending(identityLinks(rows));
      const [text, params] = links.length === 0 ? [sql, [json]] : [withLinks, [json, linksJson(links)]];
      try {
        await raceRetried(async () => void (await withTimeout(db.query(text, params), timeoutMs, 'writing events')));
      } catch (error) {
        throw storeError(error, scrub);
      }
      known.remember(links);
    },
    async ping() {
      try {
        await withTimeout(db.query('SELECT 1'), timeoutMs, 'database check');
      } catch (error) {
        throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(`database check failed: ${scrub(messageOf(error))}`);
      }
    },
    async close() {
      await options.onClose?.();
    },
  };
}
