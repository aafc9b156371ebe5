// A metric's page in the browser: reads the series for the URL's range, draws the hourly and the daily chart,
// fills the summary and points the CSV link at the same range; again when the range changes (pushed to the
// history), on back and forward, when a run finishes (the jobs stream), and redraws on a colour scheme change.
// body[data-metric]: the metric; body[data-metric-state] 'ready' and data-metric-loads count each load.
import { reloadOnQueryChange, renderControls } from '../dashboard/controls.js';
import { onSchemeChange } from '../dashboard/colors.js';
import { refreshOnRuns } from '../dashboard/live.js';
import { currentQuery, queryText } from '../dashboard/url-state.js';
import { byId, replace, say } from '../dom.js';
import { getJson } from '../get-json.js';
import type { MetricSeriesJson } from '../view/explorer-wire.js';
import { drawMetricChart } from './metric-chart.js';
import { rangeQuery, seriesPath, summaryRows } from './metric-view.js';

interface PageState {
  readonly name: string;
  series: MetricSeriesJson | undefined;
  controlsKey: string;
  fetchedAt: number;
}

const readSeries = (url: string): Promise<MetricSeriesJson> => getJson<MetricSeriesJson>(url);

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

function draw(series: MetricSeriesJson): void {
  const hourly = byId('chart-hourly');
  const daily = byId('chart-daily');
  if (hourly !== null) drawMetricChart(hourly, series.hourly, series.range, 'hourly', `previous (${plural(series.shift.hours, 'hour')} before)`);
  if (daily !== null) drawMetricChart(daily, series.daily, series.range, 'daily', `previous (${plural(series.shift.days, 'day')} before)`);
  for (const [box, note] of [[hourly, series.truncated ? 'more rows than dashboards.maxRows: cut' : ''], [daily, '']] as const) {
    const el = box?.querySelector('.chart-note');
    if (el) el.textContent = note;
  }
}

async function load(state: PageState, form: HTMLFormElement | null): Promise<void> {
  document.body.dataset.metricState = 'loading';
  state.fetchedAt = Date.now();
  try {
    const series = await readSeries(seriesPath(state.name, queryText(currentQuery())));
    state.series = series;
    const key = JSON.stringify([series.range.from, series.range.to]);
    if (form !== null && key !== state.controlsKey) renderControls(form, { range: series.range, variables: [] });
    state.controlsKey = key;
    draw(series);
    replace(byId('metric-summary'), summaryRows(series));
    byId('csv')?.setAttribute('href', seriesPath(state.name, rangeQuery(series.range), true));
  } catch (error) {
    say(`metric: ${error instanceof Error ? error.message : String(error)}`, true);
  } finally {
    document.body.dataset.metricState = 'ready';
    document.body.dataset.metricLoads = String(Number(document.body.dataset.metricLoads ?? '0') + 1);
  }
}

export function startMetricPage(): void {
  const { metric, stream } = document.body.dataset;
  if (metric === undefined) return;
  const state: PageState = { name: metric, series: undefined, controlsKey: '', fetchedAt: 0 };
  const form = byId('dash-controls') as HTMLFormElement | null;
  const reload = (): void => void load(state, form);
  reloadOnQueryChange(form, reload);
  onSchemeChange(() => {
    if (state.series !== undefined) draw(state.series);
  });
  void load(state, form).then(() => refreshOnRuns(stream, () => state.fetchedAt, reload));
}
