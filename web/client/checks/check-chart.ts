// One check on one metric in uPlot: the judged value as a line, the expected band (low .. high) shaded between
// its two edges (uPlot `bands`), and the buckets that did not pass as red points. The box's data attributes say
// what was drawn: data-points (buckets), data-band-points (buckets with a band), data-fail-marks (red points).
import { axes, destroyChart, drawChart, tooltipPlugin, uPlot, type ChartElement, type Format } from '../dashboard/chart.js';
import { paletteColor, theme, withAlpha } from '../dashboard/colors.js';
import { formatValue } from '../dashboard/units.js';
import { yRange } from '../explorer/metric-chart.js';
import type { CheckHistoryJson, CheckResultJson } from '../view/checks-wire.js';

const format: Format = (v) => formatValue(v);
const shown = (_u: uPlot, v: number | null): string => (v === null || v === undefined ? '—' : format(v));
const FAIL_COLOR = '#E02F44';
const WARN_COLOR = '#FF9830';

/** The chart's columns: time, value, low, high, and the value again only where the bucket did not pass. */
export function checkColumns(results: readonly CheckResultJson[]): uPlot.AlignedData {
  return [
    results.map((r) => r.bucketStart),
    results.map((r) => r.value),
    results.map((r) => r.expectedLow),
    results.map((r) => r.expectedHigh),
    results.map((r) => (r.status === 'pass' ? null : r.value)),
  ];
}

function seriesOf(metric: string, few: boolean): uPlot.Series[] {
  const color = paletteColor(2);
  const band = theme().muted;
  return [
    { label: 'time', value: (_u: uPlot, v: number | null) => (v === null ? '—' : new Date(v).toLocaleString()) },
    { label: metric, stroke: color, width: 1.75, spanGaps: false, points: { show: few, size: 4 }, value: shown },
    { label: 'expected low', stroke: withAlpha(band, 0.6), width: 1, dash: [4, 3], spanGaps: false, points: { show: false }, value: shown },
    { label: 'expected high', stroke: withAlpha(band, 0.6), width: 1, dash: [4, 3], spanGaps: false, points: { show: false }, value: shown },
    { label: 'failing', stroke: FAIL_COLOR, width: 0, paths: () => null, points: { show: true, size: 9, width: 2, stroke: FAIL_COLOR, fill: withAlpha(FAIL_COLOR, 0.85) }, value: shown },
  ];
}

const count = <T>(values: readonly T[], test: (v: T) => boolean): number => values.reduce((n, v) => n + (test(v) ? 1 : 0), 0);

/** Draws `history` into `box`'s body; data-state 'ok' or 'empty'. */
export function drawCheckChart(box: HTMLElement, history: CheckHistoryJson): void {
  const body = box.querySelector<HTMLElement>('.panel-body') as ChartElement | null;
  if (body === null) return;
  const { results } = history;
  box.dataset.points = String(results.length);
  box.dataset.bandPoints = String(count(results, (r) => r.expectedLow !== null && r.expectedHigh !== null));
  box.dataset.failMarks = String(count(results, (r) => r.status !== 'pass' && r.value !== null));
  box.dataset.warnMarks = String(count(results, (r) => r.status === 'warn'));
  if (results.length === 0) {
    destroyChart(body);
    body.replaceChildren(Object.assign(document.createElement('p'), { className: 'muted no-data', textContent: 'No judged bucket in this range: the check has not run over it yet.' }));
    box.dataset.state = 'empty';
    return;
  }
  body.replaceChildren();
  const series = seriesOf(history.metric, results.length <= 60);
  // A warn-severity check's buckets are marked amber.
  if (history.check.severity === 'warn') series[4] = { ...series[4], stroke: WARN_COLOR, points: { show: true, size: 9, width: 2, stroke: WARN_COLOR, fill: withAlpha(WARN_COLOR, 0.85) } };
  const opts: Omit<uPlot.Options, 'width' | 'height'> = {
    ms: 1,
    series,
    bands: [{ series: [3, 2], fill: withAlpha(paletteColor(2), 0.14) }],
    scales: { x: { time: true, range: () => [history.range.fromMs, history.range.toMs] }, y: { range: yRange() } },
    axes: axes(format),
    legend: { show: true, live: true },
    cursor: { points: { size: 6 } },
    plugins: [tooltipPlugin(format)],
  };
  drawChart(body, opts, checkColumns(results));
  box.dataset.state = 'ok';
}
