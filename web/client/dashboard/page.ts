// A dashboard page in the browser: reads the dashboard for the URL's range and variables, fetches and draws every
// panel of the open rows, and again when the range or a variable changes (pushed to the history), on back and
// forward, when a row opens, when a run finishes (the jobs stream), on the dashboard's refresh interval, and
// redraws on a colour scheme change. body[data-api]: the API base (private or public), body[data-uid].
import { byId, say } from '../dom.js';
import type { DashboardJson } from '../view/dashboard-wire.js';
import { onSchemeChange } from './colors.js';
import { reloadOnQueryChange, renderControls } from './controls.js';
import { panelBoxId } from './grid-view.js';
import { getJson } from '../get-json.js';
import { refreshEvery, refreshOnRuns } from './live.js';
import { drawnPanels, interpolate, panelsOf, type PanelSpec } from './panel-spec.js';
import { fetchPanels, redrawPanels } from './panels.js';
import { currentQuery, queryText } from './url-state.js';

interface PageState {
  readonly base: string;
  dashboard: DashboardJson | undefined;
  /** When the panels were last fetched (browser clock). */
  fetchedAt: number;
  /** The controls' last rendering (range and variables), to re-render only on a change. */
  controlsKey: string;
}

const readDashboard = (url: string): Promise<DashboardJson> => getJson<DashboardJson>(url);

function isOpen(box: HTMLElement): boolean {
  return box.closest('.dash-section')?.getAttribute('data-collapsed') !== 'true';
}

function boxOf(spec: PanelSpec): HTMLElement | null {
  return byId(panelBoxId(spec.id));
}

/** Titles and row headings with the variables' current text. */
function retitle(dashboard: DashboardJson): void {
  for (const el of document.querySelectorAll<HTMLElement>('#dash [data-template]')) {
    el.textContent = interpolate(el.dataset.template ?? '', dashboard.variables);
    if (el.classList.contains('panel-title')) el.title = el.textContent;
  }
}

/** Fetches the panels (all open ones, or `only`) of the loaded dashboard, in one request. */
async function loadPanels(state: PageState, only?: (spec: PanelSpec) => boolean): Promise<void> {
  const dashboard = state.dashboard;
  if (dashboard === undefined) return;
  const source = { base: state.base, query: queryText(currentQuery()), range: dashboard.range };
  const boxes = drawnPanels(panelsOf(dashboard.dashboard)).flatMap((spec) => {
    const box = boxOf(spec);
    return box !== null && isOpen(box) && (only === undefined || only(spec)) ? [{ box, spec }] : [];
  });
  await fetchPanels(boxes, source);
}

/** Reads the dashboard for the current URL, renders the controls if they changed, and fetches the open panels. */
async function load(state: PageState, form: HTMLFormElement | null): Promise<void> {
  document.body.dataset.dashState = 'loading';
  state.fetchedAt = Date.now();
  try {
    const dashboard = await readDashboard(`${state.base}${queryText(currentQuery())}`);
    state.dashboard = dashboard;
    const key = JSON.stringify([dashboard.range.from, dashboard.range.to, dashboard.variables]);
    if (form !== null && key !== state.controlsKey) renderControls(form, dashboard);
    state.controlsKey = key;
    retitle(dashboard);
    await loadPanels(state);
  } catch (error) {
    say(`dashboard: ${error instanceof Error ? error.message : String(error)}`, true);
  } finally {
    document.body.dataset.dashState = 'ready';
    document.body.dataset.dashLoads = String(Number(document.body.dataset.dashLoads ?? '0') + 1);
  }
}

/** A row heading's button opens or folds its section; opening fetches its panels. */
function installRows(state: PageState): void {
  byId('dash')?.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest<HTMLButtonElement>('button.row-toggle');
    const section = button?.closest<HTMLElement>('.dash-section');
    if (button === null || button === undefined || section === null || section === undefined) return;
    const open = section.dataset.collapsed === 'true';
    section.dataset.collapsed = open ? 'false' : 'true';
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
    const grid = section.querySelector<HTMLElement>('.dash-grid');
    if (grid !== null) grid.hidden = !open;
    if (open) void loadPanels(state, (spec) => section.contains(boxOf(spec)));
  });
}

export function startDashboard(): void {
  const { api, uid, stream } = document.body.dataset;
  if (api === undefined || uid === undefined) return;
  const state: PageState = { base: `${api}/${encodeURIComponent(uid)}`, dashboard: undefined, fetchedAt: 0, controlsKey: '' };
  const form = byId('dash-controls') as HTMLFormElement | null;
  const reload = (): void => void load(state, form);
  reloadOnQueryChange(form, reload);
  installRows(state);
  onSchemeChange(() => redrawPanels(document.querySelectorAll<HTMLElement>('#dash .panel')));
  void load(state, form).then(() => {
    refreshEvery(state.dashboard?.refreshMs ?? null, reload);
    refreshOnRuns(stream, () => state.fetchedAt, reload);
  });
}
