// The checks pages' views (server first paint and browser alike): a status badge (pass, warn, fail, or never
// judged), the table of checks x metrics, a bucket's text, and the table of one check's failing buckets.
import { formatValue } from '../dashboard/units.js';
import { checkPath, type CheckJson, type CheckResultJson } from '../view/checks-wire.js';
import { instant, muted } from '../view/parts.js';
import { h, type Tree } from '../view/tree.js';

/** pass, warn, fail; 'never judged' without a result. */
export function checkBadge(result: Pick<CheckResultJson, 'status'> | null): Tree {
  const status = result?.status ?? 'none';
  return h('span', { class: `badge ck-${status}`, 'data-status': status }, result === null ? 'never judged' : status);
}

const num = (v: number | null): string => (v === null ? '—' : formatValue(v));

/** '12.5 (expected 40 – 60)' or the value alone when the check has no band. */
export function valueText(r: Pick<CheckResultJson, 'value' | 'expectedLow' | 'expectedHigh'>): string {
  if (r.expectedLow === null && r.expectedHigh === null) return num(r.value);
  return `${num(r.value)} (expected ${num(r.expectedLow)} – ${num(r.expectedHigh)})`;
}

/** A bucket as the metrics name it: '2026-03-01 14:00' for an hour, the date for a day. */
export function bucketText(r: Pick<CheckResultJson, 'date' | 'hour'>): string {
  return r.hour === 24 ? r.date : `${r.date} ${String(r.hour).padStart(2, '0')}:00`;
}

function parameters(check: CheckJson): string {
  return Object.entries(check.parameters).map(([k, v]) => `${k} ${v}`).join(', ');
}

function metricRow(check: CheckJson, i: number): Tree {
  const m = check.metrics[i]!;
  const failure = m.lastFailure;
  return h(
    'tr',
    { 'data-check': check.name, 'data-metric': m.metric, 'data-status': m.latest?.status ?? 'none' },
    i === 0 ? h('td', { rowspan: check.metrics.length, class: 'check-name' }, h('b', null, check.name), h('div', { class: 'muted small' }, `${check.type} · ${check.grain} · ${parameters(check)}`)) : null,
    h('td', null, h('a', { href: checkPath(check.name, m.metric) }, m.metric)),
    h('td', null, checkBadge(m.latest)),
    h('td', { class: 'num', 'data-failing': m.failing }, m.failing),
    failure === null ? h('td', null, muted('—')) : h('td', null, h('a', { href: checkPath(check.name, m.metric) }, bucketText(failure)), ' ', valueText(failure), h('div', { class: 'muted small' }, failure.reason)),
  );
}

function checkRows(check: CheckJson): Tree[] {
  if (check.metrics.length > 0) return check.metrics.map((_, i) => metricRow(check, i));
  return [h('tr', { 'data-check': check.name, 'data-status': 'none' }, h('td', { class: 'check-name' }, h('b', null, check.name), h('div', { class: 'muted small' }, `${check.type} · ${check.grain}`)), h('td', { colspan: 4 }, muted(`no metric matches ${check.metric}`)))];
}

/** The checks x metrics table; `windowDays` the failing counts' window. */
export function checksTable(checks: readonly CheckJson[], windowDays: number): Tree {
  return h(
    'table',
    { class: 'list checks' },
    h('thead', null, h('tr', null, h('th', null, 'Check'), h('th', null, 'Metric'), h('th', null, 'Status'), h('th', { class: 'num' }, `Failing (${windowDays} d)`), h('th', null, 'Last failure'))),
    h('tbody', { id: 'checks' }, checks.flatMap(checkRows)),
  );
}

/** The failing buckets of the range, newest first, with their reason and score. */
export function failuresTable(results: readonly CheckResultJson[]): Tree {
  const failing = results.filter((r) => r.status !== 'pass').reverse();
  if (failing.length === 0) return h('p', { class: 'muted', id: 'failures', 'data-count': 0 }, 'No failing bucket in this range.');
  return h(
    'table',
    { class: 'list failures', id: 'failures', 'data-count': failing.length },
    h('thead', null, h('tr', null, h('th', null, 'Bucket'), h('th', null, 'Status'), h('th', { class: 'num' }, 'Value'), h('th', { class: 'num' }, 'Expected'), h('th', { class: 'num' }, 'Score'), h('th', null, 'Reason'), h('th', null, 'Judged'))),
    h(
      'tbody',
      null,
      failing.map((r) =>
        h('tr', { 'data-bucket': r.bucketStart }, h('td', null, bucketText(r)), h('td', null, checkBadge(r)), h('td', { class: 'num' }, num(r.value)), h('td', { class: 'num' }, r.expectedLow === null && r.expectedHigh === null ? '—' : `${num(r.expectedLow)} – ${num(r.expectedHigh)}`), h('td', { class: 'num' }, r.score === null ? '—' : r.score.toFixed(2)), h('td', null, r.reason), h('td', null, instant(r.evaluatedAt))),
      ),
    ),
  );
}
