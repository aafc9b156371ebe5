// The job registry for a configuration: built-in jobs, the configured read job `all`, user job modules, and
// one read job per enabled reader (`events`, ...) unless a user job has that name.
import type { LoadedConfig } from '../config/index.js';
import { loadJobModules } from '../jobs/load-jobs.js';
import { builtinJobs, JobRegistry, registered, type AnyJob } from '../jobs/registry.js';
import { checksJobFor } from './checks.js';
import { readJobOf } from './partitioned-job.js';
import type { WiredReaders } from './readers.js';

/** Built-in jobs, `all` (every enabled reader into the metrics database) and the jobs of the configured modules. */
export async function buildRegistry(config: LoadedConfig, readers: WiredReaders): Promise<JobRegistry> {
  const jobs: AnyJob[] = [...builtinJobs()];
  const checks = checksJobFor(config);
  if (checks !== undefined) jobs.push(registered(checks));
  const { enabled } = readers;
  if (enabled.length > 0) {
    jobs.push(registered(readJobOf(config, 'all', enabled)));
  }
  jobs.push(...(await loadJobModules(config.jobModules, process.cwd())));
  const taken = new Set(jobs.map((j) => j.name));
  for (const reader of enabled) if (!taken.has(reader.name)) jobs.push(registered(readJobOf(config, reader.name, [reader])));
  return new JobRegistry(jobs);
}
