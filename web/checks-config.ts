// The checks the UI shows: the configuration's `checks` key (config/checks-schema.ts, parsed and frozen) as the
// checks/ room's plain `Check`s (names defaulted, spans in days, durations in ms), and each check's own
// parameters as the page lists them.
import type { Check } from '../checks/check.js';
import type { UiDeps } from './contract.js';

type CheckConfig = NonNullable<UiDeps['runtime']['config']['file']['checks']>[number];

/** config/checks-schema.ts's checkName: the check's own name, or `<metric>:<type>` (`:daily` for a daily grain). */
function nameOf(check: CheckConfig): string {
  return check.name ?? `${check.metric}:${check.type}${check.grain === 'daily' ? ':daily' : ''}`;
}

function checkOf(config: CheckConfig): Check {
  const base = { name: nameOf(config), metric: config.metric, grain: config.grain, severity: config.severity };
  switch (config.type) {
    case 'anomaly':
      return {
        ...base, type: 'anomaly', historyDays: config.history, seasonality: config.seasonality, threshold: config.threshold,
        minHistory: config.minHistory, direction: config.direction, minChange: config.minChange,
      };
    case 'freshness':
      return { ...base, type: 'freshness', maxAgeMs: config.maxAge };
    case 'range':
      return { ...base, type: 'range', min: config.min, max: config.max };
    case 'change':
      return { ...base, type: 'change', maxDrop: config.maxDrop, maxRise: config.maxRise };
    case 'missing':
      return { ...base, type: 'missing', graceMs: config.grace };
  }
}

/** The configured checks, in the file's order (none when the key is absent). */
export function configuredChecks(deps: UiDeps): Check[] {
  return (deps.runtime.config.file.checks ?? []).map(checkOf);
}

const COMMON = new Set(['name', 'metric', 'grain', 'severity', 'type']);

/** A check's own parameters (threshold, maxAgeMs...), those set. */
export function checkParameters(check: Check): Record<string, string | number> {
  return Object.fromEntries(Object.entries(check).filter(([key, value]) => !COMMON.has(key) && (typeof value === 'number' || typeof value === 'string')));
}

/** Does `metric` fit the check's pattern (`*` any text)? */
export function coversMetric(pattern: string, metric: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&')).join('.*')}$`, 's');
  return re.test(metric);
}
