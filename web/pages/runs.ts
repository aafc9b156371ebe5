// The runs page: every run, newest first, filtered by job / status / trigger, 50 a page by cursor (?before=<id>):
// one indexed `list` per page (limit 51 tells whether there is a next page), never a count.
import { html } from 'hono/html';
import { RECORD_STATUSES, RUN_TRIGGERS, type RunFilter, type RunRecord, type RunTrigger } from '../../runs/run-store.js';
import { spanDuration } from '../client/view/format.js';
import { badge, layout, pathFor, shown, when, type Html } from './render.js';

export const RUNS_PAGE_SIZE = 50;

export interface RunsQuery {
  readonly job?: string;
  readonly status?: (typeof RECORD_STATUSES)[number];
  readonly trigger?: RunTrigger;
  readonly before?: number;
}

export function parseRunsQuery(query: Record<string, string | undefined>): RunsQuery {
  const status = RECORD_STATUSES.find((s) => s === query.status);
  const trigger = RUN_TRIGGERS.find((t) => t === query.trigger);
  const before = query.before !== undefined && /^\d+$/.test(query.before) ? Number(query.before) : undefined;
  return {
    ...(query.job ? { job: query.job } : {}),
    ...(status ? { status } : {}),
    ...(trigger ? { trigger } : {}),
    ...(before !== undefined ? { before } : {}),
  };
}

export function runsFilter(q: RunsQuery, limit: number): RunFilter {
  return {
    ...(q.job !== undefined ? { job: q.job } : {}),
    ...(q.status !== undefined ? { status: q.status } : {}),
    ...(q.trigger !== undefined ? { trigger: q.trigger } : {}),
    ...(q.before !== undefined ? { beforeId: q.before } : {}),
    limit,
  };
}

function option(value: string, current: string | undefined, label = value): Html {
  return html`<option value="${value}"${value === (current ?? '') ? html` selected` : ''}>${label}</option>`;
}

function queryString(q: RunsQuery, before: number): string {
  const params = new URLSearchParams();
  if (q.job !== undefined) params.set('job', q.job);
  if (q.status !== undefined) params.set('status', q.status);
  if (q.trigger !== undefined) params.set('trigger', q.trigger);
  params.set('before', String(before));
  return `?${params.toString()}`;
}

export function runRow(run: RunRecord): Html {
  return html`<tr data-run="${run.id}">
<td><a href="${pathFor('run', run.id)}">#${run.id}</a></td>
<td><a href="${pathFor('job', run.job)}">${run.job}</a></td>
<td>${run.trigger}${run.attempt > 1 ? html` <span class="small muted">attempt ${run.attempt}</span>` : ''}</td>
<td>${badge(run.status)}</td>
<td>${when(run.startedAt ?? run.queuedAt)}</td>
<td>${spanDuration(run)}</td>
<td class="error-cell">${shown(run.error)}</td>
</tr>`;
}

export function runsPage(jobNames: readonly string[], q: RunsQuery, page: readonly RunRecord[]): Html {
  const rows = page.slice(0, RUNS_PAGE_SIZE);
  const more = page.length > RUNS_PAGE_SIZE;
  const last = rows[rows.length - 1];
  const first = q.before !== undefined;
  return layout(
    'Runs',
    { page: 'runs', nav: 'runs' },
    html`<h1>Runs</h1>
<form class="filters" method="get" action="/runs">
<label>Job <select name="job">${option('', q.job, 'all')}${jobNames.map((n) => option(n, q.job))}</select></label>
<label>Status <select name="status">${option('', q.status, 'all')}${RECORD_STATUSES.map((s) => option(s, q.status))}</select></label>
<label>Trigger <select name="trigger">${option('', q.trigger, 'all')}${RUN_TRIGGERS.map((t) => option(t, q.trigger))}</select></label>
<button type="submit">Filter</button>
</form>
<table class="list runs">
<thead><tr><th>Run</th><th>Job</th><th>Trigger</th><th>Status</th><th>Started</th><th>Duration</th><th>Error</th></tr></thead>
<tbody>${rows.map(runRow)}</tbody>
</table>
${rows.length === 0 ? html`<p class="muted">No runs.</p>` : ''}
<p class="pager">${first ? html`<a href="/runs${queryString(q, 0).replace(/&?before=0/, '').replace(/\?$/, '')}">newest</a>` : ''}${more && last !== undefined ? html` <a rel="next" class="next" href="/runs${queryString(q, last.id)}">next page →</a>` : ''}</p>`,
  );
}
