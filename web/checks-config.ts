// The checks the UI shows: the configuration's `checks` key (config/checks-schema.ts, parsed and frozen) as the
// checks/ room's plain `Check`s as runtime/checks.ts makes them for the evaluation, and each check's own
// parameters as the page lists them.
import type { Check } from '../checks/check.js';
import { checksOf } from '../runtime/checks.js';
import type { UiDeps } from './contract.js';

/** The configured checks, in the file's order (none when the key is absent). */
export function configuredChecks(deps: UiDeps): Check[] {
  return checksOf(deps.runtime.config);
}

const COMMON = new Set(['name', 'metric', 'grain', 'severity', 'type']);

/** A check's own parameters (threshold, maxAgeMs...), those set. */
export function checkParameters(check: Check): Record<string, string | number> {
  return Object.fromEntries(Object.entries(check).filter(([key, value]) => !COMMON.has(key) && (typeof value === 'number' || typeof value === 'string')));
}
