// uPlot, the charts' library (~50 KB, canvas, built for time series; chosen over ECharts, ~1 MB), loaded as the
// ES module the server serves from node_modules (web/pages/assets.ts; typed through the tsconfig's `paths`), and
// what every chart shares: axes in the theme's colours, a tooltip with the values under the cursor, the size of
// its box, and the instance kept on its element (`__uplot`) so a test reads the data the chart was given.
import uPlot from '/assets/vendor/uplot/uPlot.esm.js';
import { theme } from './colors.js';

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

function tooltipText(u: uPlot, idx: number, format: Format): string {
  const lines = [new Date(u.data[0][idx]!).toLocaleString()];
  u.series.forEach((s, i) => {
    if (i === 0 || s.show === false) return;
    const value = u.data[i]?.[idx];
    if (value !== null && value !== undefined) lines.push(`${String(s.label ?? '')}: ${format(value)}`);
  });
  return lines.join('\n');
}

/** A box over the plot with the time and every value under the cursor. */
export function tooltipPlugin(format: Format): uPlot.Plugin {
  let tip: HTMLDivElement | undefined;
  return {
    hooks: {
      init: (u: uPlot) => {
        tip = document.createElement('div');
        tip.className = 'chart-tip';
        tip.hidden = true;
        u.over.append(tip);
      },
      setCursor: (u: uPlot) => {
        if (tip === undefined) return;
        const { idx, left, top } = u.cursor;
        if (idx === null || idx === undefined || left === undefined || left < 0) {
          tip.hidden = true;
          return;
        }
        tip.textContent = tooltipText(u, idx, format);
        tip.hidden = false;
        const flip = left > u.over.clientWidth / 2;
        tip.style.left = flip ? '' : `${left + 12}px`;
        tip.style.right = flip ? `${u.over.clientWidth - left + 12}px` : '';
        tip.style.top = `${Math.max(0, (top ?? 0) - 10)}px`;
      },
    },
  };
}

/** The room `host` leaves for the plot (its box, less the legend under it). */
function plotSize(host: ChartElement, u: uPlot): { width: number; height: number } {
  const legend = host.querySelector<HTMLElement>('.u-legend');
  const height = host.clientHeight - (legend?.offsetHeight ?? 0) - 4;
  return { width: Math.max(80, host.clientWidth), height: Math.max(40, height) };
}

/** Draws `opts` with `data` into `host` (a previous chart there destroyed), sized to it and following its size. */
export function drawChart(host: ChartElement, opts: Omit<uPlot.Options, 'width' | 'height'>, data: uPlot.AlignedData): uPlot {
  destroyChart(host);
  const u = new uPlot({ ...opts, width: Math.max(80, host.clientWidth), height: Math.max(40, host.clientHeight - 30) }, data, host);
  host.__uplot = u;
  u.setSize(plotSize(host, u));
  const observer = new ResizeObserver(() => {
    const size = plotSize(host, u);
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
}
