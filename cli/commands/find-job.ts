// Looks a job up by name, or fails with a usage error listing the known jobs.
import { UsageError } from '../../graph/index.js';
import type { AnyJob, JobRegistry } from '../../jobs/registry.js';

export function findJob(registry: JobRegistry, name: string): AnyJob {
  const job = registry.get(name);
  if (job === undefined) throw new UsageError(`unknown job '${name}' (known jobs: ${registry.names().join(', ')})`);
  return job;
}
