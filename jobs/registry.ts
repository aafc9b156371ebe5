// The jobs this project knows. To add a job: write jobs/<name>.ts exporting `defineJob({...})`, list it here.
import type { Job } from './job.js';
import { cleanJob } from './clean.js';
import { exampleJob } from './example.js';

export type AnyJob = Job<never>;

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
  return [exampleJob, cleanJob];
}
