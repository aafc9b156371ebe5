// A `timeseries` panel in uPlot: one series per number field (lines, bars for drawStyle 'bars', points when they
// are few), gaps where a value is null (spanGaps false unless the panel spans nulls), the x axis the dashboard's
// range, the y axis its field's unit, decimals, min and max; a legend with the values under the cursor, a tooltip.
import type { PanelDataJson } from '../view/dashboard-wire.js';
import { axes, drawChart, tooltipPlugin, uPlot, type ChartElement, type Format } from './chart.js';
import { namedColor, paletteColor, withAlpha } from './colors.js';
import type { FieldDisplay } from './field-config.js';
import { numberOr, textOr, type PanelSpec } from './panel-spec.js';
import { alignSeries, numberSeries, type NumberSeries } from './series.js';
import { formatValue } from './units.js';

export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

function seriesColor(display: FieldDisplay, index: number): string {
  if (display.colorMode === 'fixed' || display.colorMode === 'shades') return namedColor(display.fixedColor, paletteColor(index));
  if (display.colorMode === 'thresholds') return namedColor(display.thresholds[0]?.color, paletteColor(index));
  return paletteColor(index);
}

/** Grafana's barAlignment as uPlot's align: -1 the bar before its time, 1 after it, 0 centred. */
function barAlign(value: unknown): -1 | 0 | 1 {
  return value === -1 || value === 1 ? value : 0;
}

function seriesOptions(s: NumberSeries, index: number): uPlot.Series {
  const custom = s.display.custom;
  const color = seriesColor(s.display, index);
  const fill = numberOr(custom.fillOpacity, 0);
  const drawStyle = textOr(custom.drawStyle, 'line');
  const showPoints = textOr(custom.showPoints, 'auto');
  const format: Format = (v) => formatValue(v, s.display.unit, s.display.decimals);
  return {
    label: s.name,
    stroke: color,
    width: numberOr(custom.lineWidth, 1),
    fill: fill > 0 ? withAlpha(color, fill / 100) : undefined,
    spanGaps: custom.spanNulls === true,
    ...(drawStyle === 'bars' ? { paths: uPlot.paths.bars!({ size: [0.7, 48], align: barAlign(custom.barAlignment) }), points: { show: false } } : {}),
    ...(drawStyle === 'points' ? { paths: () => null, points: { show: true, size: numberOr(custom.pointSize, 5) } } : {}),
    ...(drawStyle === 'line' ? { points: { size: numberOr(custom.pointSize, 5), ...(showPoints === 'auto' ? {} : { show: showPoints === 'always' }) } } : {}),
    value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : format(v)),
  };
}

/** The y range: the field's min and max where set, the data's (padded) otherwise. */
function yRange(display: FieldDisplay | undefined): uPlot.Range.Function {
  return (_u, dataMin, dataMax) => {
    const [low, high] = dataMin === null || dataMax === null ? [0, 1] : uPlot.rangeNum(dataMin, dataMax, 0.1, true);
    const min = display?.min ?? low ?? 0;
    let max = display?.max ?? high ?? min + 1;
    if (!(max > min)) max = min + 1;
    return [min, max];
  };
}

/** Draws the panel into `host`; false when no field has times and numbers (the caller says "no data"). */
export function drawTimeseries(host: ChartElement, panel: PanelSpec, data: PanelDataJson, range: TimeRange): boolean {
  const { times, series } = alignSeries(numberSeries(data.frames, panel.fieldConfig));
  if (series.length === 0 || times.length === 0) return false;
  const first = series[0]!.display;
  const format: Format = (v) => formatValue(v, first.unit, first.decimals);
  const legend = (panel.options.legend ?? {}) as { showLegend?: boolean };
  const opts: Omit<uPlot.Options, 'width' | 'height'> = {
    ms: 1,
    series: [{ label: 'time', value: (_u: uPlot, v: number | null) => (v === null ? '—' : new Date(v).toLocaleString()) }, ...series.map(seriesOptions)],
    scales: { x: { time: true, range: () => [range.fromMs, range.toMs] }, y: { range: yRange(first) } },
    axes: axes(format),
    legend: { show: legend.showLegend !== false, live: true },
    cursor: { points: { size: 6 } },
    plugins: [tooltipPlugin(format)],
  };
  drawChart(host, opts, [times as number[], ...series.map((s) => s.aligned as (number | null)[])]);
  return true;
}
