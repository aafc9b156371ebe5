// The jobs page: every job, its schedule, next firing, last run, last 20 runs, paused state and actions.
// The rows are the view the browser re-renders from the `jobs` SSE events (web/client/view/job-row.ts).
import { html } from 'hono/html';
import { jobRow } from '../client/view/job-row.js';
import type { JobSummary } from '../contract.js';
import { markup } from './markup.js';
import { layout, type Html } from './render.js';

/** `jobs` masked by the caller. */
export function jobsPage(jobs: readonly JobSummary[]): Html {
  return layout(
    'Jobs',
    { page: 'jobs', stream: '/api/events?view=jobs', nav: 'jobs' },
    html`<h1>Jobs</h1>
<table class="list jobs">
<thead><tr><th>Job</th><th>Schedule</th><th>Next firing</th><th>Last run</th><th>Last 20 runs</th><th>State</th><th></th></tr></thead>
<tbody id="jobs">${markup(jobs.map(jobRow))}</tbody>
</table>
${jobs.length === 0 ? html`<p class="muted">No jobs are registered.</p>` : ''}`,
  );
}
