// Typed errors of the engine: code decides on the class of an error, never on its message.
import { formatDuration } from './duration.js';

/** Base class of every error this project throws on purpose. */
export class EtlError extends Error {
  override readonly name: string = 'EtlError';
}

/** The graph is malformed (duplicate names, unknown references, cycles, unreachable nodes). */
export class GraphError extends EtlError {
  override readonly name: string = 'GraphError';
  constructor(
    message: string,
    readonly nodes: readonly string[] = [],
  ) {
    super(message);
  }
}

/**
 * Thrown by a node to stop that node (not just skip a row). Sources stop on any error. The scheduler does not
 * retry a run stopped by one, unless the error is `retryable` (a database that went away may come back).
 */
export class UnrecoverableError extends EtlError {
  override readonly name: string = 'UnrecoverableError';
  readonly retryable: boolean = false;
}

/** Whether a later attempt may succeed where `error` stopped a node: any error but a non-retryable UnrecoverableError. */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof UnrecoverableError) || error.retryable;
}

/** A job needs a service the run was not given; raised before anything is read. */
export class MissingServiceError extends EtlError {
  override readonly name: string = 'MissingServiceError';
  constructor(
    readonly job: string,
    readonly services: readonly string[],
  ) {
    super(`job '${job}': missing service${services.length > 1 ? 's' : ''} ${services.map((s) => `'${s}'`).join(', ')}`);
  }
}

/** Bad command-line usage or configuration: exit code 2. */
export class UsageError extends EtlError {
  override readonly name: string = 'UsageError';
}

/** Invalid configuration, naming the key (or file) at fault: exit code 2. */
export class ConfigError extends UsageError {
  override readonly name: string = 'ConfigError';
}

/** Formats any thrown value as `Type: message` without a stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const type = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${type}${error.message}`;
  }
  return String(error);
}

/**
 * The reason to abort a run that ran out of time (`controller.abort(new RunTimeoutError(ms))`): the run
 * ends failed, not cancelled, with "timed out after <duration>".
 */
export class RunTimeoutError extends EtlError {
  override readonly name: string = 'RunTimeoutError';
  constructor(readonly timeoutMs: number, readonly what = 'run') {
    super(`${what} timed out after ${formatDuration(timeoutMs)}`);
  }
}
