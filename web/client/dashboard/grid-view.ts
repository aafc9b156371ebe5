// A dashboard's grid as a view tree (server first paint and browser alike): sections under row headings, each a
// 24-column CSS grid where a panel's box takes its gridPos through classes (gx-/gw-/gh-, ui.css: CSP forbids
// style attributes); panels placed in (y, x) order so the grid's auto-placement floats them up as Grafana does.
import { h, type Tree } from '../view/tree.js';
import type { VariableJson } from '../view/dashboard-wire.js';
import { interpolate, sectionsOf, type PanelSpec, type Section } from './panel-spec.js';

/** The tallest box the style sheet has a class for (grid rows of 30 px). */
export const MAX_PANEL_HEIGHT = 40;

export function panelBoxId(panelId: number): string {
  return `panel-${panelId}`;
}

function panelHead(panel: PanelSpec, variables: readonly VariableJson[]): Tree {
  const info =
    panel.description === ''
      ? null
      : h('span', { class: 'panel-info', tabindex: 0, role: 'note', title: panel.description, 'aria-label': panel.description }, 'i');
  return h('header', { class: 'panel-head' }, h('h3', { class: 'panel-title', 'data-template': panel.title, title: interpolate(panel.title, variables) }, interpolate(panel.title, variables)), info);
}

export function panelBox(panel: PanelSpec, variables: readonly VariableJson[]): Tree {
  const { x, w } = panel.gridPos;
  const height = Math.min(MAX_PANEL_HEIGHT, panel.gridPos.h);
  return h(
    'article',
    { class: `panel gx-${x} gw-${w} gh-${height}`, id: panelBoxId(panel.id), 'data-panel': panel.id, 'data-type': panel.type, 'data-state': 'loading' },
    panelHead(panel, variables),
    h('div', { class: 'panel-body' }, h('p', { class: 'muted panel-note' }, 'loading…')),
  );
}

function rowHeading(row: PanelSpec, variables: readonly VariableJson[]): Tree {
  return h(
    'h2',
    { class: 'dash-row' },
    h('button', { type: 'button', class: 'row-toggle', 'aria-expanded': row.collapsed ? 'false' : 'true', 'data-row': row.id }, h('span', { class: 'chevron', 'aria-hidden': 'true' }, '▸'), h('span', { 'data-template': row.title }, interpolate(row.title, variables))),
  );
}

function sectionView(section: Section, variables: readonly VariableJson[]): Tree {
  const collapsed = section.row?.collapsed === true;
  return h(
    'section',
    { class: 'dash-section', 'data-row': section.row?.id, 'data-collapsed': collapsed ? 'true' : 'false' },
    section.row === null ? null : rowHeading(section.row, variables),
    h('div', { class: 'dash-grid', hidden: collapsed }, section.panels.map((p) => panelBox(p, variables))),
  );
}

/** The whole grid: `panels` the dashboard's top level (panelsOf). */
export function dashboardGrid(panels: readonly PanelSpec[], variables: readonly VariableJson[]): Tree {
  return h('div', { id: 'dash', class: 'dash' }, sectionsOf(panels).map((s) => sectionView(s, variables)));
}
