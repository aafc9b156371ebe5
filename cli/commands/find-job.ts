// Looks a job up by name, or fails with a usage error suggesting the closest name and listing the known jobs.
import { UsageError } from '../../graph/errors.js';
import type { AnyJob, JobRegistry } from '../../jobs/registry.js';
import { didYouMean } from '../did-you-mean.js';

export function findJob(registry: JobRegistry, name: string): AnyJob {
  const job = registry.get(name);
  if (job === undefined) {
    const names = registry.names();
    throw new UsageError(`unknown job '${name}' (${didYouMean(name, names)}known jobs: ${names.join(', ')})`);
  }
  return job;
}
