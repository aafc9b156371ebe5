// uPlot, the charts' library (~50 KB, canvas, built for time series; chosen over ECharts, ~1 MB), loaded as the
// ES module the server serves from node_modules (web/pages/assets.ts; typed through the tsconfig's `paths`), and
// what every chart shares: axes in the theme's colours, a tooltip with the values under the cursor, Grafana's
// legend (list or table, under or right of the plot) and threshold lines/areas, the size of its box, and the
// instance kept on its element (`__uplot`) so a test reads the data the chart was given.
import uPlot from '/assets/vendor/uplot/uPlot.esm.js';
import { theme, withAlpha } from './colors.js';

export { uPlot };

/** A chart's element: its uPlot instance, for tests (`el.__uplot.data`) and for resizing. */
export interface ChartElement extends HTMLElement {
  __uplot?: uPlot;
  __resize?: ResizeObserver;
}

export type Format = (value: number | null | undefined) => string;

const FONT = '11px system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif';

/** The x (time) and y axes, coloured from the page's CSS variables as they are now. */
export function axes(format: Format, show = true): uPlot.Axis[] {
  const t = theme();
  const common = { show, stroke: t.muted, font: FONT, grid: { stroke: t.line, width: 1 }, ticks: { stroke: t.line, width: 1, size: 4 } };
  return [
    { ...common },
    { ...common, size: 64, values: (_u: uPlot, splits: number[]) => splits.map((v) => format(v)) },
  ];
}

export interface TooltipOptions {
  /** Grafana's tooltip.mode: 'multi' (every series), 'single' (the series nearest the cursor), 'none'. */
  readonly mode?: string;
  /** Grafana's tooltip.sort: 'asc', 'desc' or 'none' (series order). */
  readonly sort?: string;
  /** A series' own value at `idx` (a stacked chart draws running sums); `u.data` when not given. */
  readonly ownValue?: (seriesIdx: number, idx: number) => number | null | undefined;
  /** A series' value format (its unit); `format` when not given. */
  readonly formatOf?: (seriesIdx: number) => Format;
  /** Series left out of the tooltip (Grafana's hideFrom.tooltip). */
  readonly hidden?: (seriesIdx: number) => boolean;
}

/** A series' colour as a CSS colour (its stroke, else its fill; uPlot keeps both as functions once drawn). */
export function seriesColor(u: uPlot, seriesIdx: number): string {
  const s = u.series[seriesIdx];
  for (const paint of [s?.stroke, s?.fill]) {
    const value: unknown = typeof paint === 'function' ? (paint as (u: uPlot, i: number) => unknown)(u, seriesIdx) : paint;
    if (typeof value === 'string') return value;
  }
  return theme().fg;
}

interface TipRow {
  readonly label: string;
  readonly color: string;
  readonly value: number;
  readonly text: string;
}

function tipRows(u: uPlot, idx: number, format: Format, options: TooltipOptions): TipRow[] {
  const rows: Array<TipRow & { readonly distance: number }> = [];
  u.series.forEach((s, i) => {
    if (i === 0 || s.show === false || options.hidden?.(i) === true) return;
    const value = options.ownValue === undefined ? u.data[i]?.[idx] : options.ownValue(i, idx);
    if (value === null || value === undefined) return;
    const drawn = u.data[i]?.[idx];
    const distance = drawn === null || drawn === undefined ? Infinity : Math.abs(u.valToPos(drawn, s.scale ?? 'y') - (u.cursor.top ?? 0));
    rows.push({ label: String(s.label ?? ''), color: seriesColor(u, i), value, text: (options.formatOf?.(i) ?? format)(value), distance });
  });
  if (options.mode === 'single') return rows.sort((a, b) => a.distance - b.distance).slice(0, 1);
  if (options.sort === 'desc') rows.sort((a, b) => b.value - a.value);
  if (options.sort === 'asc') rows.sort((a, b) => a.value - b.value);
  return rows;
}

function tipContent(tip: HTMLElement, time: number, rows: readonly TipRow[]): void {
  const head = document.createElement('div');
  head.className = 'chart-tip-time';
  head.textContent = new Date(time).toLocaleString();
  tip.replaceChildren(
    head,
    ...rows.map((row) => {
      const line = document.createElement('div');
      line.className = 'chart-tip-row';
      const marker = document.createElement('span');
      marker.className = 'chart-marker';
      marker.style.background = row.color;
      const text = document.createElement('span');
      text.textContent = `${row.label}: ${row.text}`;
      line.append(marker, text);
      return line;
    }),
  );
}

