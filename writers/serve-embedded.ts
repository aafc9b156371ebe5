// Serving the embedded metrics database this process holds: to the other etl commands on a free loopback port,
// or on the fixed port of `metricsDatabase.serve` for Grafana, saying where (never the password) once.
import type { PGlite } from '@electric-sql/pglite';
import { UsageError } from '../graph/errors.js';
import { sharePglite, type PgliteShare } from '../embedded/pglite-share.js';
import { readSharePassword } from '../embedded/share-password.js';

/** `metricsDatabase.serve` (config/serve-schema.ts has this shape). */
export interface ServeSettings {
  readonly port?: number | undefined;
  readonly host?: string | undefined;
  /** Never logged; default the password generated and kept in `<dir>.password` (0600). */
  readonly password?: string | undefined;
  /** The only user name accepted (default any; `etl` is shown). */
  readonly user?: string | undefined;
}

export interface ServedEmbedded {
  readonly share: PgliteShare;
  /** The password clients give, to scrub from messages. */
  readonly password: string | undefined;
}

const KEY = 'metricsDatabase.serve';
const bracketed = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** A listen error as a UsageError naming the option to change (exit code 2), else the error itself. */
function listenError(error: unknown, serve: ServeSettings, host: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new UsageError(`${KEY}.port: port ${serve.port} on ${host} is in use (another program, or an etl process serving another data directory): choose another port in ${KEY}.port, or stop what listens there`);
  }
  if (code === 'EACCES') return new UsageError(`${KEY}.port: port ${serve.port} on ${host} needs privileges this process lacks: choose a port above 1023`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new UsageError(`${KEY}.host: cannot listen on ${host}: no such local address`);
  return error;
}

/** The line said at start when serving for Grafana: where, and where the password comes from (never the password). */
export function servedLine(share: PgliteShare, serve: ServeSettings): string {
  const source = serve.password === undefined ? `the file ${share.passwordFile}` : `${KEY}.password`;
  return `metrics database served for Grafana at postgres://${serve.user ?? 'etl'}@${bracketed(share.host)}:${share.port}/postgres (password: ${source})`;
}

/**
 * Serves `pglite` (the embedded database in `dir`, held by this process): on `serve.host`:`serve.port` when
 * given (a port in use: a UsageError naming `metricsDatabase.serve.port`), else on a free loopback port.
 */
export async function serveEmbedded(pglite: PGlite, dir: string, serve: ServeSettings | undefined, onNotice?: (message: string) => void): Promise<ServedEmbedded> {
  const host = serve?.host ?? '127.0.0.1';
  let share: PgliteShare;
  try {
    share = await sharePglite(pglite, dir, {
      password: serve?.password,
      ...(serve === undefined ? {} : { host, ...(serve.port === undefined ? {} : { port: serve.port }), ...(serve.user === undefined ? {} : { user: serve.user }) }),
      ...(onNotice ? { onNotice } : {}),
    });
  } catch (error) {
    throw serve === undefined ? error : listenError(error, serve, host);
  }
  onNotice?.(serve === undefined ? `sharing the embedded metrics database with other etl commands on ${share.host}:${share.port} (password in ${share.passwordFile})` : servedLine(share, serve));
  return { share, password: serve?.password ?? readSharePassword(dir) };
}
