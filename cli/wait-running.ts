// A run started by a person (`etl run`, `etl read --write`) that meets a run of the same job already running
// waits for it by default (bounded by --wait-timeout), then runs; `--no-wait` skips at once, with exit 75
// (EX_TEMPFAIL: try again later), not 1, so a cron job's monitoring does not report a failure that is not one.
import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { UsageError } from '../graph/errors.js';
import type { RunStore } from '../runs/run-store.js';
import type { ProgressOutput } from './progress.js';

/** How long a person's run waits for a running one of its job when neither --wait-timeout nor --timeout says. */
export const DEFAULT_WAIT_MS = 10 * 60_000;
const POLL_MS = 500;

export interface WaitPolicy {
  /** False: skip at once (--no-wait). */
  readonly wait: boolean;
  readonly timeoutMs: number;
}

export interface WaitOptions {
  readonly wait?: boolean;
  readonly waitTimeout?: string;
}

/** Adds --wait-timeout and --no-wait to a command. */
export function withWaitOptions(command: Command): Command {
  return command
    .option('--wait-timeout <duration>', 'when the job is already running, wait at most this long for it (default: --timeout, else 10m)')
    .option('--no-wait', 'when the job is already running, skip at once (exit 75) instead of waiting');
}

/** The policy of the options; the job's own timeout (--timeout) bounds the wait when --wait-timeout is not given. */
export async function waitPolicy(options: WaitOptions, jobTimeoutMs: number | undefined): Promise<WaitPolicy> {
  if (options.waitTimeout === undefined) return { wait: options.wait !== false, timeoutMs: jobTimeoutMs ?? DEFAULT_WAIT_MS };
  if (options.wait === false) throw new UsageError('--wait-timeout and --no-wait: choose one');
  const { parseDuration } = await import('../config/duration.js');
  return { wait: true, timeoutMs: parseDuration(options.waitTimeout, '--wait-timeout') };
}

/** The run of `job` (not a partition run) running now, if any. */
async function runningRun(store: RunStore, job: string): Promise<{ id: number; pid: number | null; host: string | null } | undefined> {
  const running = await store.list({ job, status: 'running', limit: 20 });
  return running.find((r) => r.partitionKey === null);
}

/**
 * Waits until no run of `job` is running, until `deadline` (epoch ms) or until `signal` aborts; says once
 * on `out` that it waits and for which run. True when the job is free.
 */
export async function waitUntilFree(store: RunStore, job: string, deadline: number, out: ProgressOutput, signal: AbortSignal): Promise<boolean> {
  let told = false;
  for (;;) {
    const other = await runningRun(store, job);
    if (other === undefined) return true;
    if (!told) {
      const who = other.pid === null ? '' : ` (pid ${other.pid} on ${other.host ?? '?'})`;
      out.write(`job '${job}' is already running: waiting for run ${other.id}${who} to finish, at most until ${new Date(deadline).toISOString()} (--no-wait to skip)\n`);
      told = true;
    }
    if (Date.now() >= deadline || signal.aborted) return false;
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())), undefined, { signal }).catch(() => undefined);
  }
}
