// Runs a job once: resolve its services, build its graph, run it, close the services.
import { runGraph, withServices, type JobRun, type RunEvent, type ServiceProviders } from '../graph/index.js';
import type { Job, JobParams } from './job.js';

export interface RunJobOptions<P extends JobParams> {
  readonly params?: P;
  readonly services?: ServiceProviders;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
}

export async function runJob<P extends JobParams>(job: Job<P>, options: RunJobOptions<P> = {}): Promise<JobRun> {
  return withServices(job.name, job.services, options.services ?? {}, async (services) => {
    const graph = job.build(options.params ?? ({} as P));
    return runGraph(graph, {
      job: job.name,
      services,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
  });
}
