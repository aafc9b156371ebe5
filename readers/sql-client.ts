// The narrow SQL port the PostgreSQL readers use: a pg.Pool and a PGlite instance both satisfy it.
import { urlLocation, urlSecrets } from '../secrets/mask.js';

/** What a reader needs from a database: run one parameterised statement, get its rows. */
export interface SqlClient {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

/** Default service name of the source database ("website", as in the talk). */
export const DEFAULT_SQL_SERVICE = 'website';

interface PoolLike {
  readonly options?: { connectionString?: unknown; host?: unknown; port?: unknown; database?: unknown; user?: unknown };
  readonly dataDir?: unknown;
}

/**
 * Where a client points, for error messages, without any password: `postgres://user@host:port/db` for a
 * pg.Pool (read from its options; a connection string through secrets/mask.ts's urlLocation, which hides
 * whole one pg cannot parse), `pglite:<dir>` for PGlite, undefined when nothing is known.
 */
export function describeSqlTarget(client: unknown): string | undefined {
  if (client === null || typeof client !== 'object') return undefined;
  const { options, dataDir } = client as PoolLike;
  if (typeof dataDir === 'string') return `pglite:${dataDir}`;
  if (options === undefined || options === null) return undefined;
  if (typeof options.connectionString === 'string') return urlLocation(options.connectionString);
  if (typeof options.host === 'string' || typeof options.database === 'string') {
    const user = typeof options.user === 'string' ? `${options.user}@` : '';
    const port = options.port === undefined ? '' : `:${String(options.port)}`;
    return `postgres://${user}${String(options.host ?? 'localhost')}${port}/${String(options.database ?? '')}`;
  }
  return undefined;
}

/**
 * Every secret a client was configured with (to scrub from messages), read from pg.Pool options: its
 * password, and those of its connection string (urlSecrets: raw, decoded, re-encoded; `?password=` too).
 */
export function sqlSecrets(client: unknown): string[] {
  if (client === null || typeof client !== 'object') return [];
  const options = (client as { options?: { connectionString?: unknown; password?: unknown } }).options;
  const secrets: string[] = [];
  if (typeof options?.password === 'string' && options.password !== '') secrets.push(options.password);
  if (typeof options?.connectionString === 'string') secrets.push(...urlSecrets(options.connectionString));
  return [...new Set(secrets)];
}
