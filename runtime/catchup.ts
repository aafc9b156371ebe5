// Catchup at scheduler start-up (embedded and BullMQ modes alike): for each schedule with `"catchup": true`,
// the day partitions of the firings missed since the job's last successful scheduled run are queued as a
// backfill for whoever runs jobs (this embedded scheduler, or the workers).
import { catchupPlan, lastScheduledSuccess, type CatchupPlan } from '../scheduler/catchup.js';
import type { FiringLog } from '../execution/run-firing.js';
import type { JobSchedule } from '../scheduler/schedule.js';
import { isPartitionedJob, queueBackfill, type BackfillQueued } from './partitions.js';
import type { EtlRuntime } from './runtime.js';

export interface CatchupResult {
  readonly job: string;
  readonly plan: CatchupPlan;
  readonly queued: BackfillQueued;
}

export async function catchUp(runtime: EtlRuntime, schedules: readonly JobSchedule[], log: FiringLog, options: { readonly self: boolean; readonly now?: number }): Promise<CatchupResult[]> {
  const now = options.now ?? Date.now();
  const results: CatchupResult[] = [];
  for (const schedule of schedules) {
    if (schedule.catchupMs === undefined) continue;
    const { job } = schedule;
    if (!(await isPartitionedJob(runtime, job))) {
      log.warn({ job }, `catchup: ${job} is not a read job (no partitions): missed firings are not run`);
      continue;
    }
    const since = await lastScheduledSuccess((await runtime.runStorage()).runs, job);
    if (since === undefined) {
      log.info({ job }, `catchup: ${job} has no successful scheduled run yet: nothing to catch up from (etl backfill ${job} --from ... for the past)`);
      continue;
    }
    const plan = catchupPlan(schedule, since, now);
    if (plan === undefined) continue;
    const queued = await queueBackfill(runtime, job, { from: plan.days[0]!, to: plan.days[plan.days.length - 1]!, grain: 'day' }, { self: options.self, now });
    const fields = { job, missed: plan.missed, since: new Date(since).toISOString(), days: plan.days };
    const what = queued.kind === 'queued' ? `${queued.runIds.length} day partition${queued.runIds.length === 1 ? '' : 's'} queued (${plan.days[0]} to ${plan.days[plan.days.length - 1]})` : queued.kind === 'nothing' ? queued.reason : 'nobody runs jobs';
    log.info(fields, `catchup: ${plan.missed} firing${plan.missed === 1 ? '' : 's'} of ${job} missed since ${new Date(since).toISOString()}: ${what}`);
    if (plan.dropped) log.warn(fields, `catchup: firings of ${job} before ${new Date(now - schedule.catchupMs).toISOString()} (maxCatchup) are not run: etl backfill ${job} --from ${new Date(since).toISOString().slice(0, 10)} for those`);
    results.push({ job, plan, queued });
  }
  return results;
}
