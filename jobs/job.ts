// A job: a name, a graph factory and the services it needs (a schedule is optional).
import type { JobGraph } from '../graph/index.js';
import type { ReadWindow } from '../metrics/window.js';

/** Parameters given to a job's graph factory for one run (a time window, options...). */
export type JobParams = Readonly<Record<string, unknown>>;

/** What the house gives a registered job's graph factory: nothing, or the window a windowed job reads. */
export type RunParams = {
  readonly window?: ReadWindow;
};

export interface Job<P extends JobParams = JobParams> {
  readonly name: string;
  readonly description: string;
  /** Names of the services the graph's nodes ask for through ctx.service(name). */
  readonly services: readonly string[];
  /** Builds a fresh graph for one run (configured nodes are closures: never share them between runs). */
  readonly build: (params: P) => JobGraph;
  /** Cron pattern for the scheduler, if the job runs on its own (the configuration's `schedules` wins). */
  readonly schedule?: string;
  /** The job reads a time window (`params.window`): a scheduled run reads the window current at its firing. */
  readonly windowed?: boolean;
}

export function defineJob<P extends JobParams = JobParams>(job: Job<P>): Job<P> {
  if (!/^[a-z][a-z0-9_-]*$/.test(job.name)) {
    throw new TypeError(`defineJob: job name '${job.name}' must be lower-case letters, digits, '-' or '_'`);
  }
  return Object.freeze({ ...job, services: Object.freeze([...job.services]) });
}
