// The dashboards' settings as the configuration gives them (config `dashboards`, read once, frozen).

export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_ROWS = 10_000;

export interface DashboardsSettings {
  /** The user's dashboards folder (absolute), besides the shipped one; undefined: none. */
  readonly dir?: string | undefined;
  /** A panel query longer than this is cancelled (PostgreSQL; PGlite cannot interrupt a statement). */
  readonly queryTimeoutMs: number;
  /** Rows kept of one query's result. */
  readonly maxRows: number;
  /** Uids of the dashboards served without the UI token (read-only, no SQL in what is sent). */
  readonly public: readonly string[];
}

export const DEFAULT_DASHBOARDS_SETTINGS: DashboardsSettings = Object.freeze({
  queryTimeoutMs: DEFAULT_QUERY_TIMEOUT_MS,
  maxRows: DEFAULT_MAX_ROWS,
  public: Object.freeze([]) as readonly string[],
});
