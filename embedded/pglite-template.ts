// New PGlite database directories copied from a cached empty one, instead of running initdb (~2.5 s) each time.
//
// A template is an initdb'd, never-used data directory made by the installed PGlite version (its version is
// in the template's name), in a cache directory shared by the databases created from it (the user's cache
// directory, see open-pglite.ts, so a data directory holds no copy of its own). Creating a database
// copies it (0.2-0.5 s for its ~40 MB). Templates and copies are made in a scratch directory, then renamed into
// place, so a crash leaves no half-made database and concurrent processes agree on one template.
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { EMBEDDED_INITDB_PARAMS, EMBEDDED_START_PARAMS } from './pglite-memory.js';

let version: string | undefined;

/** The installed PGlite version (a data directory made by one version is not given to another). */
function pgliteVersion(): string {
  if (version === undefined) {
    const wasm = createRequire(import.meta.url).resolve('@electric-sql/pglite/pglite.wasm');
    version = (JSON.parse(readFileSync(join(dirname(wasm), '..', 'package.json'), 'utf8')) as { version: string }).version;
  }
  return version;
}

/** Where the template of the installed PGlite version lives in `cacheDir`. */
export function pgliteTemplateDir(cacheDir: string): string {
  return join(cacheDir, `.pglite-template-${pgliteVersion()}`);
}

/** Whether `dir` holds a PGlite (PostgreSQL) data directory. */
export function isPgliteDir(dir: string): boolean {
  return existsSync(join(dir, 'PG_VERSION'));
}

function scratchFor(path: string): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  return `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Renames `scratch` to `target` unless another process put something there first (then drops `scratch`). */
function settle(scratch: string, target: string): void {
  try {
    if (existsSync(target) && readdirSync(target).length === 0) rmdirSync(target);
    renameSync(scratch, target);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (!(code === 'ENOTEMPTY' || code === 'EEXIST') || !existsSync(target)) throw error;
  }
}

/** Whether the template in `cacheDir` is there already (creating a database then takes no initdb). */
export function hasPgliteTemplate(cacheDir: string): boolean {
  return isPgliteDir(pgliteTemplateDir(cacheDir));
}

/** Makes the template in `cacheDir` (one initdb) unless it is there; resolves to its directory. */
export async function ensurePgliteTemplate(cacheDir: string): Promise<string> {
  const template = pgliteTemplateDir(cacheDir);
  if (isPgliteDir(template)) return template;
  const scratch = scratchFor(template);
  try {
    const pglite = await PGlite.create(scratch, { startParams: [...EMBEDDED_START_PARAMS], initDbStartParams: [...EMBEDDED_INITDB_PARAMS] });
    await pglite.close();
    chmodSync(scratch, 0o700); // its copies keep this mode
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  settle(scratch, template);
  return template;
}

/**
 * Creates the empty database `dir` (mode 0700) as a copy of the template in `cacheDir` (made first if missing). `dir`
 * must not hold a database; the caller holds its lock (writers/dir-lock) so no other process is opening it.
 */
export async function createPgliteDirFromTemplate(dir: string, cacheDir: string): Promise<void> {
  const template = await ensurePgliteTemplate(cacheDir);
  const scratch = scratchFor(dir);
  try {
    cpSync(template, scratch, { recursive: true });
    chmodSync(scratch, 0o700); // a template made by an older version may be 0755
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  settle(scratch, dir);
}
