// The JSON of the dashboards API (web/dashboards-api.ts) as the browser reads it: Grafana's data frames in the
// small form we send (column-wise values, times as epoch milliseconds), the dashboards list, a dashboard with
// its resolved variables, and a panel's answer. The server's own types (dashboards/frames.ts) must fit these.
//
//   GET /api/dashboards                                   -> { dashboards: DashboardEntryJson[] }
//   GET /api/dashboards/:uid?from=&to=&var-<name>=...     -> DashboardJson
//   GET /api/dashboards/:uid/panels/:panelId?from=&to=&var-<name>=...  -> PanelDataJson (200 even when the
//        panel's SQL failed: `error` says why, masked; 404 { error } for an unknown dashboard or panel)
//   GET /api/dashboards/:uid/panels?id=1&id=2&from=&to=&var-<name>=...  -> NDJSON: one PanelDataJson per line,
//        each as soon as its queries end (what a page loads: one request, variables resolved once); 404 { error }
//        for an unknown dashboard or panel, 400 { error } for no id, a bad range or variable value
//   Public dashboards (dashboards.public in the configuration), no token:
//   GET /public/:uid (page), GET /api/public/dashboards/:uid, .../panels and .../panels/:panelId (same JSON; no SQL in it)

/** A column of a frame. Times are epoch milliseconds; a missing value is null. */
export interface FieldJson {
  readonly name: string;
  readonly type: 'time' | 'number' | 'string' | 'boolean' | 'other';
  readonly values: readonly (number | string | boolean | null)[];
  /** Labels of a series made from a long-format result (`{ metric: 'signup' }`). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** One Grafana data frame: a table (format 'table') or one or more series sharing a time column. */
export interface FrameJson {
  readonly name?: string;
  /** The target's refId. */
  readonly refId: string;
  readonly fields: readonly FieldJson[];
}

export interface DashboardEntryJson {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  /** 'shipped': in the package's dashboards/; 'user': in dashboards.dir. */
  readonly source: 'shipped' | 'user';
  readonly public: boolean;
  /** A file that does not load (not JSON, no uid, no panels): uid '', title = the file's name, and why. */
  readonly error?: string;
}

export interface VariableOptionJson {
  readonly text: string;
  readonly value: string;
}

/** A template variable resolved for this request (URL `var-<name>` values over the file's current). */
export interface VariableJson {
  readonly name: string;
  readonly label: string;
  readonly type: 'textbox' | 'custom' | 'constant' | 'query' | 'interval' | 'datasource' | 'adhoc';
  /** 0 shown, 1 label hidden, 2 variable hidden (Grafana's `hide`). */
  readonly hide: number;
  readonly multi: boolean;
  readonly includeAll: boolean;
  readonly options: readonly VariableOptionJson[];
  /** The current value(s): '$__all' when "All" is chosen. */
  readonly current: readonly string[];
  /** Set when a query variable's SQL failed (masked). */
  readonly error?: string;
}

/** A dashboard to render: the Grafana JSON (panels with rawSql removed for public views), the range, variables. */
export interface DashboardJson {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  /** Grafana's dashboard JSON as stored (panels, gridPos, fieldConfig, options...). */
  readonly dashboard: Readonly<Record<string, unknown>>;
  /** The range as asked (`now-7d`, or epoch ms text) and as resolved (epoch ms). */
  readonly range: { readonly from: string; readonly to: string; readonly fromMs: number; readonly toMs: number };
  /** The dashboard's refresh interval in ms (its `refresh`), or null. */
  readonly refreshMs: number | null;
  readonly timeZone: string;
  readonly variables: readonly VariableJson[];
  readonly public: boolean;
}

export interface PanelDataJson {
  readonly panelId: number;
  readonly frames: readonly FrameJson[];
  /** The first failing target's error (masked): the panel shows it in its box. */
  readonly error?: string;
  /** True when a result was cut at the row cap. */
  readonly truncated?: boolean;
  /** $__interval as used, in ms. */
  readonly intervalMs: number;
  /** Checks whose latest bucket failed on a metric the panel's SQL reads (not on a public view). */
  readonly checks?: readonly PanelCheckJson[];
}

/** A failing check on a metric a panel reads: the page links it to /checks/<check>/<metric>. */
export interface PanelCheckJson {
  readonly check: string;
  readonly metric: string;
  /** The failing bucket's start (epoch ms) and why it failed. */
  readonly bucketStart: number;
  readonly reason: string;
}
