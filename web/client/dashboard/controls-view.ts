// The dashboard's controls as a view tree: its variables (a text box, or a list: multi-select when `multi`,
// "All" when `includeAll`, Grafana's `hide` honoured) and the range picker (last 6 h .. 90 d, or custom).
import type { DashboardJson, VariableJson } from '../view/dashboard-wire.js';
import { h, type Tree } from '../view/tree.js';

export const ALL_VALUE = '$__all';

/** The ranges offered, as Grafana writes them in the URL (`?from=now-7d&to=now`). */
export const RANGE_PRESETS: ReadonlyArray<readonly [from: string, label: string]> = [
  ['now-6h', 'Last 6 hours'],
  ['now-24h', 'Last 24 hours'],
  ['now-7d', 'Last 7 days'],
  ['now-30d', 'Last 30 days'],
  ['now-90d', 'Last 90 days'],
];

/** The preset of a range ('custom' when none fits). */
export function presetOf(range: Pick<DashboardJson['range'], 'from' | 'to'>): string {
  return range.to === 'now' && RANGE_PRESETS.some(([from]) => from === range.from) ? range.from : 'custom';
}

function option(value: string, text: string, selected: boolean): Tree {
  return h('option', { value, selected }, text);
}

function listControl(variable: VariableJson, name: string): Tree {
  const chosen = new Set(variable.current);
  const all = variable.includeAll ? [option(ALL_VALUE, 'All', chosen.has(ALL_VALUE))] : [];
  const known = new Set(variable.options.map((o) => o.value));
  // A value from the URL that is not among the options stays selectable (Grafana keeps it too).
  const extra = variable.current.filter((v) => v !== ALL_VALUE && !known.has(v)).map((v) => option(v, v, true));
  return h(
    'select',
    { name, 'data-var': variable.name, multiple: variable.multi, size: variable.multi ? Math.min(6, variable.options.length + all.length) : null },
    all,
    variable.options.map((o) => option(o.value, o.text, chosen.has(o.value))),
    extra,
  );
}

function control(variable: VariableJson): Tree | null {
  const name = `var-${variable.name}`;
  if (variable.type === 'textbox') return h('input', { type: 'text', name, 'data-var': variable.name, value: variable.current[0] ?? '', size: 14 });
  if (variable.type === 'custom' || variable.type === 'query' || variable.type === 'interval') return listControl(variable, name);
  return null;
}

export function variableView(variable: VariableJson): Tree | null {
  const input = control(variable);
  if (variable.hide >= 2 || input === null) return null;
  const label = variable.label === '' ? variable.name : variable.label;
  return h(
    'label',
    { class: 'dash-var', 'data-var-name': variable.name, title: variable.hide === 1 ? label : null },
    variable.hide === 1 ? null : h('span', { class: 'dash-var-label' }, label),
    input,
    variable.error === undefined ? null : h('span', { class: 'error-text small' }, variable.error),
  );
}

export function rangeView(range: DashboardJson['range']): Tree {
  const preset = presetOf(range);
  const custom = preset === 'custom';
  return h(
    'div',
    { class: 'dash-range', 'data-from': range.from, 'data-to': range.to, 'data-from-ms': range.fromMs, 'data-to-ms': range.toMs },
    h('label', { class: 'dash-var' }, h('span', { class: 'dash-var-label' }, 'Range'), h('select', { name: 'range' }, RANGE_PRESETS.map(([from, label]) => option(from, label, from === preset)), option('custom', 'Custom…', custom))),
    h('label', { class: 'dash-var custom-range', hidden: !custom }, h('span', { class: 'dash-var-label' }, 'From'), h('input', { type: 'datetime-local', name: 'from-at', step: 60 })),
    h('label', { class: 'dash-var custom-range', hidden: !custom }, h('span', { class: 'dash-var-label' }, 'To'), h('input', { type: 'datetime-local', name: 'to-at', step: 60 })),
    h('button', { type: 'submit', class: 'custom-range', hidden: !custom }, 'Apply'),
  );
}

/** The form above the grid (the browser takes its events: nothing is submitted). */
export function controlsView(dashboard: Pick<DashboardJson, 'range' | 'variables'>): Tree {
  return h('form', { id: 'dash-controls', class: 'dash-controls', action: '', method: 'get' }, h('div', { class: 'dash-vars' }, dashboard.variables.map(variableView)), rangeView(dashboard.range));
}
