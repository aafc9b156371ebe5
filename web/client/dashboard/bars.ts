// `barchart` and `bargauge` panels as HTML bars (no canvas: a few labelled values read better as text and bars).
// bargauge: each number field reduced (reduceOptions.calcs), coloured by thresholds; barchart: one bar per row
// and number field, labelled by the frame's first string (or time) field. Widths against min/max (0 and the
// largest value by default); widths and colours set through the DOM (CSP allows no style attribute).
import type { FieldJson, PanelDataJson } from '../view/dashboard-wire.js';
import { namedColor, paletteColor } from './colors.js';
import { thresholdColor, type FieldDisplay } from './field-config.js';
import { list, record, type PanelSpec } from './panel-spec.js';
import { reduce, reducerName } from './reduce.js';
import { numberSeries } from './series.js';
import { formatValue } from './units.js';

interface Bar {
  readonly label: string;
  readonly value: number | null;
  readonly display: FieldDisplay;
  readonly color: string;
}

function barRow(bar: Bar, min: number, max: number): HTMLElement {
  const row = document.createElement('div');
  row.className = 'hbar-row';
  row.dataset.value = bar.value === null ? '' : String(bar.value);
  const label = document.createElement('span');
  label.className = 'hbar-label';
  label.textContent = bar.label;
  label.title = bar.label;
  const track = document.createElement('div');
  track.className = 'hbar-track';
  const fill = document.createElement('div');
  fill.className = 'hbar';
  const share = bar.value === null || max <= min ? 0 : (bar.value - min) / (max - min);
  fill.style.width = `${Math.max(0, Math.min(1, share)) * 100}%`;
  fill.style.background = bar.color;
  track.append(fill);
  const value = document.createElement('span');
  value.className = 'hbar-value';
  value.textContent = bar.value === null ? '—' : formatValue(bar.value, bar.display.unit, bar.display.decimals);
  row.append(label, track, value);
  return row;
}

function colorOf(display: FieldDisplay, value: number | null, index: number): string {
  if (display.colorMode === 'fixed' || display.colorMode === 'shades') return namedColor(display.fixedColor, paletteColor(index));
  if (display.colorMode === 'thresholds') return namedColor(thresholdColor(display.thresholds, value), paletteColor(index));
  return paletteColor(index);
}

function gaugeBars(panel: PanelSpec, data: PanelDataJson): Bar[] {
  const calc = reducerName(list(record(panel.options.reduceOptions).calcs));
  return numberSeries(data.frames, panel.fieldConfig).map((s, i) => {
    const value = reduce(s.values, calc);
    return { label: s.name, value, display: s.display, color: colorOf(s.display, value, i) };
  });
}

function rowLabel(field: FieldJson | undefined, row: number): string {
  const value = field?.values[row];
  if (field?.type === 'time' && typeof value === 'number') return new Date(value).toLocaleString();
  return value === null || value === undefined ? String(row + 1) : String(value);
}

function chartBars(panel: PanelSpec, data: PanelDataJson): Bar[] {
  const frame = data.frames[0];
  if (frame === undefined) return [];
  const labels = frame.fields.find((f) => f.type === 'string') ?? frame.fields.find((f) => f.type === 'time');
  const series = numberSeries([frame], panel.fieldConfig);
  const rows = Math.max(0, ...series.map((s) => s.values.length));
  return Array.from({ length: rows }, (_, row) =>
    series.map((s, i) => ({ label: series.length > 1 ? `${rowLabel(labels, row)} · ${s.name}` : rowLabel(labels, row), value: s.values[row] ?? null, display: s.display, color: colorOf(s.display, s.values[row] ?? null, i) })),
  ).flat();
}

/** false when there is nothing to draw (the caller says "no data"). */
export function drawBars(body: HTMLElement, panel: PanelSpec, data: PanelDataJson): boolean {
  const bars = panel.type === 'bargauge' ? gaugeBars(panel, data) : chartBars(panel, data);
  if (bars.length === 0) return false;
  const values = bars.flatMap((b) => (b.value === null ? [] : [b.value]));
  const min = bars[0]!.display.min ?? Math.min(0, ...values);
  const max = bars[0]!.display.max ?? Math.max(min + 1, ...values);
  const box = document.createElement('div');
  box.className = 'hbars';
  box.append(...bars.map((b) => barRow(b, min, max)));
  body.replaceChildren(box);
  return true;
}
