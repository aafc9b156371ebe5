// Exit codes: 0 success, 1 the run had errors, 2 bad usage or configuration.
import { GraphError, MissingServiceError, UsageError } from '../graph/errors.js';

export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_USAGE = 2;

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof GraphError || error instanceof MissingServiceError) return EXIT_USAGE;
  return EXIT_RUN_FAILED;
}
