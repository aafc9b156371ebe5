// A node's output buffer: rows written by index into an array that keeps its capacity between batches.
// (Pushing into an array emptied with `length = 0` reallocates its storage a dozen times per batch.)

export class RowBuffer {
  /** Rows [0, length) are pending; slots past `length` are empty (undefined). */
  readonly items: unknown[];
  length = 0;

  constructor(capacity: number) {
    this.items = new Array<unknown>(capacity).fill(undefined);
  }

  push(row: unknown): void {
    this.items[this.length++] = row;
  }

  /** The pending rows as a new array; the buffer is empty after, and holds no reference to them. */
  take(): unknown[] {
    const n = this.length;
    const batch = this.items.slice(0, n);
    this.items.fill(undefined, 0, n);
    this.length = 0;
    return batch;
  }
}
