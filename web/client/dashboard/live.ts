// What keeps a dashboard current without a reload: the page's jobs stream (GET /api/events?view=jobs: a run that
// succeeded or failed since the last fetch may have written new values, so every panel is fetched again) and the
// dashboard's own refresh interval (its `refresh`, as refreshMs).
import { follow } from '../stream.js';
import type { JobSummaryJson } from '../view/wire.js';

const WRITING_RUN_ENDS = new Set(['succeeded', 'failed']);

/** The latest finishedAt of a run that succeeded or failed, over every job's last run (0: none). */
export function latestFinish(jobs: readonly JobSummaryJson[]): number {
  let latest = 0;
  for (const job of jobs) {
    const run = job.lastRun;
    if (run !== null && WRITING_RUN_ENDS.has(run.status) && run.finishedAt !== null && run.finishedAt > latest) latest = run.finishedAt;
  }
  return latest;
}

/**
 * Calls `refresh` when the stream shows a run that finished after `since()` (the time of the last fetch), at most
 * once per such run. The first event only sets the mark, unless a run finished after the page's first fetch.
 */
export function refreshOnRuns(stream: string | undefined, since: () => number, refresh: () => void): void {
  let seen: number | undefined;
  follow(stream, {
    jobs: (jobs) => {
      const latest = latestFinish(jobs);
      const mark = seen ?? since();
      seen = Math.max(seen ?? 0, latest);
      if (latest > mark) refresh();
    },
  });
}

/** Calls `refresh` every `ms` (none when null); the returned function stops it. */
export function refreshEvery(ms: number | null, refresh: () => void): () => void {
  if (ms === null || !(ms > 0)) return () => undefined;
  const timer = setInterval(() => {
    if (document.visibilityState !== 'hidden') refresh();
  }, Math.max(5_000, ms));
  return () => clearInterval(timer);
}
