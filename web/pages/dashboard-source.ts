// What a dashboard page reads on the server, through the same functions as the dashboards API (dashboards/):
// the settings, the URL's range and variables, and the dashboard with them resolved (no panel data: the browser
// fetches that). Every text masked by the caller's masker.
import { DEFAULT_DASHBOARDS_SETTINGS, dashboardJson, loadCatalog, type DashboardContext, type DashboardsSettings, type ViewRequest } from '../../dashboards/index.js';
import type { DashboardJson } from '../client/view/dashboard-wire.js';
import type { UiDeps } from '../contract.js';

/** The configured dashboards settings (config `dashboards`), or the defaults (a runtime built without them). */
export function dashboardsSettings(deps: UiDeps): DashboardsSettings {
  return (deps.runtime.config.dashboards as DashboardsSettings | undefined) ?? DEFAULT_DASHBOARDS_SETTINGS;
}

async function contextOf(deps: UiDeps): Promise<DashboardContext> {
  return { db: await deps.runtime.metricsDb(), settings: dashboardsSettings(deps), timeZone: deps.runtime.config.timeZone };
}

/** The URL's from, to and var-<name> values. */
export function viewRequest(query: Readonly<Record<string, readonly string[]>>, isPublic: boolean): ViewRequest {
  const variables: Record<string, readonly string[]> = {};
  for (const [key, values] of Object.entries(query)) if (key.startsWith('var-')) variables[key.slice(4)] = values;
  return { from: query.from?.[0], to: query.to?.[0], variables, public: isPublic };
}

/**
 * The dashboard `uid` for the URL's query; undefined when there is none (or, for a public page, when it is not
 * public). Throws what the API answers 400 for (a bad range or variable value).
 */
export async function readDashboard(deps: UiDeps, uid: string, request: ViewRequest): Promise<DashboardJson | undefined> {
  const ctx = await contextOf(deps);
  if (request.public && !ctx.settings.public.includes(uid)) return undefined;
  const file = (await loadCatalog(ctx.settings.dir)).dashboards.find((d) => d.uid === uid);
  if (file === undefined) return undefined;
  return dashboardJson(file, request, ctx);
}
