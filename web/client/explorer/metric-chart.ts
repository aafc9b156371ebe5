// One chart of a metric's page in uPlot: the range's values (a line with a light fill) and the period before,
// moved forward, as a dashed line in the muted text colour; the x axis is the range, the legend and the tooltip
// show the values under the cursor. The chart's data is exactly alignPair's (what the CSV holds too).
import { axes, destroyChart, drawChart, tooltipPlugin, uPlot, type ChartElement, type Format } from '../dashboard/chart.js';
import { paletteColor, theme, withAlpha } from '../dashboard/colors.js';
import { formatValue } from '../dashboard/units.js';
import type { FrameJson } from '../view/dashboard-wire.js';
import { alignPair } from './align.js';

export interface ChartRange {
  readonly fromMs: number;
  readonly toMs: number;
}

const format: Format = (v) => formatValue(v);
const shown = (_u: uPlot, v: number | null): string => (v === null || v === undefined ? '—' : format(v));

/** A y range around the values (10% padding, from zero when near it); [0, 1] without values. */
export function yRange(): uPlot.Range.Function {
  return (_u, low, high) => {
    if (low === null || high === null) return [0, 1];
    const [min, max] = uPlot.rangeNum(low, high, 0.1, true);
    return [min ?? 0, max !== null && max > (min ?? 0) ? max : (min ?? 0) + 1];
  };
}

function seriesOf(label: string, previousLabel: string, few: boolean): uPlot.Series[] {
  const color = paletteColor(label === 'hourly' ? 2 : 0);
  return [
    { label: 'time', value: (_u: uPlot, v: number | null) => (v === null ? '—' : new Date(v).toLocaleString()) },
    { label, stroke: color, width: 1.5, fill: withAlpha(color, 0.12), spanGaps: false, points: { show: few, size: 5 }, value: shown },
    { label: previousLabel, stroke: theme().muted, width: 1.25, dash: [6, 4], spanGaps: false, points: { show: few, size: 4 }, value: shown },
  ];
}

/** Draws `frames` (refId A and B) into `box`'s body; its data-state says 'ok' or 'empty'. */
export function drawMetricChart(box: HTMLElement, frames: readonly FrameJson[], range: ChartRange, label: string, previousLabel: string): void {
  const body = box.querySelector<HTMLElement>('.panel-body') as ChartElement | null;
  if (body === null) return;
  const { times, value, previous } = alignPair(frames);
  if (times.length === 0) {
    destroyChart(body);
    body.replaceChildren(Object.assign(document.createElement('p'), { className: 'muted no-data', textContent: 'No values in this range.' }));
    box.dataset.state = 'empty';
    return;
  }
  body.replaceChildren();
  const opts: Omit<uPlot.Options, 'width' | 'height'> = {
    ms: 1,
    series: seriesOf(label, previousLabel, times.length <= 60),
    scales: { x: { time: true, range: () => [range.fromMs, range.toMs] }, y: { range: yRange() } },
    axes: axes(format),
    legend: { show: true, live: true },
    cursor: { points: { size: 6 } },
    plugins: [tooltipPlugin(format)],
  };
  drawChart(body, opts, [times as number[], value as (number | null)[], previous as (number | null)[]]);
  box.dataset.state = 'ok';
}
