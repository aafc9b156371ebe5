// A `timeseries` panel in uPlot, drawn as Grafana draws it: one series per number field, as custom.drawStyle says
// (lines interpolated linear/smooth/stepBefore/stepAfter, bars with barAlignment and barWidthFactor, points),
// filled under the line to 0 at fillOpacity (gradientMode 'opacity': fading downwards), points as showPoints says,
// gaps where a value is null (unless spanNulls), stacked as custom.stacking says (running sums drawn, each series'
// own value in the tooltip and the legend); the x axis the dashboard's range, the y axis its field's unit,
// decimals, min/max and soft min/max; threshold lines or areas (thresholdsStyle); Grafana's legend (options.legend:
// list or table, bottom or right, calcs; never the x values) and tooltip (options.tooltip: multi or single, sorted).
import type { PanelDataJson } from '../view/dashboard-wire.js';
import { axes, chartLegend, drawChart, thresholdsPlugin, tooltipPlugin, uPlot, type ChartElement, type Format, type LegendEntry } from './chart.js';
import { namedColor, paletteColor, withAlpha } from './colors.js';
import type { FieldDisplay } from './field-config.js';
import { list, numberOr, record, textOr, type Json, type PanelSpec } from './panel-spec.js';
import { reduce, reducerName } from './reduce.js';
import { alignSeries, numberSeries, stackOf, stackSeries, type NumberSeries, type StackSpec } from './series.js';
import { formatValue } from './units.js';

export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

type Aligned = NumberSeries & { readonly aligned: readonly (number | null)[] };

/** Grafana's names of the legend's calcs. */
const CALC_NAMES: Readonly<Record<string, string>> = {
  lastNotNull: 'Last *', last: 'Last', firstNotNull: 'First *', first: 'First', mean: 'Mean', sum: 'Total',
  max: 'Max', min: 'Min', count: 'Count', range: 'Range', delta: 'Delta',
};

function colorOf(display: FieldDisplay, index: number): string {
  if (display.colorMode === 'fixed' || display.colorMode === 'shades') return namedColor(display.fixedColor, paletteColor(index));
  if (display.colorMode === 'thresholds') return namedColor(display.thresholds[0]?.color, paletteColor(index));
  return paletteColor(index);
}

/** Grafana's barAlignment as uPlot's align: -1 the bar before its time, 1 after it, 0 centred. */
function barAlign(value: unknown): -1 | 0 | 1 {
  return value === -1 || value === 1 ? value : 0;
}

/** The path of drawStyle and lineInterpolation (undefined: uPlot's linear line). */
function pathsOf(custom: Json): uPlot.Series.PathBuilder | undefined {
  const drawStyle = textOr(custom.drawStyle, 'line');
  if (drawStyle === 'bars') return uPlot.paths.bars!({ size: [numberOr(custom.barWidthFactor, 0.6), numberOr(custom.barMaxWidth, 200)], align: barAlign(custom.barAlignment) });
  if (drawStyle === 'points') return () => null;
  const interpolation = textOr(custom.lineInterpolation, 'linear');
  if (interpolation === 'smooth') return uPlot.paths.spline!();
  if (interpolation === 'stepAfter') return uPlot.paths.stepped!({ align: 1 });
  if (interpolation === 'stepBefore') return uPlot.paths.stepped!({ align: -1 });
  return undefined;
}

/** showPoints: 'always', 'never', or 'auto' (uPlot shows them when they are far enough apart); none on bars; filled in the series' colour. */
function pointsOf(custom: Json, color: string): uPlot.Series.Points {
  const drawStyle = textOr(custom.drawStyle, 'line');
  const style = { size: numberOr(custom.pointSize, 5), fill: color, stroke: color };
  if (drawStyle === 'bars') return { show: false };
  if (drawStyle === 'points') return { show: true, ...style };
  const showPoints = textOr(custom.showPoints, 'auto');
  return showPoints === 'auto' ? style : { show: showPoints === 'always', ...style };
}

/** The fill under the line (to 0, or to the series under it when stacked): fillOpacity of the colour; gradientMode 'opacity' fades it downwards. */
function fillOf(custom: Json, color: string): uPlot.Series.Fill | undefined {
  const opacity = Math.min(100, numberOr(custom.fillOpacity, 0)) / 100;
  if (opacity <= 0) return undefined;
  if (textOr(custom.gradientMode, 'none') !== 'opacity') return withAlpha(color, opacity);
  return (u: uPlot) => {
    const { top, height } = u.bbox;
    const gradient = u.ctx.createLinearGradient(0, top, 0, top + height);
    gradient.addColorStop(0, withAlpha(color, opacity));
    gradient.addColorStop(1, withAlpha(color, 0));
    return gradient;
  };
}

