// What every command receives: the job registry, the outputs, the service providers, and the exit code.
import type { ServiceProviders } from '../graph/index.js';
import type { JobRegistry } from '../jobs/registry.js';
import type { ProgressOutput } from './progress.js';

export interface CliContext {
  readonly registry: JobRegistry;
  /** Data (tables, DOT, JSON) goes here. */
  readonly stdout: ProgressOutput;
  /** Logs and progress go here. */
  readonly stderr: ProgressOutput;
  /** Providers for the services jobs declare, built from the configuration read once at start. */
  readonly services: () => ServiceProviders;
  readonly setExitCode: (code: number) => void;
}
