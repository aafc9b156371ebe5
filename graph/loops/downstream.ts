// Sending a node's buffered rows downstream, and the STOP thrown inside a loop once nobody listens.
import { UnrecoverableError } from '../errors.js';
import type { RowBuffer } from '../row-buffer.js';
import type { NodeIO } from './node-io.js';

/** Thrown inside a node's loop when nothing downstream wants its rows; runNode turns it into 'cancelled'. */
class Stop {}
export const STOP = new Stop();

/** Sends the buffered rows downstream as a fresh batch; throws STOP when nobody listens. */
export async function flush(io: NodeIO, rows: RowBuffer): Promise<void> {
  if (rows.length === 0) return;
  if (!(await io.emit(rows.take()))) throw STOP;
}

/** Whether an error ends the node instead of counting as a row error. */
export function isFatal(error: unknown): boolean {
  return error instanceof UnrecoverableError || error === STOP;
}
