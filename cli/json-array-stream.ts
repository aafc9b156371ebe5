// Prints values as one JSON array while they come, byte for byte `${JSON.stringify(values)}\n`, in bounded chunks.
import type { ProgressOutput } from './progress.js';

/** Text gathered before it is written: large enough for few writes, small enough not to matter. */
const CHUNK_CHARS = 64 * 1024;

export interface JsonArrayStream<T> {
  /** Adds one element (written once the chunk is full). */
  readonly push: (value: T) => void;
  /** Ends the array (`[]` when nothing was pushed) and writes what is left. */
  readonly end: () => void;
  /** Ends the array only if something was written: output cut short by a failure stays valid JSON, none stays none. */
  readonly endIfStarted: () => void;
}

/**
 * A JSON array written to `output` element by element, so that memory does not grow with the number of elements.
 * `output.write` must not queue without bound: process.stdout writes to files and pipes synchronously on Linux.
 */
export function jsonArrayStream<T>(output: ProgressOutput): JsonArrayStream<T> {
  let pending = '';
  let started = false;
  let ended = false;
  const flush = (): void => {
    if (pending !== '') output.write(pending);
    pending = '';
  };
  const close = (): void => {
    if (ended) return;
    ended = true;
    pending += started ? ']\n' : '[]\n';
    flush();
  };
  return {
    push(value) {
      if (ended) throw new Error('jsonArrayStream: push after end');
      // As in JSON.stringify of the whole array: an element with no JSON form (undefined, a function) is null.
      pending += `${started ? ',' : '['}${JSON.stringify(value) ?? 'null'}`;
      started = true;
      if (pending.length >= CHUNK_CHARS) flush();
    },
    end: close,
    endIfStarted() {
      if (started) close();
    },
  };
}
