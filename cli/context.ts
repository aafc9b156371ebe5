// What every command receives: configuration and registry (built once, on first use), outputs, exit code.
import type { LoadedConfig } from '../config/index.js';
import type { ServiceProviders } from '../graph/index.js';
import type { JobRegistry } from '../jobs/registry.js';
import type { EtlRuntime } from '../runtime/runtime.js';
import type { RunStore } from '../runs/run-store.js';
import type { MetricsDb } from '../writers/metrics-db.js';
import type { ProgressOutput } from './progress.js';

export interface CliContext {
  /** The configuration, read and validated on first use, then the same object every time. */
  readonly config: () => LoadedConfig;
  /** Built-in, configured and user jobs (needs the configuration). */
  readonly registry: () => Promise<JobRegistry>;
  /** Data (tables, DOT, JSON) goes here. */
  readonly stdout: ProgressOutput;
  /** Logs and progress go here. */
  readonly stderr: ProgressOutput;
  /** Providers for the services jobs declare, built from the configuration. */
  readonly services: () => Promise<ServiceProviders>;
  readonly setExitCode: (code: number) => void;
  /** The metrics database of the configuration: one handle per process, borrowed (its close() does nothing). */
  readonly openMetricsDb: () => Promise<MetricsDb>;
  /**
   * The run store in the metrics database, opened once per process; opening it closes the records of
   * runs whose process is gone (a crash, kill -9).
   */
  readonly runStore: () => Promise<RunStore>;
  /** Everything above, as the embedded scheduler and the workers receive it. */
  readonly runtime: () => EtlRuntime;
}

/** Runs `create` once and returns its result on every later call. */
export function once<T>(create: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = create();
      made = true;
    }
    return value;
  };
}
