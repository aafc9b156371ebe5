// The schedules in force: the configuration's `schedules` over the ones jobs carry in code, checked
// against the registry (a schedule for an unknown job is a configuration error naming the key).
import type { LoadedConfig } from '../config/index.js';
import { cronProblem } from '../config/cron.js';
import { ConfigError } from '../graph/errors.js';
import type { JobRegistry } from '../jobs/registry.js';
import { HOUR_MS } from '../metrics/time.js';
import type { JobSchedule } from '../scheduler/schedule.js';

export const DEFAULT_RETRY_DELAY_MS = 30_000;
/** How far back catchup goes by default: 48 hours' worth of firings. */
export const DEFAULT_MAX_CATCHUP_MS = 48 * HOUR_MS;

export function resolveSchedules(config: LoadedConfig, registry: JobRegistry): JobSchedule[] {
  const where = config.source.file;
  const configured = config.file.schedules ?? {};
  const names = registry.names();
  for (const job of Object.keys(configured)) {
    if (registry.get(job) === undefined) {
      throw new ConfigError(`${where}: schedules.${job}: no job is named '${job}' (jobs: ${names.join(', ')})`);
    }
  }
  const schedules: JobSchedule[] = [];
  for (const job of registry.list()) {
    const entry = configured[job.name];
    const cron = entry?.cron ?? job.schedule;
    if (cron === undefined) continue;
    const problem = entry === undefined ? cronProblem(cron) : undefined;
    if (problem !== undefined) throw new ConfigError(`job '${job.name}': its schedule in code: ${problem}`);
    schedules.push({
      job: job.name,
      cron,
      timeZone: config.timeZone,
      retries: entry?.retries ?? 0,
      retryDelayMs: entry?.retryDelay ?? DEFAULT_RETRY_DELAY_MS,
      ...(entry?.timeout === undefined ? {} : { timeoutMs: entry.timeout }),
      ...(entry?.catchup === true ? { catchupMs: entry.maxCatchup ?? DEFAULT_MAX_CATCHUP_MS } : {}),
    });
  }
  return schedules;
}
