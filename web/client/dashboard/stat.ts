// A `stat` panel: each number field reduced (options.reduceOptions.calcs: lastNotNull, last, mean, sum, max,
// min, count...) to one big value in its unit, coloured by its thresholds (or fixed colour) as options.colorMode
// says, over a sparkline of the field when options.graphMode is 'area'.
import type { PanelDataJson } from '../view/dashboard-wire.js';
import { drawChart, uPlot, type ChartElement } from './chart.js';
import { namedColor, withAlpha } from './colors.js';
import { fieldDisplay, mapped, thresholdColor, type FieldDisplay } from './field-config.js';
import { list, record, textOr, type PanelSpec } from './panel-spec.js';
import { reduce, reducerName } from './reduce.js';
import { numberSeries, type NumberSeries } from './series.js';
import { formatValue } from './units.js';

const MAX_VALUES = 6;

function colorOf(display: FieldDisplay, value: number | null): string {
  if (display.colorMode === 'fixed' || display.colorMode === 'shades') return namedColor(display.fixedColor);
  return namedColor(thresholdColor(display.thresholds, value));
}

function sparkline(host: ChartElement, s: NumberSeries, color: string): void {
  const points = (s.times ?? []).map((t, i) => [t, s.values[i] ?? null] as const).filter(([t]) => Number.isFinite(t));
  if (points.length < 2) return;
  drawChart(
    host,
    {
      ms: 1,
      series: [{}, { stroke: color, fill: withAlpha(color, 0.2), width: 1, points: { show: false } }],
      scales: { x: { time: true }, y: { range: (_u, min, max) => (min === null || max === null ? [0, 1] : uPlot.rangeNum(Math.min(0, min), max, 0.1, true)) } },
      axes: [{ show: false }, { show: false }],
      legend: { show: false },
      cursor: { show: false },
    },
    [points.map(([t]) => t), points.map(([, v]) => v)],
  );
}

function statItem(s: NumberSeries, panel: PanelSpec, showName: boolean): HTMLElement {
  const calc = reducerName(list(record(panel.options.reduceOptions).calcs));
  const value = reduce(s.values, calc);
  const mapping = mapped(s.display.mappings, value);
  const color = mapping?.color === undefined ? colorOf(s.display, value) : namedColor(mapping.color);
  const item = document.createElement('div');
  item.className = 'stat-item';
  item.dataset.value = value === null ? '' : String(value);
  item.dataset.calc = calc;
  const text = document.createElement('span');
  text.className = 'stat-value';
  text.textContent = value === null ? (s.display.noValue ?? 'No data') : (mapping?.text ?? formatValue(value, s.display.unit, s.display.decimals));
  const colorMode = textOr(panel.options.colorMode, 'value');
  if (colorMode === 'value') text.style.color = color;
  if (colorMode === 'background' || colorMode === 'background_solid') item.style.background = withAlpha(color, 0.85);
  item.append(text);
  if (showName) {
    const name = document.createElement('span');
    name.className = 'stat-name';
    name.textContent = s.name;
    item.append(name);
  }
  if (textOr(panel.options.graphMode, 'none') === 'area' && s.times !== undefined) {
    const spark = document.createElement('div');
    spark.className = 'stat-spark';
    item.append(spark);
    requestAnimationFrame(() => sparkline(spark, s, color));
  }
  return item;
}

export function drawStat(body: HTMLElement, panel: PanelSpec, data: PanelDataJson): void {
  const series = numberSeries(data.frames, panel.fieldConfig).slice(0, MAX_VALUES);
  const box = document.createElement('div');
  box.className = 'stat';
  if (series.length === 0) {
    const none = document.createElement('span');
    none.className = 'stat-value muted';
    none.textContent = fieldDisplay(panel.fieldConfig, { name: '', shownName: '', type: 'number', refId: '' }).noValue ?? 'No data';
    box.append(none);
  } else {
    box.append(...series.map((s) => statItem(s, panel, series.length > 1)));
  }
  body.replaceChildren(box);
}
