// The parts of a Grafana dashboard JSON the pages read (panels, gridPos, rows, fieldConfig, options), taken from
// unknown JSON without trusting it; imports nothing of the DOM, so the server's first paint uses it too.
import type { VariableJson } from '../view/dashboard-wire.js';

export type Json = Readonly<Record<string, unknown>>;

export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface OverrideSpec {
  readonly matcher: { readonly id: string; readonly options: string };
  readonly properties: ReadonlyArray<{ readonly id: string; readonly value: unknown }>;
}

export interface FieldConfigSpec {
  readonly defaults: Json;
  readonly overrides: readonly OverrideSpec[];
}

export interface PanelSpec {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly description: string;
  readonly gridPos: GridPos;
  readonly fieldConfig: FieldConfigSpec;
  readonly options: Json;
  /** Rows only: folded, its panels kept in `panels`. */
  readonly collapsed: boolean;
  readonly panels: readonly PanelSpec[];
}

/** A heading row and the panels under it (the panels above the first row: row null). */
export interface Section {
  readonly row: PanelSpec | null;
  readonly panels: readonly PanelSpec[];
}

export function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function textOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function overrideOf(value: unknown): OverrideSpec {
  const o = record(value);
  const matcher = record(o.matcher);
  return {
    matcher: { id: textOr(matcher.id, ''), options: textOr(matcher.options, '') },
    properties: list(o.properties).map((p) => ({ id: textOr(record(p).id, ''), value: record(p).value })),
  };
}

function gridPosOf(value: unknown): GridPos {
  const g = record(value);
  const w = Math.min(24, Math.max(1, Math.round(numberOr(g.w, 12))));
  return { x: Math.min(24 - w, Math.max(0, Math.round(numberOr(g.x, 0)))), y: Math.max(0, numberOr(g.y, 0)), w, h: Math.max(1, Math.round(numberOr(g.h, 8))) };
}

export function panelOf(value: unknown): PanelSpec {
  const p = record(value);
  const fc = record(p.fieldConfig);
  return {
    id: numberOr(p.id, 0),
    type: textOr(p.type, 'unknown'),
    title: textOr(p.title, ''),
    description: textOr(p.description, ''),
    gridPos: gridPosOf(p.gridPos),
    fieldConfig: { defaults: record(fc.defaults), overrides: list(fc.overrides).map(overrideOf) },
    options: record(p.options),
    collapsed: p.collapsed === true,
    panels: list(p.panels).map(panelOf),
  };
}

/** The dashboard's top-level panels (rows included), in reading order: by y, then x. */
export function panelsOf(dashboard: Json): PanelSpec[] {
  return sortPanels(list(dashboard.panels).map(panelOf));
}

function sortPanels(panels: readonly PanelSpec[]): PanelSpec[] {
  return [...panels].sort((a, b) => a.gridPos.y - b.gridPos.y || a.gridPos.x - b.gridPos.x);
}

/** Rows as headings: an open row owns the panels after it up to the next row, a collapsed row its own `panels`. */
export function sectionsOf(panels: readonly PanelSpec[]): Section[] {
  const sections: Array<{ row: PanelSpec | null; panels: PanelSpec[] }> = [{ row: null, panels: [] }];
  for (const panel of panels) {
    if (panel.type === 'row') sections.push({ row: panel, panels: panel.collapsed ? sortPanels(panel.panels) : [] });
    else sections[sections.length - 1]!.panels.push(panel);
  }
  return sections.filter((s) => s.row !== null || s.panels.length > 0);
}

/** Every panel that draws data (rows' nested panels included). */
export function drawnPanels(panels: readonly PanelSpec[]): PanelSpec[] {
  return panels.flatMap((p) => (p.type === 'row' ? p.panels : [p]));
}

/** `$name`, `${name}` and `[[name]]` replaced by the variable's current text (titles, as Grafana shows them). */
export function interpolate(text: string, variables: readonly VariableJson[]): string {
  return text.replace(/\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)/g, (whole, a?: string, b?: string, c?: string) => {
    const variable = variables.find((v) => v.name === (a ?? b ?? c));
    if (variable === undefined) return whole;
    return variable.current.map((value) => (value === '$__all' ? 'All' : (variable.options.find((o) => o.value === value)?.text ?? value))).join(' + ');
  });
}
