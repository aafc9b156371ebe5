// The streamed --json array: byte for byte JSON.stringify of the whole array, written in bounded chunks.
import { describe, expect, it } from 'vitest';
import { jsonArrayStream } from './json-array-stream.js';

function capture(): { writes: string[]; write: (text: string) => void } {
  const writes: string[] = [];
  return { writes, write: (text: string) => void writes.push(text) };
}

describe('jsonArrayStream', () => {
  it('prints what JSON.stringify prints for the whole array, then a newline', () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => ({ dims: { date: '2026-12-05', hour: i % 24 }, metrics: { 'events.login.count': i, 'events.login.users': i / 3 } }));
    for (const values of [[], [rows[0]], rows, [1, 'two', null, undefined, { a: undefined }]] as unknown[][]) {
      const out = capture();
      const stream = jsonArrayStream<unknown>(out);
      for (const value of values) stream.push(value);
      stream.end();
      expect(out.writes.join('')).toBe(`${JSON.stringify(values)}\n`);
    }
  });

  it('writes as it goes, in chunks of about 64 KB, not once at the end', () => {
    const out = capture();
    const stream = jsonArrayStream<string>(out);
    for (let i = 0; i < 10_000; i++) stream.push('x'.repeat(100));
    expect(out.writes.length).toBeGreaterThan(10);
    stream.end();
    expect(Math.max(...out.writes.map((w) => w.length))).toBeLessThan(64 * 1024 + 200);
  });

  it('closes a started array when a run fails, and prints nothing when no row came', () => {
    const started = capture();
    const stream = jsonArrayStream<number>(started);
    stream.push(1);
    stream.endIfStarted();
    stream.end(); // once only
    expect(started.writes.join('')).toBe('[1]\n');
    const none = capture();
    jsonArrayStream<number>(none).endIfStarted();
    expect(none.writes).toEqual([]);
  });
});
