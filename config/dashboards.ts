// The `dashboards` section: the user's dashboards folder (relative to the config file), query limits, public uids.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_DASHBOARD_MAX_ROWS, DEFAULT_DASHBOARD_QUERY_TIMEOUT_MS, type FileConfig } from './schema.js';

export { DEFAULT_DASHBOARD_MAX_ROWS, DEFAULT_DASHBOARD_QUERY_TIMEOUT_MS };

/** What the web UI's dashboards need (dashboards/settings.ts's DashboardsSettings has the same shape). */
export interface DashboardsConfig {
  /** Absolute; `dashboards.dir`, else ./dashboards beside the config file when it is a folder, else undefined. */
  readonly dir: string | undefined;
  readonly queryTimeoutMs: number;
  readonly maxRows: number;
  readonly public: readonly string[];
}

const isFolder = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

export function readDashboardsConfig(file: FileConfig, configFile: string): DashboardsConfig {
  const base = dirname(configFile);
  const section = file.dashboards;
  const beside = join(base, 'dashboards');
  const dir = section?.dir !== undefined ? resolve(base, section.dir) : isFolder(beside) ? beside : undefined;
  return {
    dir,
    queryTimeoutMs: section?.queryTimeout ?? DEFAULT_DASHBOARD_QUERY_TIMEOUT_MS,
    maxRows: section?.maxRows ?? DEFAULT_DASHBOARD_MAX_ROWS,
    public: [...new Set(section?.public ?? [])],
  };
}
