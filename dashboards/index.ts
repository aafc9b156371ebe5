// Grafana dashboard files and what runs them: catalog, variables, Grafana's PostgreSQL macros, panel queries shaped as data frames.
export { loadCatalog, parseDashboard, shippedDashboardsDir, type BrokenDashboard, type Catalog, type DashboardFile, type DashboardSource } from './catalog.js';
export { BadVariableValue, DashboardError, DashboardFileError, DashboardNotFound, DashboardQueryError, DashboardRequestError } from './errors.js';
export { tableFrame, timeSeriesFrame, toFrame, type Field, type Frame, type QueryFormat } from './frames.js';
export { calculateIntervalMs, formatInterval, panelResolution, parseIntervalMs, roundInterval } from './intervals.js';
export { expandMacros, expandSql, grafanaSql, macroCalls, prepareSql, rfc3339Nano, type FillMode, type TimeRange } from './macros.js';
export { allPanels, dashboardJson, dashboardZone, panelData, panelsData, withoutSql, type DashboardContext, type DashboardView, type PanelData, type ViewRequest } from './panel-data.js';
export { ALL_VALUE, resolveVariables, type ResolvedVariable, type VariableType } from './resolve-variables.js';
export { recordsOf, runReadOnly, tableOf, wrapQuery, type QueryLimits, type QueryRows } from './run-query.js';
export { DEFAULT_DASHBOARDS_SETTINGS, DEFAULT_MAX_ROWS, DEFAULT_QUERY_TIMEOUT_MS, type DashboardsSettings } from './settings.js';
export { parseDateMath, parseTimeRange, type RangeOptions, type ResolvedRange } from './time-range.js';
export { formatVariable, interpolateVariables, quoteLiteral, type Variables, type VariableValue } from './variables.js';
export { EXPLORER_PANELS, metricDashboard, metricListTarget, panelTargets, type ExplorerPanel, type ExplorerTarget } from './explorer.js';
export { explorerRange, findMetric, listExplorerMetrics, metricSeries, type ExplorerContext, type ListedMetric, type MetricInfo, type MetricSeries, type RangeSummary } from './explorer-run.js';
