// The jobs this project knows. To add a job: write jobs/<name>.ts exporting `defineJob({...})`, list it here.
import type { Job, JobParams, RunParams } from './job.js';
import { cleanJob } from './clean.js';
import { exampleJob } from './example.js';

/** A job as the house runs it: built with RunParams ({} or the window of a windowed job). */
export type AnyJob = Job<RunParams>;

/**
 * A job for the registry. Its own params must all be optional (checked by the type: a job that requires a
 * param cannot be registered), so the RunParams the house gives ({} or { window }) are params it accepts.
 */
export function registered<P extends JobParams>(job: Job<P> & (Partial<P> extends P ? unknown : never)): AnyJob {
  return job as unknown as AnyJob;
}

export class JobRegistry {
  private readonly byName = new Map<string, AnyJob>();

  constructor(jobs: readonly AnyJob[]) {
    for (const job of jobs) {
      if (this.byName.has(job.name)) throw new TypeError(`job registry: two jobs are named '${job.name}'`);
      this.byName.set(job.name, job);
    }
  }

  list(): AnyJob[] {
    return [...this.byName.values()];
  }

  get(name: string): AnyJob | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}

/** The built-in jobs. */
export function builtinJobs(): AnyJob[] {
  return [registered(exampleJob), registered(cleanJob)];
}
