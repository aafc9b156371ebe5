// The metric explorer as Grafana dashboard JSON built in code: for one metric, its hourly and its daily chart (the
// same-length period before as a dashed `previous` series) and a summary table (min, max, sum); for the list, a
// table of every metric by prefix. Importable into Grafana as is; web/ runs the same targets (explorer-run.ts).
import { dailySql, hourlySql, metricListSql, previousDailySql, previousHourlySql, schemaSql, summarySql } from './explorer-sql.js';

type Json = Readonly<Record<string, unknown>>;

export type ExplorerFormat = 'time_series' | 'table';

/** One query of a panel, as Grafana's PostgreSQL datasource stores it (code mode). */
export interface ExplorerTarget {
  readonly refId: string;
  readonly datasource: Json;
  readonly editorMode: 'code';
  readonly format: ExplorerFormat;
  readonly rawQuery: true;
  readonly rawSql: string;
}

/** The panels of a metric's dashboard, by id. */
export const EXPLORER_PANELS = { hourly: 1, daily: 2, summary: 3 } as const;
export type ExplorerPanel = keyof typeof EXPLORER_PANELS;

const DATASOURCE: Json = { type: 'grafana-postgresql-datasource', uid: 'etl-metrics' };

function target(refId: string, rawSql: string, format: ExplorerFormat = 'time_series'): ExplorerTarget {
  return { refId, datasource: DATASOURCE, editorMode: 'code', format, rawQuery: true, rawSql };
}

/** The `previous` series drawn dashed, without fill, in the text colour (Grafana field overrides). */
const PREVIOUS_OVERRIDE: Json = {
  matcher: { id: 'byName', options: 'previous' },
  properties: [
    { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
    { id: 'custom.fillOpacity', value: 0 },
    { id: 'color', value: { mode: 'fixed', fixedColor: 'text' } },
  ],
};

function chartPanel(id: number, title: string, y: number, targets: readonly ExplorerTarget[]): Json {
  return {
    id, type: 'timeseries', title, datasource: DATASOURCE, gridPos: { x: 0, y, w: 24, h: 9 },
    fieldConfig: {
      defaults: { color: { mode: 'palette-classic' }, custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 10, showPoints: 'auto', spanNulls: false } },
      overrides: [PREVIOUS_OVERRIDE],
    },
    options: { legend: { showLegend: true, displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    targets,
  };
}

function variables(timeZone: string, extra: readonly Json[]): Json {
  const tz = { type: 'textbox', name: 'tz', label: 'ETL time zone', query: timeZone, current: { text: timeZone, value: timeZone }, hide: 0 };
  return { list: [tz, ...extra] };
}

function textbox(name: string, label: string, value: string): Json {
  return { type: 'textbox', name, label, query: value, current: { text: value, value }, hide: 0 };
}

/** The dashboard of one metric (variables `tz` and `metric`), for the metrics database's `schema`. */
export function metricDashboard(metric: string, schema: string, timeZone: string): Json {
  const s = schemaSql(schema);
  return {
    uid: 'etl-metric-explorer', title: `Metric ${metric}`, tags: ['etl', 'explorer'], timezone: 'browser', schemaVersion: 39,
    time: { from: 'now-7d', to: 'now' },
    templating: variables(timeZone, [textbox('metric', 'Metric', metric)]),
    panels: [
      chartPanel(EXPLORER_PANELS.hourly, 'Hourly: $metric', 0, [target('A', hourlySql(s)), target('B', previousHourlySql(s))]),
      chartPanel(EXPLORER_PANELS.daily, 'Daily: $metric', 9, [target('A', dailySql(s)), target('B', previousDailySql(s))]),
      { id: EXPLORER_PANELS.summary, type: 'table', title: 'Min, max, sum in the range', datasource: DATASOURCE, gridPos: { x: 0, y: 18, w: 24, h: 4 }, targets: [target('A', summarySql(s), 'table')] },
    ],
  };
}

/** The targets of one panel of `dashboard` (a metricDashboard). */
export function panelTargets(dashboard: Json, panel: ExplorerPanel): readonly ExplorerTarget[] {
  const found = (dashboard.panels as readonly Json[]).find((p) => p.id === EXPLORER_PANELS[panel]);
  return (found?.targets ?? []) as readonly ExplorerTarget[];
}

/** The list's one target: every metric by prefix with its latest values and last 7 days (variables prefix, limit, tz). */
export function metricListTarget(schema: string): ExplorerTarget {
  return target('A', metricListSql(schemaSql(schema)), 'table');
}
