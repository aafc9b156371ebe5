// Where a new embedded database's template is cached (the user's cache, else the data directory), and its modes.
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from './open-pglite.js';
import { pgliteTemplateDir } from './pglite-template.js';

const root = mkdtempSync(join(tmpdir(), 'etl-open-pglite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe('openPglite: the template cache and the modes of a new database', () => {
  it('keeps the template in the cache it is given: the data directory holds the database alone, 0700', async () => {
    const cache = join(root, 'xdg', 'etl-metrics');
    const dir = join(root, 'data', 'metrics-db');
    const told: string[] = [];
    const db = await openPglite(dir, { templateCacheDir: cache, onCreate: (m) => told.push(m) });
    await db.close();
    expect(existsSync(join(pgliteTemplateDir(cache), 'PG_VERSION'))).toBe(true);
    expect(readdirSync(dirname(dir)).filter((name) => !name.endsWith('.lock'))).toEqual(['metrics-db']);
    expect(mode(dirname(dir))).toBe('700');
    expect(mode(dir)).toBe('700');
    expect(told.join('\n')).not.toContain('not writable');
  });

  it('falls back to the data directory when the cache cannot be written', async () => {
    const notADirectory = join(root, 'a-file');
    writeFileSync(notADirectory, '');
    const cache = join(notADirectory, 'etl-metrics'); // ENOTDIR, even for root
    const dir = join(root, 'data-2', 'metrics-db');
    const told: string[] = [];
    const db = await openPglite(dir, { templateCacheDir: cache, onCreate: (m) => told.push(m) });
    await db.close();
    expect(existsSync(join(pgliteTemplateDir(dirname(dir)), 'PG_VERSION'))).toBe(true);
    expect(told[0]).toBe(`the template cache ${cache} is not writable (ENOTDIR): caching the empty database in ${dirname(dir)} instead`);
  });

  it('tightens an existing database directory others could read to 0700 (as PostgreSQL requires)', async () => {
    const dir = join(root, 'data', 'metrics-db');
    chmodSync(dir, 0o755);
    const db = await openPglite(dir);
    await db.close();
    expect(mode(dir)).toBe('700');
  });
});
