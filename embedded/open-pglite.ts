// Opens an embedded database directory: PGlite (PostgreSQL in WebAssembly) under the directory's lock, created
// from the cached template, readable by this user only (0700, as PostgreSQL requires of a data directory),
// with a clear error when the disk is full.
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statfsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { EtlError } from '../graph/errors.js';
import { lockDirectory, type LockOptions } from './dir-lock.js';
import { EMBEDDED_START_PARAMS } from './pglite-memory.js';
import { createPgliteDirFromTemplate, hasPgliteTemplate } from './pglite-template.js';

/** The disk under an embedded database is (nearly) full. */
export class DiskFullError extends EtlError {
  override readonly name: string = 'DiskFullError';
}

/** Free space a new PGlite database needs (a fresh one takes ~40 MB), and an existing one to open. */
export const MIN_FREE_TO_CREATE = 64 * 1024 * 1024;
export const MIN_FREE_TO_OPEN = 8 * 1024 * 1024;

/** Bytes free for this process under `dir` (its nearest existing ancestor); undefined if unknown. */
export function freeBytes(dir: string): number | undefined {
  let at = dir;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  try {
    const stats = statfsSync(at);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function checkSpace(dir: string, what: string, needed: number, doing: string, elsewhere = 'ETL_DATA_DIR'): void {
  const free = freeBytes(dir);
  if (free !== undefined && free < needed) {
    throw new DiskFullError(`no space left under ${dir}: ${mb(free)} free, ${doing} the ${what} needs at least ${mb(needed)}; free some space (or set ${elsewhere} elsewhere)`);
  }
}

/** PGlite reports file-system failures as emscripten ErrnoErrors (no message; errno 51 is ENOSPC). */
function explainOpenFailure(error: unknown, dir: string, what: string): Error {
  const errno = (error as { errno?: unknown } | null)?.errno;
  const message = error instanceof Error && error.message ? error.message : '';
  const free = freeBytes(dir);
  if (errno === 51 || /no space left/i.test(message) || (free !== undefined && free < MIN_FREE_TO_OPEN)) {
    return new DiskFullError(`no space left under ${dir}${free === undefined ? '' : ` (${mb(free)} free)`}: the ${what} could not be opened; free some space and run again`);
  }
  const detail = message || (typeof errno === 'number' ? `file-system error ${errno}` : String(error));
  return new EtlError(`the ${what} in ${dir} could not be opened: ${detail}. If it is damaged, move the directory away and run again (a new one is created)`);
}

/** Whether `dir` holds a created PostgreSQL data directory. */
function isCreated(dir: string): boolean {
  return existsSync(join(dir, 'PG_VERSION'));
}

export interface OpenPgliteOptions extends LockOptions {
  /** Told when the database is created (first use), which takes a few seconds. */
  readonly onCreate?: (message: string) => void;
  /**
   * Where the empty database that new ones are copied from is cached, e.g. the user's cache directory, one
   * for every data directory: one initdb (~2.5 s) per PGlite version, then a copy (~0.3 s) per new database.
   * Default, and when it cannot be written (and holds no template): the parent of `dir`, the data directory.
   */
  readonly templateCacheDir?: string;
}

/** `preferred` when it holds the template or can be written, else `fallback` (told why). */
function usableCache(preferred: string, fallback: string, onCreate?: (message: string) => void): string {
  if (preferred === fallback || hasPgliteTemplate(preferred)) return preferred;
  try {
    mkdirSync(preferred, { recursive: true, mode: 0o700 });
    accessSync(preferred, constants.W_OK);
    return preferred;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    onCreate?.(`the template cache ${preferred} is not writable (${code}): caching the empty database in ${fallback} instead`);
    return fallback;
  }
}

/** Makes `dir` (a database directory) this user's only: PostgreSQL refuses a data directory others can read. */
function restrictAccess(dir: string): void {
  try {
    if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
  } catch {
    // Not ours to change (another owner): left as it is.
  }
}

/**
 * Creates a new database as a copy of the cached template (made first if missing), in a scratch directory
 * renamed into place: a crash or a full disk leaves no half-made `dir`.
 */
async function createInPlace(dir: string, what: string, preferredCache: string, onCreate?: (message: string) => void): Promise<void> {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    // Not a database (no PG_VERSION): what an interrupted creation by an older version left. Keep it aside.
    const aside = `${dir}.incomplete-${Date.now()}`;
    renameSync(dir, aside);
    onCreate?.(`${what} ${dir} was incomplete (no PG_VERSION): moved to ${basename(aside)}`);
  }
  const cacheDir = usableCache(preferredCache, dirname(dir), onCreate);
  const cached = hasPgliteTemplate(cacheDir);
  const besideIt = cacheDir === dirname(dir);
  if (!cached && !besideIt) checkSpace(cacheDir, 'template cache', MIN_FREE_TO_CREATE, 'filling', 'XDG_CACHE_HOME');
  checkSpace(dir, what, cached || !besideIt ? MIN_FREE_TO_CREATE : 2 * MIN_FREE_TO_CREATE, 'creating');
  onCreate?.(`first run: creating the ${what} in ${dir} (once, ~${cached ? 1 : 4} s)`);
  try {
    await createPgliteDirFromTemplate(dir, cacheDir);
  } catch (error) {
    throw explainOpenFailure(error, dir, what);
  }
}

/**
 * Opens (creating it on first use) the PGlite database stored in `dir`, locked for this process until
 * close(): another process waits for it (up to `waitMs`), then fails with DirectoryLockedError.
 */
export async function openPglite(dir: string, options: OpenPgliteOptions = {}): Promise<PGlite> {
  const what = options.what ?? 'embedded database';
  mkdirSync(dirname(dir), { recursive: true, mode: 0o700 });
  const release = await lockDirectory(dir, { ...options, what });
  let pglite: PGlite;
  try {
    if (!isCreated(dir)) await createInPlace(dir, what, options.templateCacheDir ?? dirname(dir), options.onCreate);
    restrictAccess(dir);
    checkSpace(dir, what, MIN_FREE_TO_OPEN, 'opening');
    pglite = await PGlite.create(dir, { startParams: [...EMBEDDED_START_PARAMS] }).catch((error: unknown) => {
      throw explainOpenFailure(error, dir, what);
    });
  } catch (error) {
    release();
    throw error;
  }
  const close = pglite.close.bind(pglite);
  pglite.close = async () => {
    try {
      await close();
    } finally {
      release();
    }
  };
  return pglite;
}
