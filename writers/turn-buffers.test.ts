// Two buffers in turn: each view is exactly as long as asked and fills its buffer (PGlite reads the whole buffer).
import { describe, expect, it } from 'vitest';
import { TurnBuffers } from './turn-buffers.js';

describe('TurnBuffers', () => {
  it('gives views that fill their buffer, alternating between two buffers reused', () => {
    const buffers = new TurnBuffers();
    const a = buffers.next(100);
    const b = buffers.next(50);
    expect([a.byteLength, a.buffer.byteLength, b.byteLength, b.buffer.byteLength]).toEqual([100, 100, 50, 50]);
    expect(a.buffer).not.toBe(b.buffer);
    a.fill(7);
    const c = buffers.next(30);
    expect(c.buffer).toBe(a.buffer);
    expect(c.buffer.byteLength).toBe(30);
    expect(b.byteLength).toBe(50);
  });

  it('replaces a buffer too small for the batch', () => {
    const buffers = new TurnBuffers();
    const small = buffers.next(10);
    buffers.next(10);
    const large = buffers.next(4 << 20);
    expect(large.buffer).not.toBe(small.buffer);
    expect(large.byteLength).toBe(4 << 20);
  });
});
