// An exclusive lock on a data directory across processes: a lock file beside it, created atomically.
// PGlite keeps a directory to itself but does not lock it; two processes writing one directory would
// corrupt it. The file names its holder (host, PID, process start time, since when): a lock whose process
// is gone (a crash, kill -9), or whose PID now belongs to another process (a container restarted after an
// OOM kill gets the same PID), is taken over. A waiter says so at once, and waits a bounded time.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { EtlError } from '../graph/errors.js';
import { formatDuration } from '../graph/duration.js';
import { currentProcess, isAlive } from './process-identity.js';

export class DirectoryLockedError extends EtlError {
  override readonly name = 'DirectoryLockedError';
}

/** The wait for a lock ended because `stopWaiting` said so (the holder offers another way in). */
export class LockWaitStopped extends EtlError {
  override readonly name = 'LockWaitStopped';
}

export interface LockOptions {
  /** How long to wait for another process to let go, in ms (default 60 s). */
  readonly waitMs?: number;
  /** What the directory is, for messages (default 'directory'). */
  readonly what?: string;
  /** Told once, as soon as the lock is found held by a live process and the wait begins. */
  readonly onWait?: (message: string) => void;
  /** Asked at each look while the lock is held: true ends the wait with LockWaitStopped. */
  readonly stopWaiting?: () => boolean;
}

interface Holder {
  readonly pid: number;
  readonly host?: string;
  readonly start?: string;
  readonly since?: string;
}

/** Lock files this process holds (a lock naming this PID that is not here is stale: a reused PID). */
const held = new Set<string>();

function readHolder(lockFile: string): Holder | undefined {
  let text: string;
  try {
    text = readFileSync(lockFile, 'utf8').trim();
  } catch {
    return undefined;
  }
  // Older versions wrote the PID alone.
  if (/^\d+$/.test(text)) return { pid: Number(text) };
  try {
    const parsed = JSON.parse(text) as Partial<Holder>;
    return Number.isInteger(parsed.pid) && parsed.pid! > 0 ? (parsed as Holder) : undefined;
  } catch {
    return undefined;
  }
}

function tryCreate(lockFile: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockFile, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    const me = currentProcess();
    writeSync(fd, `${JSON.stringify({ pid: me.pid, host: me.host, start: me.start, since: new Date().toISOString() })}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function isLive(lockFile: string, holder: Holder): boolean {
  if (holder.pid === process.pid) return held.has(lockFile);
  return isAlive(holder);
}

function describeHolder(lockFile: string, holder: Holder): string {
  if (holder.pid === process.pid) return 'this process';
  const host = holder.host && holder.host !== currentProcess().host ? ` on host ${holder.host}` : '';
  return `process ${holder.pid}${host}${holder.since ? ` (since ${holder.since})` : ''}`;
}

/** Locks `dir` (via `<dir>.lock`) for this process; resolves to the function that releases it. */
export async function lockDirectory(dir: string, options: LockOptions = {}): Promise<() => void> {
  const lockFile = `${dir}.lock`;
  const waitMs = options.waitMs ?? 60_000;
  const what = options.what ?? 'directory';
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    if (tryCreate(lockFile)) break;
    const holder = readHolder(lockFile);
    if (holder === undefined || !isLive(lockFile, holder)) {
      // Stale (its process is gone or its PID was reused) or half-written: remove it and try again.
      try {
        unlinkSync(lockFile);
      } catch {
        // Another process removed it first.
      }
      continue;
    }
    const by = describeHolder(lockFile, holder);
    if (Date.now() >= deadline) {
      throw new DirectoryLockedError(
        `${what} ${dir} is in use by ${by} (another etl command?); waited ${formatDuration(waitMs)}. ` +
          `Stop that process, or wait longer (metricsDatabase.lockWait, ETL_LOCK_WAIT)`,
      );
    }
    if (options.stopWaiting?.() === true) throw new LockWaitStopped(`${what} ${dir}: no longer waiting for ${by}`);
    if (!told) {
      told = true;
      options.onWait?.(`waiting for ${what} ${dir}: in use by ${by}; giving up after ${formatDuration(waitMs)}`);
    }
    await sleep(Math.min(100, Math.max(1, deadline - Date.now())));
  }
  held.add(lockFile);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.delete(lockFile);
    if (readHolder(lockFile)?.pid === process.pid) unlinkSync(lockFile);
  };
}
