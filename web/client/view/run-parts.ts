// The parts of the run page that change while it runs: the node table, the error rows, the worker, the log
// and each graph node's state. The server's first paint and the browser's updates both use them.
import { spanDuration } from './format.js';
import { badge } from './parts.js';
import { h, type Tree } from './tree.js';
import type { NodeJson, RunJson } from './wire.js';

export function nodeRow(n: NodeJson): Tree {
  return h(
    'tr',
    { 'data-node': n.name, class: `st-${n.status}` },
    h('td', null, n.name),
    h('td', null, n.kind),
    h('td', null, badge(n.status)),
    h('td', { class: 'num' }, n.in),
    h('td', { class: 'num' }, n.out),
    h('td', { class: 'num' }, n.err),
    h('td', null, spanDuration(n)),
  );
}

/** Each node's fatal error, then its row errors (with the row). */
export function errorRows(run: Pick<RunJson, 'nodes'>): Tree[] {
  return run.nodes.flatMap((n) => [
    ...(n.fatal === null ? [] : [h('tr', { class: 'fatal' }, h('td', null, n.name), h('td', null, '—'), h('td', null, '—'), h('td', { class: 'error-text' }, n.fatal))]),
    ...n.errors.map((e) => h('tr', null, h('td', null, e.node), h('td', { class: 'num' }, e.rowNumber), h('td', null, h('code', { class: 'row' }, e.row)), h('td', { class: 'error-text' }, e.error))),
  ]);
}

/** 'host (pid 123)', or a dash when no process took it yet. */
export function workerText(run: Pick<RunJson, 'host' | 'pid'>): string {
  return run.host === null ? '—' : `${run.host} (pid ${run.pid ?? '?'})`;
}

export function logText(run: Pick<RunJson, 'logTail'>): string {
  return run.logTail.map((line) => `${line}\n`).join('');
}

/** The class of a graph node's <g>: its state in this run (pending when the run has not reached it). */
export function graphNodeClass(node: Pick<NodeJson, 'status'> | undefined): string {
  return `node st-${node?.status ?? 'pending'}`;
}
