import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectoryLockedError, lockDirectory } from './dir-lock.js';
import { openPglite } from './pglite-metrics-db.js';

const root = mkdtempSync(join(tmpdir(), 'etl-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('directory lock', () => {
  it('keeps a second opener out until the first lets go', async () => {
    const dir = join(root, 'a');
    const release = await lockDirectory(dir, { what: 'embedded database' });
    expect(readFileSync(`${dir}.lock`, 'utf8').trim()).toBe(String(process.pid));
    const second = lockDirectory(dir, { what: 'embedded database', waitMs: 300 });
    await expect(second).rejects.toThrow(DirectoryLockedError);
    await expect(lockDirectory(dir, { waitMs: 0 })).rejects.toThrow(`directory ${dir} is in use by this process`);
    const waiting = lockDirectory(dir, { waitMs: 5_000 });
    setTimeout(release, 200);
    const releaseSecond = await waiting;
    releaseSecond();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it('takes over a lock whose process is gone', async () => {
    const dir = join(root, 'stale');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(`${dir}.lock`, `${gone}\n`);
    const release = await lockDirectory(dir, { waitMs: 0 });
    expect(readFileSync(`${dir}.lock`, 'utf8').trim()).toBe(String(process.pid));
    release();
  });

  it('guards PGlite directories: a second open fails while the first is open, and works after close()', async () => {
    const dir = join(root, 'pglite');
    const first = await openPglite(dir);
    await expect(openPglite(dir, { waitMs: 100 })).rejects.toThrow(`embedded database ${dir} is in use by this process`);
    await first.close();
    const second = await openPglite(dir, { waitMs: 100 });
    expect((await second.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await second.close();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });
});
