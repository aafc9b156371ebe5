// Typed errors of the metrics database and its writers: a bad row is counted, a database failure stops the node.
import { maskText } from '../secrets/mask.js';
import { EtlError, UnrecoverableError } from '../graph/errors.js';

/** A row (or one value of it) the writers refuse; `reason` says why. Counted as a row error, never written. */
export class InvalidRowError extends EtlError {
  override readonly name: string = 'InvalidRowError';
  constructor(
    readonly reason: string,
    readonly metric?: string,
  ) {
    super(metric === undefined ? reason : `metric ${JSON.stringify(metric)}: ${reason}`);
  }
}

/** The metrics database failed (connection lost, statement rejected): the writer cannot go on. */
export class MetricsDbError extends UnrecoverableError {
  override readonly name: string = 'MetricsDbError';
  /** A database that failed may answer the next attempt. */
  override readonly retryable: boolean = true;
  constructor(
    message: string,
    /** SQLSTATE of the database error, when there is one ('23505', '57P01'...). */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The SQLSTATE code of a database error from pg or PGlite, if any. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Wraps any database failure as a MetricsDbError naming `where`, with every secret scrubbed. */
export function toMetricsDbError(where: string, error: unknown, secrets: readonly string[] = []): MetricsDbError {
  if (error instanceof MetricsDbError) return error;
  const message = maskText(error instanceof Error ? error.message : String(error), secrets);
  return new MetricsDbError(`${where}: ${message}`, sqlState(error));
}
