// The metric list's views (server first paint and browser alike): the search form, a metric's row with its latest
// hourly and daily values, and its last 7 days as a sparkline (an SVG polyline: a drawn figure, no library).
import { formatValue } from '../dashboard/units.js';
import type { ListedMetricJson } from '../view/explorer-wire.js';
import { instant, muted } from '../view/parts.js';
import { h, type Tree } from '../view/tree.js';

export const SPARK_WIDTH = 120;
export const SPARK_HEIGHT = 28;

export function metricPath(name: string): string {
  return `/metrics/${encodeURIComponent(name)}`;
}

/** The polyline's points for `values`: left to right, the lowest at the bottom, 2 px of margin. */
export function sparkPoints(values: readonly number[]): Array<readonly [number, number]> {
  const low = Math.min(...values);
  const high = Math.max(...values);
  const spread = high - low || 1;
  const step = values.length > 1 ? (SPARK_WIDTH - 4) / (values.length - 1) : 0;
  return values.map((v, i) => {
    const x = values.length > 1 ? 2 + i * step : SPARK_WIDTH / 2;
    const y = high === low ? SPARK_HEIGHT / 2 : SPARK_HEIGHT - 2 - ((v - low) / spread) * (SPARK_HEIGHT - 4);
    return [Math.round(x * 10) / 10, Math.round(y * 10) / 10] as const;
  });
}

/** The sparkline of `values` (a dash when there are none); the values themselves in data-values and the label. */
export function sparkline(values: readonly number[]): Tree {
  if (values.length === 0) return h('span', { class: 'muted spark-none', title: 'no daily value in the last 7 days' }, '—');
  const points = sparkPoints(values);
  const [lastX, lastY] = points[points.length - 1]!;
  return h(
    'svg',
    { class: 'spark', width: SPARK_WIDTH, height: SPARK_HEIGHT, viewBox: `0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}`, role: 'img', 'aria-label': `daily values of the last 7 days: ${values.map((v) => formatValue(v)).join(', ')}`, 'data-values': values.join(',') },
    h('polyline', { class: 'spark-line', points: points.map(([x, y]) => `${x},${y}`).join(' ') }),
    h('circle', { class: 'spark-dot', cx: lastX, cy: lastY, r: 2 }),
  );
}

function latest(value: number | undefined, when: Tree): Tree {
  return h('td', { class: 'num' }, value === undefined ? muted('—') : h('span', { class: 'latest-value', 'data-value': value }, formatValue(value)), value === undefined ? null : h('div', { class: 'small muted' }, when));
}

export function metricRow(m: ListedMetricJson): Tree {
  return h(
    'tr',
    { 'data-metric': m.name },
    h('td', null, h('a', { href: metricPath(m.name) }, m.name)),
    h('td', { class: 'muted' }, m.unit ?? ''),
    h('td', { class: 'muted' }, m.source ?? ''),
    latest(m.latestHourly?.value, m.latestHourly === null ? muted('') : instant(Date.parse(m.latestHourly.at))),
    latest(m.latestDaily?.value, h('span', null, m.latestDaily?.date ?? '')),
    h('td', { class: 'spark-cell' }, sparkline(m.spark)),
  );
}

/** The rows, or one row saying that nothing matches. */
export function metricRows(metrics: readonly ListedMetricJson[], prefix: string): Tree[] {
  if (metrics.length > 0) return metrics.map(metricRow);
  return [h('tr', { class: 'empty' }, h('td', { colspan: 6, class: 'muted' }, prefix === '' ? 'No metrics yet: a job writes them.' : `No metric starts with “${prefix}”.`))];
}

/** The search box: a GET form (works without script); the browser filters as one types. */
export function searchForm(prefix: string): Tree {
  return h(
    'form',
    { id: 'metric-search', class: 'metric-search', action: '/metrics', method: 'get', role: 'search' },
    h('label', null, h('span', { class: 'dash-var-label' }, 'Name starts with'), h('input', { type: 'search', name: 'prefix', value: prefix, placeholder: 'e.g. events.signup', autocomplete: 'off', spellcheck: 'false' })),
    h('button', { type: 'submit' }, 'Search'),
  );
}
