// Byte buffers reused in turn by a writer: a batch is encoded into one while the other is still being written.
//
// A new ArrayBuffer per batch (and PGlite's copies of it) lived on as dead external memory until V8's next
// full collection, which external memory triggers only after ~64 MB more of it: a ten-year `etl read all
// --write` peaked ~60 MB above the one-day command (bench:read-memory). Two resizable buffers, reused, keep
// the write path's external memory at two batches whatever the window.

/** Two resizable buffers used in turn: a view from next() stays valid until the call after the next one. */
export class TurnBuffers {
  private readonly buffers: [ArrayBuffer | undefined, ArrayBuffer | undefined] = [undefined, undefined];
  private turn: 0 | 1 = 0;

  /** `bytes` bytes (their content is not cleared) covering the whole of the buffer they are in. */
  next(bytes: number): Uint8Array {
    const i = this.turn;
    this.turn = i === 0 ? 1 : 0;
    let buffer = this.buffers[i];
    if (buffer === undefined || buffer.maxByteLength < bytes) {
      // Only the resized length is committed: the maximum is address space, room for larger batches.
      buffer = new ArrayBuffer(bytes, { maxByteLength: Math.max(2 * bytes, 1 << 20) });
      this.buffers[i] = buffer;
    } else {
      buffer.resize(bytes);
    }
    return new Uint8Array(buffer, 0, bytes);
  }
}
