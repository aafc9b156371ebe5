// The dashboards there are: the package's own folder (dashboards/*.json, found from the package root) and the
// user's (dashboards.dir); by uid, the user's winning over a shipped one of the same uid. A file that is not
// JSON, or has no uid or no panels, is listed with its error (naming the file and the key); the others still load.
import { existsSync, realpathSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DashboardFileError } from './errors.js';

export type DashboardSource = 'shipped' | 'user';

export interface DashboardFile {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly source: DashboardSource;
  readonly file: string;
  /** Grafana's dashboard JSON as stored. */
  readonly json: Readonly<Record<string, unknown>>;
}

export interface BrokenDashboard {
  readonly file: string;
  readonly source: DashboardSource;
  readonly error: string;
}

export interface Catalog {
  readonly dashboards: readonly DashboardFile[];
  readonly broken: readonly BrokenDashboard[];
}

/** The package's dashboards folder: `dashboards/` of the nearest folder above this module holding package.json. */
export function shippedDashboardsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`dashboards: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return join(dir, 'dashboards');
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** One file read and checked: a DashboardFileError names the file and what is wrong. */
export function parseDashboard(file: string, content: string, source: DashboardSource): DashboardFile {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    throw new DashboardFileError(file, `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new DashboardFileError(file, 'not a Grafana dashboard (a JSON object)');
  const record = json as Record<string, unknown>;
  if (typeof record.uid !== 'string' || record.uid === '') throw new DashboardFileError(file, 'uid: missing (a non-empty text)');
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(record.uid)) throw new DashboardFileError(file, `uid: '${record.uid}' is not a Grafana uid (letters, digits, '_' or '-', at most 40)`);
  if (!Array.isArray(record.panels)) throw new DashboardFileError(file, 'panels: missing (a list of panels)');
  const tags = Array.isArray(record.tags) ? record.tags.filter((t): t is string => typeof t === 'string') : [];
  return { uid: record.uid, title: text(record.title) || record.uid, description: text(record.description), tags, source, file, json: record };
}

/** Files read before, by path: parsed again only when changed (every panel request reads the catalog). */
const parsed = new Map<string, { readonly version: string; readonly dashboard: DashboardFile }>();

/** The file parsed, from the cache while its size, times and inode are the same. */
async function readDashboard(file: string, source: DashboardSource): Promise<DashboardFile> {
  const s = await stat(file, { bigint: true });
  const version = `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  const cached = parsed.get(file);
  if (cached?.version === version && cached.dashboard.source === source) return cached.dashboard;
  const dashboard = parseDashboard(file, await readFile(file, 'utf8'), source);
  parsed.set(file, { version, dashboard });
  return dashboard;
}

async function readFolder(dir: string, source: DashboardSource): Promise<{ found: DashboardFile[]; broken: BrokenDashboard[] }> {
  const found: DashboardFile[] = [];
  const broken: BrokenDashboard[] = [];
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    if (source === 'shipped') return { found, broken };
    return { found, broken: [{ file: dir, source, error: `${dir}: cannot read the dashboards folder (dashboards.dir): ${(error as Error).message}` }] };
  }
  for (const name of names) {
    const file = join(dir, name);
    try {
      found.push(await readDashboard(file, source));
    } catch (error) {
      broken.push({ file, source, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { found, broken };
}

const realpath = (dir: string): string => {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
};

/** Reads both folders now (files may change while the UI runs). Two files with one uid: the later is listed broken. */
export async function loadCatalog(userDir: string | undefined, shippedDir = shippedDashboardsDir()): Promise<Catalog> {
  const shipped = await readFolder(shippedDir, 'shipped');
  const user = userDir === undefined || realpath(userDir) === realpath(shippedDir) ? { found: [], broken: [] } : await readFolder(userDir, 'user');
  const byUid = new Map<string, DashboardFile>();
  const broken = [...shipped.broken, ...user.broken];
  for (const dashboard of shipped.found) {
    if (byUid.has(dashboard.uid)) broken.push({ file: dashboard.file, source: 'shipped', error: `${dashboard.file}: uid '${dashboard.uid}' is also the uid of ${byUid.get(dashboard.uid)!.file}` });
    else byUid.set(dashboard.uid, dashboard);
  }
  for (const dashboard of user.found) {
    const other = byUid.get(dashboard.uid);
    if (other?.source === 'user') broken.push({ file: dashboard.file, source: 'user', error: `${dashboard.file}: uid '${dashboard.uid}' is also the uid of ${other.file}` });
    else byUid.set(dashboard.uid, dashboard);
  }
  return { dashboards: [...byUid.values()], broken };
}
