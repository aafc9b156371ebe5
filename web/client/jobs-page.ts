// The jobs page: the table body re-rendered from JobSummary[] (the `jobs` events, and /api/jobs after an action).
import { byId, replace } from './dom.js';
import { jobRow } from './view/job-row.js';
import type { JobSummaryJson } from './view/wire.js';

export function renderJobs(jobs: readonly JobSummaryJson[]): void {
  replace(byId('jobs'), jobs.map(jobRow));
}

/** Reads /api/jobs and re-renders (after an action, without waiting for the stream); failures are ignored. */
export async function refreshJobs(): Promise<void> {
  try {
    const res = await fetch('/api/jobs', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!res.ok) return;
    const jobs: JobSummaryJson[] = await res.json();
    renderJobs(jobs);
  } catch {
    // the stream brings the change anyway
  }
}
