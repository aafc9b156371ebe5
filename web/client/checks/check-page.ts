// A check's page for one metric in the browser: reads the judged buckets of the URL's range, draws the chart
// (value, expected band, failing buckets) and the table of failing buckets; again when the range changes (pushed
// to the history), on back and forward, when a run finishes (the jobs stream: the checks job may have judged),
// and redraws on a colour scheme change. body[data-check], body[data-metric]; body[data-check-state] 'ready'
// and data-check-loads count each load.
import { reloadOnQueryChange, renderControls } from '../dashboard/controls.js';
import { onSchemeChange } from '../dashboard/colors.js';
import { refreshOnRuns } from '../dashboard/live.js';
import { currentQuery, queryText } from '../dashboard/url-state.js';
import { byId, replace, say } from '../dom.js';
import { getJson } from '../get-json.js';
import type { CheckHistoryJson } from '../view/checks-wire.js';
import { drawCheckChart } from './check-chart.js';
import { failuresTable } from './checks-view.js';

interface PageState {
  readonly api: string;
  history: CheckHistoryJson | undefined;
  controlsKey: string;
  fetchedAt: number;
}

function draw(history: CheckHistoryJson): void {
  const box = byId('check-chart');
  if (box !== null) drawCheckChart(box, history);
}

async function load(state: PageState, form: HTMLFormElement | null): Promise<void> {
  document.body.dataset.checkState = 'loading';
  state.fetchedAt = Date.now();
  try {
    const history = await getJson<CheckHistoryJson>(`${state.api}${queryText(currentQuery())}`);
    state.history = history;
    const key = JSON.stringify([history.range.from, history.range.to]);
    if (form !== null && key !== state.controlsKey) renderControls(form, { range: history.range, variables: [] });
    state.controlsKey = key;
    draw(history);
    replace(byId('failures-box'), [failuresTable(history.results)]);
  } catch (error) {
    say(`check: ${error instanceof Error ? error.message : String(error)}`, true);
  } finally {
    document.body.dataset.checkState = 'ready';
    document.body.dataset.checkLoads = String(Number(document.body.dataset.checkLoads ?? '0') + 1);
  }
}

export function startCheckPage(): void {
  const { check, metric, stream } = document.body.dataset;
  if (check === undefined || metric === undefined) return;
  const state: PageState = { api: `/api/checks/${encodeURIComponent(check)}/${encodeURIComponent(metric)}`, history: undefined, controlsKey: '', fetchedAt: 0 };
  const form = byId('dash-controls') as HTMLFormElement | null;
  const reload = (): void => void load(state, form);
  reloadOnQueryChange(form, reload);
  onSchemeChange(() => {
    if (state.history !== undefined) draw(state.history);
  });
  void load(state, form).then(() => refreshOnRuns(stream, () => state.fetchedAt, reload));
}
