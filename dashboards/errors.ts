// The dashboards' typed errors: the web API decides on their class (400, 404, or a panel's own error), never on text.
import { EtlError } from '../graph/errors.js';

/** Base class of the dashboards' errors. */
export class DashboardError extends EtlError {
  override readonly name: string = 'DashboardError';
}

/** A panel's SQL could not be expanded, run or shaped: the panel shows it (the request itself succeeded). */
export class DashboardQueryError extends DashboardError {
  override readonly name: string = 'DashboardQueryError';
}

/** A request asked for something the dashboard refuses (a value not among a variable's options, a bad range): 400. */
export class DashboardRequestError extends DashboardError {
  override readonly name: string = 'DashboardRequestError';
}

/** A variable's value from the URL is not allowed: 400 naming the variable. */
export class BadVariableValue extends DashboardRequestError {
  override readonly name: string = 'BadVariableValue';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`variable '${variable}': ${message}`);
  }
}

/** No dashboard with that uid, or no panel with that id in it: 404. */
export class DashboardNotFound extends DashboardError {
  override readonly name: string = 'DashboardNotFound';
}

/** A dashboard file that cannot be used (not JSON, no uid, no panels): listed with this error, never served. */
export class DashboardFileError extends DashboardError {
  override readonly name: string = 'DashboardFileError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}
