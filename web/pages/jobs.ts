// The jobs page: every job, its schedule, next firing, last run, last 20 runs, paused state and actions.
// The script re-renders the table body from the `jobs` SSE events (same markup, built with the DOM).
import { html } from 'hono/html';
import type { JobSummary } from '../contract.js';
import { badge, layout, pathFor, runDuration, shown, when, type Html } from './render.js';

export function jobRow(job: JobSummary): Html {
  const name = encodeURIComponent(job.name);
  const last = job.lastRun;
  return html`<tr data-job="${job.name}" class="${job.paused ? 'paused' : ''}">
<td><a class="job-name" href="${pathFor('job', job.name)}">${job.name}</a><div class="muted small">${shown(job.description)}</div></td>
<td>${job.schedule === null ? html`<span class="muted">manual</span>` : html`<code>${job.schedule.cron}</code><div class="small">${job.schedule.text}${job.schedule.timeZone === 'UTC' ? '' : ` (${job.schedule.timeZone})`}</div>`}</td>
<td>${job.schedule === null || job.paused ? html`<span class="muted">${job.paused ? 'paused' : '—'}</span>` : when(job.schedule.next)}</td>
<td>${last === null ? html`<span class="muted">never</span>` : html`<a href="${pathFor('run', last.id)}">${badge(last.status)}</a> ${when(last.startedAt ?? last.queuedAt)} <span class="small muted">${runDuration(last)}</span>`}</td>
<td class="squares">${job.recent.map((r) => html`<a class="sq st-${r.status}" href="${pathFor('run', r.id)}" title="run #${r.id}: ${r.status}"></a>`)}</td>
<td class="state">${job.paused ? html`<span class="badge st-paused">paused</span>` : html`<span class="muted">active</span>`}</td>
<td class="actions"><button type="button" data-post="/api/jobs/${name}/trigger" data-kind="trigger">Trigger</button>${job.paused ? html`<button type="button" data-post="/api/jobs/${name}/resume" data-kind="resume">Resume</button>` : html`<button type="button" data-post="/api/jobs/${name}/pause" data-kind="pause">Pause</button>`}</td>
</tr>`;
}

export function jobsPage(jobs: readonly JobSummary[]): Html {
  return layout(
    'Jobs',
    { page: 'jobs', stream: '/api/events?view=jobs', nav: 'jobs' },
    html`<h1>Jobs</h1>
<table class="list jobs">
<thead><tr><th>Job</th><th>Schedule</th><th>Next firing</th><th>Last run</th><th>Last 20 runs</th><th>State</th><th></th></tr></thead>
<tbody id="jobs">${jobs.map(jobRow)}</tbody>
</table>
${jobs.length === 0 ? html`<p class="muted">No jobs are registered.</p>` : ''}`,
  );
}