/** A box over the plot with the time and the values under the cursor (every series, or the nearest: options.mode). */
export function tooltipPlugin(format: Format, options: TooltipOptions = {}): uPlot.Plugin {
  let tip: HTMLDivElement | undefined;
  return {
    hooks: {
      init: (u: uPlot) => {
        if (options.mode === 'none' || options.mode === 'hidden') return;
        tip = document.createElement('div');
        tip.className = 'chart-tip';
        tip.hidden = true;
        u.over.append(tip);
      },
      setCursor: (u: uPlot) => {
        if (tip === undefined) return;
        const { idx, left, top } = u.cursor;
        const rows = idx === null || idx === undefined ? [] : tipRows(u, idx, format, options);
        if (idx === null || idx === undefined || left === undefined || left < 0 || rows.length === 0) {
          tip.hidden = true;
          return;
        }
        tipContent(tip, u.data[0][idx]!, rows);
        tip.hidden = false;
        const flip = left > u.over.clientWidth / 2;
        tip.style.left = flip ? '' : `${left + 12}px`;
        tip.style.right = flip ? `${u.over.clientWidth - left + 12}px` : '';
        tip.style.top = `${Math.max(0, (top ?? 0) - 10)}px`;
      },
    },
  };
}

export interface LegendEntry {
  /** The series' index in uPlot (from 1). */
  readonly seriesIdx: number;
  readonly label: string;
  readonly color: string;
  /** The legend's calcs for this series, as shown, in the order of LegendSpec.calcs. */
  readonly values: readonly string[];
}

export interface LegendSpec {
  /** Grafana's legend.displayMode: 'list' or 'table'. */
  readonly displayMode: string;
  /** Grafana's legend.placement: 'bottom' or 'right'. */
  readonly placement: string;
  /** The calcs' names as headed (Mean, Max, Last *...). */
  readonly calcs: readonly string[];
}

function marker(color: string): HTMLSpanElement {
  const span = document.createElement('span');
  span.className = 'chart-marker';
  span.style.background = color;
  return span;
}

function listItem(entry: LegendEntry, calcs: readonly string[]): HTMLElement {
  const item = document.createElement('button');
  item.type = 'button';
  item.className = 'chart-legend-item';
  const label = document.createElement('span');
  label.textContent = entry.label;
  item.append(marker(entry.color), label);
  calcs.forEach((name, i) => {
    const calc = document.createElement('span');
    calc.className = 'chart-legend-calc';
    calc.textContent = `${name}: ${entry.values[i] ?? ''}`;
    item.append(calc);
  });
  return item;
}

function tableRow(entry: LegendEntry): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.className = 'chart-legend-item';
  const name = document.createElement('td');
  name.append(marker(entry.color), entry.label);
  tr.append(name, ...entry.values.map((v) => Object.assign(document.createElement('td'), { className: 'num', textContent: v })));
  return tr;
}

/**
 * Grafana's legend for `u`: the series (never the x values) as a list or a table with the calcs, under or right of
 * the plot. A click shows that series alone (a second click all of them), ctrl/meta/shift-click toggles it;
 * `onChange` gets which entries are shown, in `entries` order, and applies it to the chart.
 */
export function chartLegend(spec: LegendSpec, entries: readonly LegendEntry[], onChange: (shown: readonly boolean[]) => void): HTMLElement {
  const shown = entries.map(() => true);
  const legend = document.createElement('div');
  legend.className = `chart-legend chart-legend-${spec.displayMode === 'table' ? 'table' : 'list'}`;
  let items: HTMLElement[];
  if (spec.displayMode === 'table') {
    const table = document.createElement('table');
    const head = document.createElement('tr');
    head.append(Object.assign(document.createElement('th'), { textContent: 'Name' }), ...spec.calcs.map((c) => Object.assign(document.createElement('th'), { className: 'num', textContent: c })));
    const thead = document.createElement('thead');
    thead.append(head);
    const tbody = document.createElement('tbody');
    items = entries.map(tableRow);
    tbody.append(...items);
    table.append(thead, tbody);
    legend.append(table);
  } else {
    items = entries.map((e) => listItem(e, spec.calcs));
    legend.append(...items);
  }
  items.forEach((item, i) => {
    item.addEventListener('click', (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey) shown[i] = !shown[i];
      else {
        const alone = shown[i] === true && shown.every((v, j) => v === (j === i));
        shown.forEach((_, j) => (shown[j] = alone || j === i));
      }
      items.forEach((it, j) => it.classList.toggle('off', !shown[j]));
      onChange([...shown]);
    });
  });
  return legend;
}

