// Each panel's box: its data fetched from the dashboards API (with the page's range and variables) and drawn by
// its type (timeseries, stat, table, barchart/bargauge, text; any other type says it is not drawn here); an
// error from the API shown in its own box while the others render; a failing check on a metric it reads, a red badge. data-state on the box: loading, ok, nodata, error.
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

/** One request for several boxes: its controller, and the boxes still waiting on it. */
interface Batch {
  readonly controller: AbortController;
  readonly waiting: Set<HTMLElement>;
}

const pending = new WeakMap<HTMLElement, Batch>();

function showError(box: HTMLElement, message: string): void {
  box.dataset.state = 'error';
  box.dataset.error = message;
  note(bodyOf(box), message, 'panel-error');
}

/** The box is no longer waiting on `batch` (answered, failed, or taken by a newer load); the last one out stops its request. */
function release(box: HTMLElement, batch: Batch): void {
  if (pending.get(box) === batch) {
    pending.delete(box);
    delete box.dataset.loading;
    box.dataset.loads = String(Number(box.dataset.loads ?? '0') + 1);
  }
  batch.waiting.delete(box);
}

/** Calls `each` with every JSON line of the answer's body as it arrives (NDJSON). */
async function readLines(res: Response, each: (value: unknown) => void): Promise<void> {
  if (res.body === null) return;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let rest = '';
  for (;;) {
    const { done, value } = await reader.read();
    rest += done ? decoder.decode() : decoder.decode(value, { stream: true });
    let end: number;
    while ((end = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, end);
      rest = rest.slice(end + 1);
      if (line.trim() !== '') each(JSON.parse(line));
    }
    if (done) break;
  }
  if (rest.trim() !== '') each(JSON.parse(rest));
}

/**
 * Fetches the panels of `boxes` in one request (`.../panels?id=...`) and draws each as its line arrives; a panel
 * that draws no data (text, a type not drawn here) is drawn at once. A newer load of a box takes it over: the
 * older request's line for it is ignored, and that request stops when none of its boxes waits on it any more.
 */
export async function fetchPanels(boxes: readonly { readonly box: HTMLElement; readonly spec: PanelSpec }[], source: PanelSource): Promise<void> {
  const fetched = boxes.filter(({ box, spec }) => (FETCHED_TYPES.has(spec.type) ? true : (drawStatic(box, spec), false)));
  if (fetched.length === 0) return;
  const batch: Batch = { controller: new AbortController(), waiting: new Set(fetched.map((f) => f.box)) };
  const byId = new Map(fetched.map((f) => [f.spec.id, f]));
  for (const { box } of fetched) {
    const older = pending.get(box);
    pending.set(box, batch);
    box.dataset.loading = 'true';
    if (older !== undefined) {
      older.waiting.delete(box);
      if (older.waiting.size === 0) older.controller.abort();
    }
  }
  const ids = fetched.map((f) => `id=${f.spec.id}`).join('&');
  const url = `${source.base}/panels?${ids}${source.query === '' ? '' : `&${source.query.slice(1)}`}`;
  try {
    const res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/x-ndjson' }, signal: batch.controller.signal });
    if (!res.ok) {
      const json = (await res.json().catch(() => ({}))) as { error?: unknown };
      throw new Error(typeof json.error === 'string' ? json.error : `HTTP ${res.status}`);
    }
    await readLines(res, (value) => {
      const data = value as PanelDataJson;
      const entry = byId.get(data.panelId);
      if (entry === undefined || pending.get(entry.box) !== batch) return;
      drawPanel(entry.box, entry.spec, data, source.range);
      release(entry.box, batch);
    });
    for (const box of [...batch.waiting]) if (pending.get(box) === batch) showError(box, 'no answer for this panel');
  } catch (error) {
    if (!batch.controller.signal.aborted) {
      for (const box of batch.waiting) if (pending.get(box) === batch) showError(box, error instanceof Error ? error.message : String(error));
    }
  } finally {
    for (const box of [...batch.waiting]) release(box, batch);
  }
}

/** Draws every drawn panel again from the data it has (after a colour scheme change). */
export function redrawPanels(boxes: Iterable<HTMLElement>): void {
  for (const box of boxes) {
    const last = drawn.get(box);
    if (last !== undefined && last.data.error === undefined) drawPanel(box, last.spec, last.data, last.range);
  }
}
