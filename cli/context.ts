// What every command receives: the runtime (configuration, registry, services, metrics database and run
// storage, each built once on first use), its outputs and its exit code.
import type { EtlRuntime } from '../runtime/runtime.js';
import type { ProgressOutput } from './progress.js';

export interface CliContext {
  /** The configuration turned into what commands need; read before any command runs but `etl init`. */
  readonly runtime: () => EtlRuntime;
  /** Data (tables, DOT, JSON) goes here. */
  readonly stdout: ProgressOutput;
  /** Logs and progress go here. */
  readonly stderr: ProgressOutput;
  readonly setExitCode: (code: number) => void;
}