/** Grafana's threshold styles (thresholdsStyle.mode: line, dashed, area, line+area, dashed+area) under the series. */
export function thresholdsPlugin(mode: string, steps: ReadonlyArray<{ readonly color: string; readonly value: number | null }>, scale = 'y'): uPlot.Plugin {
  const lines = mode.includes('line') || mode.includes('dashed');
  const area = mode.includes('area');
  return {
    hooks: {
      drawAxes: (u: uPlot) => {
        const { left, top, width, height } = u.bbox;
        const ctx = u.ctx;
        const y = (value: number | null, edge: number) => (value === null ? edge : Math.round(u.valToPos(value, scale, true)));
        ctx.save();
        ctx.beginPath();
        ctx.rect(left, top, width, height);
        ctx.clip();
        steps.forEach((step, i) => {
          const from = y(step.value, top + height);
          const to = y(steps[i + 1]?.value ?? null, top);
          if (area) {
            ctx.fillStyle = withAlpha(step.color, 0.15);
            ctx.fillRect(left, Math.min(from, to), width, Math.abs(from - to));
          }
          if (lines && step.value !== null) {
            ctx.strokeStyle = step.color;
            ctx.lineWidth = 2 * devicePixelRatio;
            ctx.setLineDash(mode.includes('dashed') ? [10 * devicePixelRatio, 10 * devicePixelRatio] : []);
            ctx.beginPath();
            ctx.moveTo(left, from);
            ctx.lineTo(left + width, from);
            ctx.stroke();
          }
        });
        ctx.restore();
      },
    },
  };
}

/** The room `host` leaves for the plot (its box, less the legend under it, or right of it: data-legend="right"). */
function plotSize(host: ChartElement): { width: number; height: number } {
  const legend = host.querySelector<HTMLElement>('.chart-legend, .u-legend');
  if (host.dataset.legend === 'right') return { width: Math.max(80, host.clientWidth - (legend?.offsetWidth ?? 0) - 8), height: Math.max(40, host.clientHeight - 2) };
  const height = host.clientHeight - (legend?.offsetHeight ?? 0) - 4;
  return { width: Math.max(80, host.clientWidth), height: Math.max(40, height) };
}

/**
 * Draws `opts` with `data` into `host` (a previous chart there destroyed), sized to it and following its size;
 * `legend`, when given, builds a legend (chartLegend) put after the plot, under it or right of it as
 * `placement` says, before the plot takes the room left.
 */
export function drawChart(host: ChartElement, opts: Omit<uPlot.Options, 'width' | 'height'>, data: uPlot.AlignedData, legend?: { readonly placement: string; readonly build: (u: uPlot) => HTMLElement }): uPlot {
  destroyChart(host);
  const u = new uPlot({ ...opts, width: Math.max(80, host.clientWidth), height: Math.max(40, host.clientHeight - 30) }, data, host);
  host.__uplot = u;
  if (legend !== undefined) {
    host.dataset.legend = legend.placement === 'right' ? 'right' : 'bottom';
    host.append(legend.build(u));
  }
  u.setSize(plotSize(host));
  const observer = new ResizeObserver(() => {
    const size = plotSize(host);
    if (size.width !== u.width || size.height !== u.height) u.setSize(size);
  });
  observer.observe(host);
  host.__resize = observer;
  return u;
}

export function destroyChart(host: ChartElement): void {
  host.__resize?.disconnect();
  host.__uplot?.destroy();
  delete host.__uplot;
  delete host.__resize;
  delete host.dataset.legend;
  for (const legend of host.querySelectorAll(':scope > .chart-legend')) legend.remove();
}
