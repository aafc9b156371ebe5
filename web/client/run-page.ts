// The run page, re-rendered from each `run` event: status, Cancel (hidden once finished), error, facts, the
// graph's node states and counts, the node table, the errors and the log.
import { byId, replace } from './dom.js';
import { countsText, spanDuration } from './view/format.js';
import { badge, instant } from './view/parts.js';
import { errorRows, graphNodeClass, logText, nodeRow, workerText } from './view/run-parts.js';
import type { NodeJson, RunJson } from './view/wire.js';

/** The statuses after which the run changes no more, as the server wrote them on the page. */
export function finishedStatuses(): ReadonlySet<string> {
  return new Set((byId('run-status')?.dataset.finished ?? '').split(' ').filter((s) => s !== ''));
}

function setText(id: string, text: string): void {
  const element = byId(id);
  if (element !== null) element.textContent = text;
}

function renderGraph(nodes: readonly NodeJson[]): void {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (const g of document.querySelectorAll('#graph svg g.node')) {
    const title = g.querySelector('title');
    if (title === null) continue;
    const node = byName.get(title.textContent ?? '');
    g.setAttribute('class', graphNodeClass(node));
    const counts = g.querySelector('text.counts');
    if (counts !== null) counts.textContent = node === undefined ? '' : countsText(node);
  }
}

export function renderRun(run: RunJson, finished: ReadonlySet<string>): void {
  replace(byId('run-status'), [badge(run.status)]);
  const cancel = byId('cancel');
  if (cancel !== null) cancel.hidden = finished.has(run.status);
  const error = byId('run-error');
  if (error !== null) {
    error.textContent = run.error ?? '';
    error.hidden = !run.error;
  }
  replace(byId('run-started'), [instant(run.startedAt)]);
  replace(byId('run-finished'), [instant(run.finishedAt)]);
  setText('run-duration', spanDuration(run));
  setText('run-worker', workerText(run));
  renderGraph(run.nodes);
  replace(byId('nodes'), run.nodes.map(nodeRow));
  replace(byId('errors'), errorRows(run));
  setText('log', logText(run));
}
