// The job page: the partition calendar with the backfill form (read jobs), a runs x nodes grid (newest 50
// runs, filter by status), a duration trend of the last 100 runs (hand-made SVG) and the job's graph.
import { html, raw } from 'hono/html';
import { RECORD_STATUSES, type RecordStatus, type RunRecord } from '../../runs/run-store.js';
import { formatDuration } from '../../graph/duration.js';
import { countsText, spanDuration } from '../client/view/format.js';
import { jobActions } from '../client/view/job-row.js';
import type { JobSummary } from '../contract.js';
import { markup } from './markup.js';
import { partitionSection, type CalendarView } from './partition-calendar.js';
import { badge, layout, pathFor, shown, when, type Html } from './render.js';

export interface JobPageData {
  readonly summary: JobSummary;
  /** Node names in the graph's order (more from the runs after them). */
  readonly nodeNames: readonly string[];
  /** Newest first, filtered. */
  readonly gridRuns: readonly RunRecord[];
  /** Newest first, unfiltered: the trend. */
  readonly trendRuns: readonly RunRecord[];
  readonly status: RecordStatus | undefined;
  readonly svg: string | undefined;
  /** The partition calendar of a partitioned (read) job. */
  readonly calendar?: CalendarView;
}

/** The page's live stream: the calendar's partitions (a partitioned job), else none. */
export function jobStream(calendar: CalendarView | undefined): string | undefined {
  if (calendar === undefined) return undefined;
  const { job, from, to } = calendar.calendar;
  return `/api/events?view=partitions&job=${encodeURIComponent(job)}&from=${from}&to=${to}`;
}

function grid(nodeNames: readonly string[], runs: readonly RunRecord[]): Html {
  if (runs.length === 0) return html`<p class="muted">No runs.</p>`;
  const names = [...nodeNames];
  for (const run of runs) for (const node of run.nodes) if (!names.includes(node.name)) names.push(node.name);
  return html`<div class="grid-wrap"><table class="grid">
<thead><tr><th class="node-col">node \\ run</th>${runs.map((r) => html`<th><a class="sq st-${r.status}" href="${pathFor('run', r.id)}" title="run #${r.id}: ${r.status}"></a></th>`)}</tr></thead>
<tbody>${names.map(
    (name) => html`<tr><th class="node-col">${name}</th>${runs.map((r) => {
      const node = r.nodes.find((n) => n.name === name);
      if (node === undefined) return html`<td class="cell st-none" title="run #${r.id}: not run"></td>`;
      const d = spanDuration(node);
      return html`<td class="cell st-${node.status}" title="run #${r.id} · ${node.status} · ${countsText(node)}${d === '' ? '' : ` · ${d}`}"><a href="${pathFor('run', r.id)}"></a></td>`;
    })}</tr>`,
  )}</tbody>
</table></div>`;
}

function trend(runs: readonly RunRecord[]): Html {
  const points = runs
    .filter((r) => r.startedAt !== null && r.finishedAt !== null)
    .map((r) => ({ id: r.id, status: r.status, ms: (r.finishedAt as number) - (r.startedAt as number) }))
    .reverse();
  if (points.length === 0) return html`<p class="muted">No finished runs yet.</p>`;
  const width = 720;
  const height = 160;
  const pad = { left: 56, right: 12, top: 12, bottom: 24 };
  const max = Math.max(1, ...points.map((p) => p.ms));
  const x = (i: number): number => pad.left + (points.length === 1 ? (width - pad.left - pad.right) / 2 : (i * (width - pad.left - pad.right)) / (points.length - 1));
  const y = (ms: number): number => pad.top + (1 - ms / max) * (height - pad.top - pad.bottom);
  const line = points.map((p, i) => `${x(i).toFixed(1)},${y(p.ms).toFixed(1)}`).join(' ');
  return html`<svg class="trend" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="duration of the last ${points.length} runs">
<line class="axis" x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${height - pad.bottom}"></line>
<line class="axis" x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${height - pad.bottom}"></line>
<text class="tick" x="${pad.left - 6}" y="${pad.top + 4}" text-anchor="end">${formatDuration(max)}</text>
<text class="tick" x="${pad.left - 6}" y="${height - pad.bottom}" text-anchor="end">0</text>
<text class="tick" x="${pad.left}" y="${height - 6}">#${points[0]?.id}</text>
<text class="tick" x="${width - pad.right}" y="${height - 6}" text-anchor="end">#${points[points.length - 1]?.id}</text>
<polyline class="trend-line" points="${line}"></polyline>
${points.map((p, i) => html`<a href="${pathFor('run', p.id)}"><circle class="dot st-${p.status}" cx="${x(i).toFixed(1)}" cy="${y(p.ms).toFixed(1)}" r="3"><title>run #${p.id}: ${formatDuration(p.ms)} (${p.status})</title></circle></a>`)}
</svg>`;
}

export function jobPage(data: JobPageData): Html {
  const { summary, status } = data;
  const name = encodeURIComponent(summary.name);
  const stream = jobStream(data.calendar);
  return layout(
    summary.name,
    { page: 'job', nav: 'jobs', ...(stream === undefined ? {} : { stream }) },
    html`<h1>Job <span class="job-name">${summary.name}</span>${summary.paused ? html` <span class="badge st-paused">paused</span>` : ''}</h1>
<p class="muted">${shown(summary.description)}</p>
<dl class="facts">
<dt>Schedule</dt><dd>${summary.schedule === null ? 'manual only' : html`<code>${summary.schedule.cron}</code> ${summary.schedule.text} (${summary.schedule.timeZone})`}</dd>
<dt>Next firing</dt><dd>${summary.schedule === null || summary.paused ? '—' : when(summary.schedule.next)}</dd>
<dt>Last run</dt><dd>${summary.lastRun === null ? 'never' : html`<a href="${pathFor('run', summary.lastRun.id)}">#${summary.lastRun.id}</a> ${badge(summary.lastRun.status)}`}</dd>
</dl>
<p class="actions">${markup(jobActions(summary))} <a href="/runs?job=${name}">all runs →</a></p>
${data.calendar === undefined ? '' : partitionSection(data.calendar)}
<h2>Runs × nodes</h2>
<form class="filters" method="get" action="${pathFor('job', summary.name)}">
<label>Status <select name="status"><option value="">all</option>${RECORD_STATUSES.map((s) => html`<option value="${s}"${s === status ? html` selected` : ''}>${s}</option>`)}</select></label>
<button type="submit">Filter</button>
</form>
${grid(data.nodeNames, data.gridRuns)}
<h2>Duration, last ${data.trendRuns.length} runs</h2>
${trend(data.trendRuns)}
<h2>Graph</h2>
<div class="graph">${data.svg === undefined ? html`<p class="muted">The graph cannot be drawn.</p>` : raw(data.svg)}</div>`,
  );
}
