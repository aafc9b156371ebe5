// An exclusive lock on a data directory across processes: a PID file beside it, created atomically.
// PGlite keeps a directory to itself but does not lock it; two processes writing one directory would
// corrupt it. A lock whose process is gone (a crash, kill -9) is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { EtlError } from '../graph/errors.js';

export class DirectoryLockedError extends EtlError {
  override readonly name = 'DirectoryLockedError';
}

export interface LockOptions {
  /** How long to wait for another process to let go, in ms (default 60 s). */
  readonly waitMs?: number;
  /** What the directory is, for the error message (default 'directory'). */
  readonly what?: string;
}

function holder(lockFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(lockFile: string): boolean {
  try {
    const fd = openSync(lockFile, 'wx');
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Locks `dir` (via `<dir>.lock`) for this process; resolves to the function that releases it. */
export async function lockDirectory(dir: string, options: LockOptions = {}): Promise<() => void> {
  const lockFile = `${dir}.lock`;
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  for (;;) {
    if (tryCreate(lockFile)) break;
    const pid = holder(lockFile);
    if (pid === undefined || (pid !== process.pid && !alive(pid))) {
      // Stale (its process is gone) or half-written: remove it and try again.
      try {
        unlinkSync(lockFile);
      } catch {
        // Another process removed it first.
      }
      continue;
    }
    if (Date.now() >= deadline) {
      const by = pid === process.pid ? 'this process' : `process ${pid}`;
      throw new DirectoryLockedError(`${options.what ?? 'directory'} ${dir} is in use by ${by} (another etl command?); remove ${lockFile} if that process is gone`);
    }
    await sleep(100);
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (holder(lockFile) === process.pid) unlinkSync(lockFile);
  };
}
