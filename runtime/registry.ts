// The job registry for a configuration: built-in jobs, the configured read job `all`, user job modules.
import type { LoadedConfig } from '../config/index.js';
import { loadJobModules } from '../jobs/load-jobs.js';
import { metricsDbOutput, readJob } from '../jobs/read-job.js';
import { builtinJobs, JobRegistry, type AnyJob } from '../jobs/registry.js';
import { wireReaders } from './readers.js';

/** Built-in jobs, `all` (every enabled reader into the metrics database) and the jobs of the configured modules. */
export async function buildRegistry(config: LoadedConfig, warn: (message: string) => void): Promise<JobRegistry> {
  const jobs: AnyJob[] = [...builtinJobs()];
  const { enabled } = wireReaders(config.file, warn);
  if (enabled.length > 0) {
    jobs.push(readJob({ name: 'all', readers: enabled, output: metricsDbOutput(), timeZone: config.timeZone }));
  }
  jobs.push(...(await loadJobModules(config.jobModules, process.cwd())));
  return new JobRegistry(jobs);
}
