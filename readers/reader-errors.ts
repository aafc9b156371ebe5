// Typed error of the readers: a source could not be read; `reader` names the reader at fault.
import { EtlError } from '../graph/errors.js';

export class ReaderError extends EtlError {
  override readonly name: string = 'ReaderError';
  constructor(
    readonly reader: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
