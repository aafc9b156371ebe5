// Exit codes: 0 success, 1 the run had errors, 2 bad usage or configuration, 75 (EX_TEMPFAIL) the job was
// already running and this run was skipped (--no-wait, or the wait timed out): try again later.
import { GraphError, MissingServiceError, UsageError } from '../graph/errors.js';

export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_TEMPFAIL = 75;

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof GraphError || error instanceof MissingServiceError) return EXIT_USAGE;
  return EXIT_RUN_FAILED;
}
