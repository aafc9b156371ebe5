// Typed errors of the collector: the HTTP answer depends on the class, never on the message.
import { EtlError } from '../graph/errors.js';

/** The events could not be stored now (database down, too slow, or the collector is stopping): 503 + Retry-After. */
export class StoreUnavailableError extends EtlError {
  override readonly name: string = 'StoreUnavailableError';
}

/** More rows wait for the database than the collector keeps in memory: 503 + Retry-After. */
export class OverloadedError extends StoreUnavailableError {
  override readonly name: string = 'OverloadedError';
}

/** The database refused the rows themselves (a data error the checks did not catch): 400, nothing stored. */
export class EventsRefusedError extends EtlError {
  override readonly name: string = 'EventsRefusedError';
}

/** The collector cannot start: its table is missing or not the expected one, or it cannot listen. */
export class CollectorSetupError extends EtlError {
  override readonly name: string = 'CollectorSetupError';
}
