// What the firing executor tells others of a firing: the partition store (started, ended), the alert sink
// (final outcomes, never awaited), and the key that makes two schedulers record one run per firing.
import { describeError } from '../graph/index.js';
import type { Partition } from '../runs/partitions.js';
import type { FinalOutcome } from './final-outcome.js';
import type { FiringContext, FiringDeps } from './firing-deps.js';
import type { Firing } from './firing.js';
import { markPartitionEnded, markPartitionStarted, markScheduledDay, type MarkOutcome } from './partition-marks.js';

/**
 * Tells the alert sink of a final outcome without waiting: a webhook that fails or hangs neither fails nor
 * delays the run, it is logged (its message is already masked by the sink).
 */
export function alert(ctx: FiringContext, outcome: FinalOutcome): void {
  const sink = ctx.deps.alerts;
  if (sink === undefined) return;
  let sent: Promise<void>;
  try {
    sent = sink.notify(outcome);
  } catch (error) {
    sent = Promise.reject(error);
  }
  sent.catch((error: unknown) => ctx.deps.log.warn({ ...ctx.fields, runId: outcome.runId }, `alert not sent: ${error instanceof Error ? error.message : String(error)}`));
}

/** A failure is final when it will not be retried: not retryable, or the schedule's last attempt. */
export function finalFailure(ctx: FiringContext, retry: boolean): boolean {
  return !retry || ctx.firing.attempt > (ctx.policy?.retries ?? 0);
}

export function finalOutcome(ctx: FiringContext, runId: number | undefined, status: 'succeeded' | 'failed', more: { error?: string; retryable?: boolean } = {}): FinalOutcome {
  return {
    job: ctx.job.name,
    runId,
    status,
    attempt: ctx.firing.attempt,
    attempts: (ctx.policy?.retries ?? 0) + 1,
    ...(ctx.window === undefined ? {} : { window: ctx.window.hours }),
    ...more,
  };
}

/** A partition run marks its partition running (a failure to do so is logged: the run goes on). */
export async function markStarted(ctx: FiringContext, partition: Partition, runId: number | undefined): Promise<void> {
  if (ctx.deps.partitions === undefined) return;
  await markPartitionStarted(ctx.deps.partitions, ctx.job.name, partition, runId).catch((error: unknown) =>
    ctx.deps.log.warn({ ...ctx.fields }, `partition ${partition.key} not recorded: ${describeError(error)}`),
  );
}

/** Records the outcome in the partition store (a failure to do so is logged: the run's own record stands). */
export async function markOutcome(ctx: FiringContext, outcome: MarkOutcome): Promise<void> {
  const { deps, partition, window, firing } = ctx;
  const parts = deps.partitions;
  if (parts === undefined || window === undefined) return;
  try {
    if (partition !== undefined) await markPartitionEnded(parts, ctx.job.name, partition, outcome);
    else if (firing.trigger === 'schedule' || firing.trigger === 'retry') await markScheduledDay(parts, ctx.job.name, window, outcome);
  } catch (error) {
    deps.log.warn({ job: ctx.job.name, runId: outcome.runId }, `partition not recorded: ${describeError(error)}`);
  }
}

export function firingKey(deps: Pick<FiringDeps, 'firingKeys'>, firing: Firing): { firingKey?: string } {
  if (!deps.firingKeys || firing.trigger === 'manual') return {};
  return { firingKey: `${firing.job}@${new Date(firing.scheduledFor).toISOString()}#${firing.attempt}` };
}
