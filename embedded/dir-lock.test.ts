import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectoryLockedError, LockWaitStopped, lockDirectory } from './dir-lock.js';
import { openPglite } from './open-pglite.js';
import { currentProcess } from './process-identity.js';

const root = mkdtempSync(join(tmpdir(), 'etl-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('directory lock', () => {
  it('stops waiting when told the holder offers another way in (stopWaiting), looking again at each poll', async () => {
    const dir = join(root, 'stop');
    const release = await lockDirectory(dir);
    let looks = 0;
    const waiting = lockDirectory(dir, { waitMs: 5_000, stopWaiting: () => ++looks >= 3 });
    await expect(waiting).rejects.toThrow(LockWaitStopped);
    expect(looks).toBe(3);
    expect(JSON.parse(readFileSync(`${dir}.lock`, 'utf8'))).toMatchObject({ pid: process.pid }); // still the holder's
    release();
  });

  it('keeps a second opener out until the first lets go', async () => {
    const dir = join(root, 'a');
    const release = await lockDirectory(dir, { what: 'embedded database' });
    expect(JSON.parse(readFileSync(`${dir}.lock`, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname(), start: currentProcess().start });
    const notices: string[] = [];
    const second = lockDirectory(dir, { what: 'embedded database', waitMs: 300, onWait: (m) => notices.push(m) });
    await expect(second).rejects.toThrow(DirectoryLockedError);
    expect(notices).toEqual([`waiting for embedded database ${dir}: in use by this process; giving up after 300ms`]);
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
    expect(JSON.parse(readFileSync(`${dir}.lock`, 'utf8')).pid).toBe(process.pid);
    release();
  });

  it('takes over a lock whose PID was reused: by this process (not holding it), or by a live process that started later', async () => {
    const dir = join(root, 'reused');
    // A container restarted after an OOM kill: the new process gets the PID its predecessor wrote.
    writeFileSync(`${dir}.lock`, `${process.pid}\n`);
    const first = await lockDirectory(dir, { waitMs: 0 });
    first();
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: process.ppid, host: hostname(), start: 'another-boot:1', since: '2026-01-01T00:00:00Z' }));
    const second = await lockDirectory(dir, { waitMs: 0 });
    expect(JSON.parse(readFileSync(`${dir}.lock`, 'utf8')).pid).toBe(process.pid);
    second();
  });

  it('waits for a live holder in another process, saying so at once, and names it when giving up', async () => {
    const dir = join(root, 'live');
    const compiled = pathToFileURL(resolve(import.meta.dirname, '../dist/embedded/dir-lock.js')).href;
    const holder = spawn(process.execPath, ['--input-type=module', '-e', `
      const { lockDirectory } = await import(${JSON.stringify(compiled)});
      await lockDirectory(${JSON.stringify(dir)});
      process.stdout.write('locked');
      setTimeout(() => {}, 60_000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((ready, failed) => {
        holder.stdout.once('data', () => ready());
        holder.once('exit', (code) => failed(new Error(`lock holder exited with ${code}`)));
      });
      const notices: string[] = [];
      const started = Date.now();
      await expect(lockDirectory(dir, { waitMs: 500, what: 'embedded database', onWait: (m) => notices.push(m) })).rejects.toThrow(
        new RegExp(`embedded database ${dir} is in use by process ${holder.pid} \\(since 20\\d\\d-`),
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(450);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(new RegExp(`^waiting for embedded database ${dir}: in use by process ${holder.pid} \\(since `));
    } finally {
      holder.kill('SIGKILL');
    }
    // Killed with SIGKILL: its lock is stale and taken over at once.
    await new Promise((resolve) => holder.once('exit', resolve));
    (await lockDirectory(dir, { waitMs: 0 }))();
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
