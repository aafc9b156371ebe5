// What the jobs page shows of each job: its schedule (cron, in words, next firing), paused state, last run
// and the last 20 runs, read from the registry, the schedules in force and the run store.
import type { RunRecord } from '../runs/run-store.js';
import { nextFiring } from '../scheduler/schedule.js';
import type { JobSummary, UiDeps } from './contract.js';
import { cronText } from './cron-text.js';

/** How many runs the squares of a job show. */
export const RECENT_RUNS = 20;

function scheduleOf(deps: UiDeps, job: string, now: number): JobSummary['schedule'] {
  const schedule = deps.schedules.find((s) => s.job === job);
  if (schedule === undefined) return null;
  let next: number;
  try {
    next = nextFiring(schedule, now);
  } catch {
    next = Number.NaN;
  }
  return { cron: schedule.cron, timeZone: schedule.timeZone, text: cronText(schedule.cron), next };
}

function summary(deps: UiDeps, job: { name: string; description: string }, runs: readonly RunRecord[], paused: ReadonlySet<string>, now: number): JobSummary {
  return {
    name: job.name,
    description: job.description,
    schedule: scheduleOf(deps, job.name, now),
    paused: paused.has(job.name),
    lastRun: runs[0] ?? null,
    recent: runs.map((run) => ({ id: run.id, status: run.status })),
  };
}

/** Every job of the registry, in its order. */
export async function jobSummaries(deps: UiDeps, now = Date.now()): Promise<JobSummary[]> {
  const [registry, { runs: store, jobs: jobState }] = await Promise.all([deps.runtime.registry(), deps.runtime.runStorage()]);
  const paused = await jobState.pausedJobs();
  const jobs = registry.list();
  const runs = await Promise.all(jobs.map((job) => store.list({ job: job.name, limit: RECENT_RUNS })));
  return jobs.map((job, i) => summary(deps, job, runs[i]!, paused, now));
}
