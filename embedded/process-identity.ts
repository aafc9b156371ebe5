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

/** The start of process `pid` ('' if unknown, undefined if the process does not exist or has exited: a zombie). */
export function processStart(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return existsByKill(pid) ? '' : undefined;
    return '';
  }
  const { state, startTick } = parseProcStat(stat);
  // A zombie (killed, not reaped yet by its parent) or a dead task still has its /proc entry: it is gone.
  if (state === 'Z' || state === 'X' || state === 'x') return undefined;
  return startTick === undefined ? '' : `${bootId()}:${startTick}`;
}

/** Fields of a /proc/<pid>/stat line: state (field 3: 'R', 'S', ... 'Z' zombie, 'X' dead) and start tick (field 22). */
export function parseProcStat(stat: string): { readonly state: string | undefined; readonly startTick: string | undefined } {
  // Field 2 (the command) is in parentheses and may hold spaces: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0] === '' ? undefined : fields[0];
  return { state, startTick: fields[19] };
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
 * gone (or a zombie) or now belongs to a process that started at another time. A process on another host is assumed alive.
 */
export function isAlive(identity: { readonly host?: string | null; readonly pid: number; readonly start?: string | null }): boolean {
  if (identity.host != null && identity.host !== '' && identity.host !== currentProcess().host) return true;
  const start = processStart(identity.pid);
  if (start === undefined) return false;
  if (identity.start == null || identity.start === '' || start === '') return true;
  return start === identity.start;
}
