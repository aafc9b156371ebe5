// The run page: the job's graph with each node's state and counts, the node table, row errors, the log tail,
// the run's facts and Cancel; the script updates them from the run's SSE stream.
import { html, raw } from 'hono/html';
import { FINISHED_RECORD_STATUSES, type RunRecord } from '../../runs/run-store.js';
import { badge, layout, nodeDuration, pathFor, runDuration, shown, when, type Html } from './render.js';

export function nodeRows(run: RunRecord): Html {
  return html`${run.nodes.map(
    (n) => html`<tr data-node="${n.name}" class="st-${n.status}"><td>${n.name}</td><td>${n.kind}</td><td>${badge(n.status)}</td><td class="num">${n.in}</td><td class="num">${n.out}</td><td class="num">${n.err}</td><td>${nodeDuration(n)}</td></tr>`,
  )}`;
}

export function errorRows(run: RunRecord): Html {
  const rows: Html[] = [];
  for (const n of run.nodes) {
    if (n.fatal !== null) rows.push(html`<tr class="fatal"><td>${n.name}</td><td>—</td><td>—</td><td class="error-text">${shown(n.fatal)}</td></tr>`);
    for (const e of n.errors) rows.push(html`<tr><td>${e.node}</td><td class="num">${e.rowNumber}</td><td><code class="row">${shown(e.row)}</code></td><td class="error-text">${shown(e.error)}</td></tr>`);
  }
  return html`${rows}`;
}

function windowText(run: RunRecord): Html {
  if (run.windowFrom === null || run.windowTo === null) return html`<span class="muted">—</span>`;
  return html`${when(run.windowFrom)} → ${when(run.windowTo)}`;
}

export function runPage(run: RunRecord, svg: string | undefined): Html {
  const finished = FINISHED_RECORD_STATUSES.has(run.status);
  return layout(
    `Run #${run.id}`,
    { page: 'run', stream: `/api/events?run=${run.id}`, nav: 'runs' },
    html`<h1>Run #${run.id} of <a class="job-name" href="${pathFor('job', run.job)}">${run.job}</a> <span id="run-status">${badge(run.status)}</span>
<button type="button" id="cancel" data-post="/api/runs/${run.id}/cancel" data-kind="cancel"${finished ? html` hidden` : ''}>Cancel</button></h1>
<p id="run-error" class="error-text"${run.error === null ? html` hidden` : ''}>${shown(run.error)}</p>
<dl class="facts">
<dt>Trigger</dt><dd>${run.trigger}</dd>
<dt>Attempt</dt><dd>${run.attempt}</dd>
<dt>Window</dt><dd>${windowText(run)}</dd>
<dt>Scheduled for</dt><dd>${when(run.scheduledFor)}</dd>
<dt>Queued</dt><dd>${when(run.queuedAt)}</dd>
<dt>Started</dt><dd id="run-started">${when(run.startedAt)}</dd>
<dt>Finished</dt><dd id="run-finished">${when(run.finishedAt)}</dd>
<dt>Duration</dt><dd id="run-duration">${runDuration(run)}</dd>
<dt>Worker</dt><dd id="run-worker">${run.host === null ? '—' : `${run.host} (pid ${run.pid ?? '?'})`}</dd>
</dl>
<h2>Graph</h2>
<div class="graph" id="graph">${svg === undefined ? html`<p class="muted">The graph cannot be drawn.</p>` : raw(svg)}</div>
<h2>Nodes</h2>
<table class="list nodes">
<thead><tr><th>Node</th><th>Kind</th><th>Status</th><th class="num">In</th><th class="num">Out</th><th class="num">Err</th><th>Duration</th></tr></thead>
<tbody id="nodes">${nodeRows(run)}</tbody>
</table>
<h2>Errors</h2>
<table class="list errors">
<thead><tr><th>Node</th><th class="num">Row #</th><th>Row</th><th>Error</th></tr></thead>
<tbody id="errors">${errorRows(run)}</tbody>
</table>
<h2>Log</h2>
<pre id="log" class="log">${run.logTail.map((l) => `${shown(l)}\n`).join('')}</pre>`,
  );
}
