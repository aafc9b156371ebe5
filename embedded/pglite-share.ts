// Shares the embedded metrics database of the process that holds it: served over the PostgreSQL wire
// protocol on 127.0.0.1 (or a fixed host and port, for Grafana) and advertised in `<dir>.socket`, so other
// etl commands use it instead of waiting.
//
// One PostgreSQL session serves everyone (PGlite's nature): a client's transaction runs alone, the holder
// waits for it (pglite-wire-server.ts), so a client must not keep a transaction open across slow work; one
// held longer than the hold timeout (30 s) is disconnected and rolled back. Session settings (SET, PREPARE)
// are shared by all clients. A client statement runs on the holder's thread: a long one stalls the holder.
// Clients authenticate with the password kept in `<dir>.password` (share-password.ts); both files are 0600.
import { readFileSync, unlinkSync } from 'node:fs';
import { EtlError } from '../graph/errors.js';
import { servePglite, type PgliteSession, type WireServerOptions } from './pglite-wire-server.js';
import { currentProcess, isAlive } from './process-identity.js';
import { passwordFile, sharePassword, writePrivately } from './share-password.js';

export interface SharePgliteOptions extends Omit<WireServerOptions, 'password'> {
  /**
   * The password clients must give (any user name): default the one kept in `<dir>.password`, generated on
   * first share. Given, it replaces the kept one (so this user's other etl commands read it there).
   */
  readonly password?: string | undefined;
}

export interface PgliteShare {
  readonly host: string;
  readonly port: number;
  /** The only user name accepted, if one was set (options.user). */
  readonly user?: string;
  /** The file (0600) that holds the password clients authenticate with. */
  readonly passwordFile: string;
  /** Clients connected now. */
  readonly connections: number;
  /** Removes the advertisement, disconnects the clients (rolling back what they left open), stops serving. */
  close(): Promise<void>;
}

/** A database another process shares, found by findSharedPglite. */
export interface SharedPglite {
  readonly dir: string;
  readonly host: string;
  readonly port: number;
  /** The process that has the database open. */
  readonly pid: number;
  /** The user name to give, when the share accepts only one. */
  readonly user?: string;
  /** When it began sharing (ISO time). */
  readonly started?: string;
}

interface Advertisement {
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** Process start (process-identity.ts), to tell a reused PID. */
  readonly start: string;
  readonly started: string;
  readonly user?: string;
}

/** Where this machine's clients reach a server listening on `host`: a wildcard address is reached on loopback. */
const reachableHost = (host: string): string => (host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host);

/** Where the process that holds `dir` says how to reach it. */
export const advertisementFile = (dir: string): string => `${dir}.socket`;

function readJson(file: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
  if (/^\d+$/.test(text)) return { pid: Number(text) }; // a lock file of an older version: the PID alone
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const positiveInteger = (value: unknown, max = Number.MAX_SAFE_INTEGER): number | undefined =>
  Number.isInteger(value) && (value as number) > 0 && (value as number) <= max ? (value as number) : undefined;

/** The process holding `<dir>.lock` (dir-lock.ts writes pid, host, start), if any. */
function lockHolder(dir: string): { pid: number; host?: string; start?: string } | undefined {
  const lock = readJson(`${dir}.lock`);
  const pid = positiveInteger(lock?.pid);
  if (pid === undefined) return undefined;
  const host = text(lock?.host);
  const start = text(lock?.start);
  return { pid, ...(host === undefined ? {} : { host }), ...(start === undefined ? {} : { start }) };
}

/**
 * Serves `pglite`, the database in `dir` this process has open (openPglite), on 127.0.0.1 or `options.host`
 * (any free port unless `options.port`: one in use rejects with EADDRINUSE), and advertises it in `<dir>.socket`
 * until close(); clients need the password (options.password, else the one kept in `<dir>.password`:
 * readSharePassword), and the user name options.user if set. Close the share before PGlite.
 */
export async function sharePglite(pglite: PgliteSession, dir: string, options: SharePgliteOptions = {}): Promise<PgliteShare> {
  if (lockHolder(dir)?.pid !== process.pid) {
    throw new EtlError(`cannot share the embedded database ${dir}: this process has not locked it (open it with openPglite first)`);
  }
  const { password, ...serverOptions } = options;
  const server = await servePglite(pglite, { ...serverOptions, password: sharePassword(dir, password) });
  const file = advertisementFile(dir);
  const { user } = serverOptions;
  const advertisement: Advertisement = {
    host: reachableHost(server.host), port: server.port, pid: process.pid, start: currentProcess().start, started: new Date().toISOString(),
    ...(user === undefined ? {} : { user }),
  };
  try {
    writePrivately(file, `${JSON.stringify(advertisement)}\n`); // a reader sees the whole advertisement or none
  } catch (error) {
    await server.close();
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    host: server.host,
    port: server.port,
    ...(user === undefined ? {} : { user }),
    passwordFile: passwordFile(dir),
    get connections() {
      return server.connections;
    },
    close() {
      closed ??= (async () => {
        const current = readJson(file);
        if (current?.pid === process.pid && current.port === server.port) {
          try {
            unlinkSync(file);
          } catch {
            // Already gone.
          }
        }
        await server.close();
      })();
      return closed;
    },
  };
}

/**
 * The share of `dir` by a live process that holds its lock, or undefined: no advertisement, or a stale one
 * (its process is gone, or the lock is now held by another process, or by a process on another host).
 */
export function findSharedPglite(dir: string): SharedPglite | undefined {
  const ad = readJson(advertisementFile(dir));
  const host = text(ad?.host);
  const port = positiveInteger(ad?.port, 65_535);
  const pid = positiveInteger(ad?.pid);
  if (host === undefined || port === undefined || pid === undefined) return undefined;
  const lock = lockHolder(dir);
  if (lock === undefined || lock.pid !== pid) return undefined;
  if (lock.host !== undefined && lock.host !== '' && lock.host !== currentProcess().host) return undefined; // its 127.0.0.1 is not ours
  const start = text(ad?.start);
  if (start && lock.start && start !== lock.start) return undefined;
  if (!isAlive(lock)) return undefined;
  const started = text(ad?.started);
  const user = text(ad?.user);
  return { dir, host, port, pid, ...(started === undefined ? {} : { started }), ...(user === undefined ? {} : { user }) };
}