/** lineStyle: dash (its dash, 10 10 by default) or dot. */
function dashOf(custom: Json): number[] | undefined {
  const style = record(custom.lineStyle);
  if (style.fill !== 'dash' && style.fill !== 'dot') return undefined;
  const dash = list(style.dash).filter((n): n is number => typeof n === 'number');
  return dash.length > 0 ? dash : style.fill === 'dot' ? [0, 10] : [10, 10];
}

function hiddenFrom(s: NumberSeries, what: 'legend' | 'tooltip' | 'viz'): boolean {
  return record(s.display.custom.hideFrom)[what] === true;
}

function formatOf(display: FieldDisplay): Format {
  return (v) => formatValue(v, display.unit, display.decimals);
}

function seriesOptions(s: Aligned, index: number): uPlot.Series {
  const custom = s.display.custom;
  const color = colorOf(s.display, index);
  const paths = pathsOf(custom);
  const dash = dashOf(custom);
  const format = formatOf(s.display);
  return {
    label: s.name,
    stroke: color,
    width: numberOr(custom.lineWidth, 1),
    fill: fillOf(custom, color),
    spanGaps: custom.spanNulls === true,
    show: !hiddenFrom(s, 'viz'),
    points: pointsOf(custom, color),
    ...(paths === undefined ? {} : { paths }),
    ...(dash === undefined ? {} : { dash }),
    // The series' own value (a stacked series draws the running sum).
    value: (_u: uPlot, _v: number, _i: number, idx: number | null) => {
      const own = idx === null ? null : (s.aligned[idx] ?? null);
      return own === null ? '—' : format(own);
    },
  };
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Grafana's y range: the data padded by 10% (not below 0 for positive data, nor above it for negative), within the
 * field's hard min and max (alone: fixed ends), widened to the soft min and max (custom.axisSoftMin/axisSoftMax);
 * a percent stack from 0 to 1.
 */
function yRange(display: FieldDisplay | undefined, percent: boolean): uPlot.Range.Function {
  const custom = display?.custom ?? {};
  const hardMin = percent ? 0 : display?.min;
  const hardMax = percent ? 1 : display?.max;
  const softMin = optionalNumber(custom.axisSoftMin);
  const softMax = optionalNumber(custom.axisSoftMax);
  const fixedMin = softMin === undefined && hardMin !== undefined;
  const fixedMax = softMax === undefined && hardMax !== undefined;
  return (_u, dataMin, dataMax) => {
    const low = dataMin ?? softMin ?? hardMin ?? 0;
    const high = dataMax ?? softMax ?? hardMax ?? low + 1;
    const [min, max] = uPlot.rangeNum(fixedMin ? hardMin! : low, fixedMax ? hardMax! : high, {
      min: { pad: 0.1, hard: hardMin ?? -Infinity, soft: softMin ?? 0, mode: softMin === undefined ? 3 : 1 },
      max: { pad: 0.1, hard: hardMax ?? Infinity, soft: softMax ?? 0, mode: softMax === undefined ? 3 : 1 },
    });
    const from = fixedMin ? hardMin! : (min ?? low);
    const to = fixedMax ? hardMax! : (max ?? high);
    return [from, to > from ? to : from + 1];
  };
}

interface LegendOptions {
  readonly show: boolean;
  readonly displayMode: string;
  readonly placement: string;
  readonly calcs: readonly string[];
}

function legendOptions(panel: PanelSpec): LegendOptions {
  const legend = record(panel.options.legend);
  const displayMode = textOr(legend.displayMode, 'list');
  const calcs = list(legend.calcs).filter((c): c is string => typeof c === 'string' && reducerName([c]) === c);
  return { show: legend.showLegend !== false && displayMode !== 'hidden', displayMode, placement: textOr(legend.placement, 'bottom'), calcs };
}

function legendEntries(series: readonly Aligned[], calcs: readonly string[], colors: readonly string[]): LegendEntry[] {
  return series.flatMap((s, i) => {
    if (hiddenFrom(s, 'legend') || hiddenFrom(s, 'viz')) return [];
    const format = formatOf(s.display);
    const values = calcs.map((calc) => {
      const value = reduce(s.values, calc);
      return calc === 'count' ? String(value ?? '') : format(value);
    });
    return [{ seriesIdx: i + 1, label: s.name, color: colors[i]!, values }];
  });
}

/** Draws the panel into `host`; false when no field has times and numbers (the caller says "no data"). */
export function drawTimeseries(host: ChartElement, panel: PanelSpec, data: PanelDataJson, range: TimeRange): boolean {
  const { times, series } = alignSeries(numberSeries(data.frames, panel.fieldConfig));
  if (series.length === 0 || times.length === 0) return false;
  const first = series[0]!.display;
  const own = series.map((s) => s.aligned);
  const stacks: Array<StackSpec | undefined> = series.map(stackOf);
  const stacked = stacks.some((s) => s !== undefined);
  const percent = stacks.some((s) => s?.mode === 'percent');
  const vizHidden = new Set(series.flatMap((s, i) => (hiddenFrom(s, 'viz') ? [i] : [])));
  const drawn = stackSeries(own, stacks, vizHidden);
  const format: Format = percent ? (v) => formatValue(v, 'percentunit', first.decimals) : formatOf(first);
  const formats = series.map((s) => formatOf(s.display));
  const colors = series.map((s, i) => colorOf(s.display, i));
  const tooltip = record(panel.options.tooltip);
  const [xAxis, yAxis] = axes(format);
  const placement = textOr(first.custom.axisPlacement, 'auto');
  const yAxisShown: uPlot.Axis = { ...yAxis, show: placement !== 'hidden', side: placement === 'right' ? 1 : 3, ...(typeof first.custom.axisLabel === 'string' && first.custom.axisLabel !== '' ? { label: first.custom.axisLabel } : {}) };
  const thresholdsMode = textOr(record(first.custom.thresholdsStyle).mode, 'off');
  const opts: Omit<uPlot.Options, 'width' | 'height'> = {
    ms: 1,
    series: [{ label: 'time', value: (_u: uPlot, v: number | null) => (v === null ? '—' : new Date(v).toLocaleString()) }, ...series.map(seriesOptions)],
    bands: drawn.bands.map((b) => ({ series: b.series, dir: b.dir })),
    scales: { x: { time: true, range: () => [range.fromMs, range.toMs] }, y: { range: yRange(first, percent) } },
    axes: [xAxis!, yAxisShown],
    legend: { show: false },
    cursor: { points: { size: 6 } },
    plugins: [
      tooltipPlugin(format, {
        mode: textOr(tooltip.mode, 'single'),
        sort: textOr(tooltip.sort, 'none'),
        ownValue: (i, idx) => own[i - 1]?.[idx],
        formatOf: (i) => formats[i - 1] ?? format,
        hidden: (i) => series[i - 1] !== undefined && hiddenFrom(series[i - 1]!, 'tooltip'),
      }),
      ...(thresholdsMode === 'off' ? [] : [thresholdsPlugin(thresholdsMode, first.thresholds.map((t) => ({ ...t, color: namedColor(t.color) })))]),
    ],
  };
  const legend = legendOptions(panel);
  const entries = legendEntries(series, legend.calcs, colors);
  /** Shows the entries the legend shows (and restacks without the others, as Grafana does). */
  const show = (u: uPlot, shown: readonly boolean[]): void => {
    const hidden = new Set(vizHidden);
    entries.forEach((e, k) => {
      if (shown[k] === false) hidden.add(e.seriesIdx - 1);
    });
    u.batch(() => {
      series.forEach((_, i) => u.setSeries(i + 1, { show: !hidden.has(i) }));
      if (stacked) {
        const next = stackSeries(own, stacks, hidden);
        u.delBand(null);
        for (const b of next.bands) u.addBand({ series: b.series, dir: b.dir });
        u.setData([times as number[], ...(next.values as (number | null)[][])]);
      }
    });
  };
  const legendBuild =
    legend.show && entries.length > 0
      ? { placement: legend.placement, build: (u: uPlot) => chartLegend({ displayMode: legend.displayMode, placement: legend.placement, calcs: legend.calcs.map((c) => CALC_NAMES[c] ?? c) }, entries, (shown) => show(u, shown)) }
      : undefined;
  drawChart(host, opts, [times as number[], ...(drawn.values as (number | null)[][])], legendBuild);
  return true;
}
