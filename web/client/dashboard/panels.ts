// Each panel's box: its data fetched from the dashboards API (with the page's range and variables) and drawn by
// its type (timeseries, stat, table, barchart/bargauge, text; any other type says it is not drawn here); an
// error from the API shown in its own box while the others render; a failing check on a metric it reads, a red badge. data-state on the box: loading, ok, nodata, error.
import { getJson } from '../get-json.js';
import type { PanelDataJson } from '../view/dashboard-wire.js';
import { drawBars } from './bars.js';
import { markFailingChecks } from './check-badges.js';
import { destroyChart, type ChartElement } from './chart.js';
import { textOr, type PanelSpec } from './panel-spec.js';
import { drawStat } from './stat.js';
import { drawTable } from './table.js';
import { drawTimeseries, type TimeRange } from './timeseries.js';

export interface PanelSource {
  /** '/api/dashboards/<uid>' or '/api/public/dashboards/<uid>'. */
  readonly base: string;
  /** The page's query string ('' or '?from=…'). */
  readonly query: string;
  readonly range: TimeRange;
}

interface Drawn {
  readonly spec: PanelSpec;
  readonly data: PanelDataJson;
  readonly range: TimeRange;
}

const drawn = new WeakMap<HTMLElement, Drawn>();
const pending = new WeakMap<HTMLElement, AbortController>();
const FETCHED_TYPES = new Set(['timeseries', 'stat', 'table', 'barchart', 'bargauge']);

function bodyOf(box: HTMLElement): ChartElement {
  let body = box.querySelector<HTMLElement>('.panel-body');
  if (body === null) {
    body = document.createElement('div');
    body.className = 'panel-body';
    box.append(body);
  }
  return body;
}

function note(body: ChartElement, text: string, className: string): void {
  destroyChart(body);
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  body.replaceChildren(p);
}

function drawData(body: ChartElement, spec: PanelSpec, data: PanelDataJson, range: TimeRange): boolean {
  destroyChart(body);
  body.replaceChildren();
  if (spec.type === 'timeseries') return drawTimeseries(body, spec, data, range);
  if (spec.type === 'stat') {
    drawStat(body, spec, data);
    return true;
  }
  if (spec.type === 'table') return drawTable(body, spec, data);
  return drawBars(body, spec, data);
}

/** Draws `data` into the panel's box (or its error). */
export function drawPanel(box: HTMLElement, spec: PanelSpec, data: PanelDataJson, range: TimeRange): void {
  const body = bodyOf(box);
  drawn.set(box, { spec, data, range });
  box.dataset.intervalMs = String(data.intervalMs);
  markFailingChecks(box, data);
  if (data.error !== undefined) {
    box.dataset.state = 'error';
    box.dataset.error = data.error;
    note(body, data.error, 'panel-error');
    return;
  }
  delete box.dataset.error;
  const ok = drawData(body, spec, data, range);
  box.dataset.state = ok ? 'ok' : 'nodata';
  if (!ok) note(body, 'No data in this range.', 'muted panel-note');
}

/** A panel drawn without data: text, or a type this page does not draw. */
function drawStatic(box: HTMLElement, spec: PanelSpec): void {
  const body = bodyOf(box);
  box.dataset.state = 'ok';
  if (spec.type === 'text') note(body, textOr(spec.options.content, ''), 'panel-text');
  else note(body, `panel type ${spec.type} is not drawn here`, 'muted panel-note');
}

const fetchData = (url: string, signal: AbortSignal): Promise<PanelDataJson> => getJson<PanelDataJson>(url, signal);

/** Fetches and draws one panel; a newer load of the same box cancels this one. */
export async function loadPanel(box: HTMLElement, spec: PanelSpec, source: PanelSource): Promise<void> {
  if (!FETCHED_TYPES.has(spec.type)) return drawStatic(box, spec);
  pending.get(box)?.abort();
  const controller = new AbortController();
  pending.set(box, controller);
  box.dataset.loading = 'true';
  try {
    const data = await fetchData(`${source.base}/panels/${spec.id}${source.query}`, controller.signal);
    if (!controller.signal.aborted) drawPanel(box, spec, data, source.range);
  } catch (error) {
    if (controller.signal.aborted) return;
    box.dataset.state = 'error';
    box.dataset.error = error instanceof Error ? error.message : String(error);
    note(bodyOf(box), box.dataset.error, 'panel-error');
  } finally {
    if (pending.get(box) === controller) {
      pending.delete(box);
      delete box.dataset.loading;
      box.dataset.loads = String(Number(box.dataset.loads ?? '0') + 1);
    }
  }
}

/** Draws every drawn panel again from the data it has (after a colour scheme change). */
export function redrawPanels(boxes: Iterable<HTMLElement>): void {
  for (const box of boxes) {
    const last = drawn.get(box);
    if (last !== undefined && last.data.error === undefined) drawPanel(box, last.spec, last.data, last.range);
  }
}
