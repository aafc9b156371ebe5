// Who a process is, beyond its PID: host, PID and start time (boot id + start tick from /proc), so a
// record left by a dead process can be told from one held by a live process that got the same PID.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessIdentity {
  readonly host: string;
  readonly pid: number;
  /** `<boot id>:<start tick>` on Linux; '' where /proc is not readable (then only the PID is compared). */
  readonly start: string;
}

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

/** The start of process `pid` ('' if unknown, undefined if the process does not exist). */
export function processStart(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return existsByKill(pid) ? '' : undefined;
    return '';
  }
  // Field 2 (the command) is in parentheses and may hold spaces: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const tick = fields[19];
  return tick === undefined ? '' : `${bootId()}:${tick}`;
}

function existsByKill(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let self: ProcessIdentity | undefined;

/** This process. */
export function currentProcess(): ProcessIdentity {
  self ??= Object.freeze({ host: hostname(), pid: process.pid, start: processStart(process.pid) ?? '' });
  return self;
}

/**
 * Whether the process `identity` names is still running: false when it is on this host and its PID is
 * gone or now belongs to a process that started at another time. A process on another host is assumed alive.
 */
export function isAlive(identity: { readonly host?: string | null; readonly pid: number; readonly start?: string | null }): boolean {
  if (identity.host != null && identity.host !== '' && identity.host !== currentProcess().host) return true;
  const start = processStart(identity.pid);
  if (start === undefined) return false;
  if (identity.start == null || identity.start === '' || start === '') return true;
  return start === identity.start;
}
