import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDirFromTemplate, ensurePgliteTemplate, hasPgliteTemplate, isPgliteDir, pgliteTemplateDir } from './pglite-template.js';

describe('PGlite template', () => {
  let cache: string;
  beforeAll(() => {
    cache = mkdtempSync(join(tmpdir(), 'etl-template-'));
  });
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  it('is made once per PGlite version, in a scratch directory renamed into place', async () => {
    expect(hasPgliteTemplate(cache)).toBe(false);
    const template = await ensurePgliteTemplate(cache);
    expect(template).toBe(pgliteTemplateDir(cache));
    expect(template).toMatch(/\.pglite-template-\d+\.\d+\.\d+$/);
    expect(isPgliteDir(template)).toBe(true);
    expect(readdirSync(cache)).toEqual([template.slice(cache.length + 1)]);
    const started = performance.now();
    expect(await ensurePgliteTemplate(cache)).toBe(template);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('gives a new, empty database that opens without initdb', async () => {
    const dir = join(cache, 'db');
    mkdirSync(dir); // an empty directory is replaced
    await createPgliteDirFromTemplate(dir, cache);
    const db = await PGlite.create(dir);
    try {
      const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
      expect(rows).toEqual([{ n: 0 }]);
      await db.exec('CREATE TABLE marker (id int)');
    } finally {
      await db.close();
    }
  });

  it('never overwrites a directory that holds something; leaves no scratch copies', async () => {
    const dir = join(cache, 'db');
    await createPgliteDirFromTemplate(dir, cache); // lost the race: `dir` is there already
    const db = await PGlite.create(dir);
    try {
      expect((await db.query("SELECT to_regclass('marker') IS NOT NULL AS kept")).rows).toEqual([{ kept: true }]);
    } finally {
      await db.close();
    }
    const other = join(cache, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'note.txt'), 'not a database');
    await createPgliteDirFromTemplate(other, cache);
    expect(readdirSync(other)).toEqual(['note.txt']);
    expect(readdirSync(cache).filter((name) => name.includes('.tmp-'))).toEqual([]);
    expect(existsSync(join(other, 'PG_VERSION'))).toBe(false);
  });
});
