// The run page: the job's graph with each node's state and counts, the node table, row errors, the log tail,
// the run's facts and Cancel. The browser updates them from the run's SSE stream with the same views
// (web/client/view/run-parts.ts) until the run reaches one of the finished statuses this page lists.
import { html, raw } from 'hono/html';
import { FINISHED_RECORD_STATUSES, type RunRecord } from '../../runs/run-store.js';
import { spanDuration } from '../client/view/format.js';
import { errorRows, logText, nodeRow, workerText } from '../client/view/run-parts.js';
import { markup } from './markup.js';
import { badge, layout, pathFor, when, type Html } from './render.js';

/** The statuses after which a run changes no more: the browser then hides Cancel and closes the stream. */
const FINISHED = [...FINISHED_RECORD_STATUSES].join(' ');

function windowText(run: RunRecord): Html {
  if (run.windowFrom === null || run.windowTo === null) return html`<span class="muted">—</span>`;
  return html`${when(run.windowFrom)} → ${when(run.windowTo)}`;
}

/** `run` masked by the caller. */
export function runPage(run: RunRecord, svg: string | undefined): Html {
  const finished = FINISHED_RECORD_STATUSES.has(run.status);
  return layout(
    `Run #${run.id}`,
    { page: 'run', stream: `/api/events?run=${run.id}`, nav: 'runs' },
    html`<h1>Run #${run.id} of <a class="job-name" href="${pathFor('job', run.job)}">${run.job}</a> <span id="run-status" data-finished="${FINISHED}">${badge(run.status)}</span>
<button type="button" id="cancel" data-post="/api/runs/${run.id}/cancel" data-kind="cancel"${finished ? html` hidden` : ''}>Cancel</button></h1>
<p id="run-error" class="error-text"${run.error === null ? html` hidden` : ''}>${run.error ?? ''}</p>
<dl class="facts">
<dt>Trigger</dt><dd>${run.trigger}</dd>
<dt>Attempt</dt><dd>${run.attempt}</dd>
<dt>Window</dt><dd>${windowText(run)}</dd>
<dt>Scheduled for</dt><dd>${when(run.scheduledFor)}</dd>
<dt>Queued</dt><dd>${when(run.queuedAt)}</dd>
<dt>Started</dt><dd id="run-started">${when(run.startedAt)}</dd>
<dt>Finished</dt><dd id="run-finished">${when(run.finishedAt)}</dd>
<dt>Duration</dt><dd id="run-duration">${spanDuration(run)}</dd>
<dt>Worker</dt><dd id="run-worker">${workerText(run)}</dd>
</dl>
<h2>Graph</h2>
<div class="graph" id="graph">${svg === undefined ? html`<p class="muted">The graph cannot be drawn.</p>` : raw(svg)}</div>
<h2>Nodes</h2>
<table class="list nodes">
<thead><tr><th>Node</th><th>Kind</th><th>Status</th><th class="num">In</th><th class="num">Out</th><th class="num">Err</th><th>Duration</th></tr></thead>
<tbody id="nodes">${markup(run.nodes.map(nodeRow))}</tbody>
</table>
<h2>Errors</h2>
<table class="list errors">
<thead><tr><th>Node</th><th class="num">Row #</th><th>Row</th><th>Error</th></tr></thead>
<tbody id="errors">${markup(errorRows(run))}</tbody>
</table>
<h2>Log</h2>
<pre id="log" class="log">${logText(run)}</pre>`,
  );
}
