// A redelivered firing (its queue gave it again after its worker stopped renewing the lock) and the run its
// dead attempt left running: closed at once when its process is provably gone (same host: PID), else once its
// heartbeat is stale (another host), which the firing waits for instead of being recorded skipped.
import { HEARTBEAT_MS, STALE_HEARTBEAT_MS, type RunRecord } from '../runs/run-store.js';
import type { FiringDeps, RedeliveryWait } from './firing-deps.js';
import { firingKey } from './firing-steps.js';
import type { Firing, FiringOutcome } from './firing.js';

const DEFAULT_WAIT: RedeliveryWait = { timeoutMs: STALE_HEARTBEAT_MS + HEARTBEAT_MS, pollMs: 1000 };

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The running run of `job` in partition `partitionKey` (one at most: the store's unique index). */
async function runningRun(deps: FiringDeps, job: string, partitionKey: string | null): Promise<RunRecord | undefined> {
  const running = await deps.store.list({ job, status: 'running', limit: 100 });
  return running.find((run) => (run.partitionKey ?? '') === (partitionKey ?? ''));
}

const owner = (run: RunRecord): string => (run.pid === null ? 'an unknown process' : `pid ${run.pid} on ${run.host ?? 'an unknown host'}`);

/**
 * Waits until no run of `job` (and partition) is running, closing runs whose process is gone (closeOrphans:
 * same host by PID, any host by a stale heartbeat) as it goes. Gives up after the wait or when `signal`
 * aborts; returns the run still running then (its process is alive: the firing is skipped as any other).
 */
export async function awaitJobReleased(deps: FiringDeps, job: string, partitionKey: string | null, fields: Record<string, unknown>, signal: AbortSignal): Promise<RunRecord | undefined> {
  const { timeoutMs, pollMs } = deps.redeliveryWait ?? DEFAULT_WAIT;
  const until = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    const holder = await runningRun(deps, job, partitionKey);
    if (holder === undefined) return undefined;
    if ((await deps.store.closeOrphans()).includes(holder.id)) {
      deps.log.warn({ ...fields, closedRunId: holder.id }, `run ${holder.id} of ${job} was left running by ${owner(holder)}, which is gone: closed failed; this redelivery runs`);
      continue;
    }
    if (signal.aborted || Date.now() >= until) return holder;
    if (!told) {
      deps.log.info({ ...fields, runningRunId: holder.id }, `run ${holder.id} of ${job} is running (${owner(holder)}): this redelivery waits up to ${timeoutMs} ms for it to end or its heartbeat to go stale`);
      told = true;
    }
    await pause(Math.min(pollMs, until - Date.now()), signal);
  }
}

/**
 * Before a redelivered firing runs: waits for the run its dead attempt left (awaitJobReleased). A firing
 * cancelled meanwhile (its worker closing) is recorded cancelled and its outcome returned; undefined: run it.
 */
export async function releaseDeadAttempt(deps: FiringDeps, firing: Firing, queued: { readonly runId: number | undefined; readonly partitionKey: string | null }, fields: Record<string, unknown>, signal: AbortSignal): Promise<FiringOutcome | undefined> {
  const holder = await awaitJobReleased(deps, firing.job, queued.partitionKey, fields, signal);
  if (holder === undefined) return undefined;
  if (!signal.aborted) {
    deps.log.warn({ ...fields, runningRunId: holder.id }, `run ${holder.id} of ${firing.job} is still running with a fresh heartbeat (${owner(holder)}): its process is alive`);
    return undefined;
  }
  const why = `cancelled while waiting for run ${holder.id} of ${firing.job} to end`;
  const partition = queued.partitionKey === null ? {} : { partitionKey: queued.partitionKey };
  const runId = queued.runId ?? (await deps.store.create({ job: firing.job, trigger: firing.trigger, scheduledFor: firing.scheduledFor, attempt: firing.attempt, ...firingKey(deps, firing), ...partition }));
  if (runId !== undefined) await deps.store.finish(runId, 'cancelled', why);
  deps.log.warn({ ...fields, runId }, why);
  return { kind: 'cancelled', runId };
}
