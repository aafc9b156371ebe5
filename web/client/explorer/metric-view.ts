// A metric's page views (server first paint and browser alike): the summary table (min, max, sum and count of
// the hourly and of the daily values in the range), a chart's box, and the CSV link of the shown range.
import { formatValue } from '../dashboard/units.js';
import type { MetricSeriesJson, RangeSummaryJson } from '../view/explorer-wire.js';
import { h, type Tree } from '../view/tree.js';

const STATS = ['min', 'max', 'sum', 'count'] as const;

function statCell(grain: string, stat: (typeof STATS)[number], summary: RangeSummaryJson | undefined): Tree {
  const value = summary?.[stat] ?? null;
  return h('td', { class: 'num', 'data-stat': `${grain}-${stat}`, 'data-value': value }, value === null ? '—' : formatValue(value));
}

/** The summary's rows; `series` undefined: dashes (the browser fills them in). */
export function summaryRows(series: Pick<MetricSeriesJson, 'summary'> | undefined): Tree[] {
  return (['hourly', 'daily'] as const).map((grain) => h('tr', null, h('th', null, grain), STATS.map((stat) => statCell(grain, stat, series?.summary[grain]))));
}

export function summaryView(series: Pick<MetricSeriesJson, 'summary'> | undefined): Tree {
  return h(
    'table',
    { class: 'list metric-summary' },
    h('thead', null, h('tr', null, h('th', null, 'In the range'), STATS.map((s) => h('th', { class: 'num' }, s)))),
    h('tbody', { id: 'metric-summary' }, summaryRows(series)),
  );
}

/** A chart's box: its title, and the element uPlot draws into. */
export function chartBox(grain: 'hourly' | 'daily', title: string): Tree {
  return h('article', { class: 'panel metric-chart', id: `chart-${grain}`, 'data-state': 'loading' }, h('header', { class: 'panel-head' }, h('h3', { class: 'panel-title' }, title), h('span', { class: 'chart-note muted small' }, '')), h('div', { class: 'panel-body' }));
}

/** The series API's path for `name` and the page's query ('' or '?from=...'). */
export function seriesPath(name: string, query: string, csv = false): string {
  return `/api/metrics/${encodeURIComponent(name)}/series${csv ? '.csv' : ''}${query}`;
}

/** A query string for exactly the resolved range (epoch ms), so that a later download reads the same instants. */
export function rangeQuery(range: { readonly fromMs: number; readonly toMs: number }): string {
  return `?from=${range.fromMs}&to=${range.toMs}`;
}
