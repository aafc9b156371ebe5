import { describe, expect, it } from 'vitest';
import { runNodeOver } from '../../test/support/node-testing.js';
import { batch } from './batch.js';
import { filter } from './filter.js';
import { limit } from './limit.js';
import { tee, log } from './log.js';
import { map, mapAsync } from './map.js';
import { reduce } from './reduce.js';
import { setFields } from './set-fields.js';

describe('built-in nodes', () => {
  it('setFields names positional values and counts rows of the wrong length as errors', async () => {
    const result = await runNodeOver(setFields(['date', 'count'] as const), [['2026-01-01', 3], ['2026-01-02'], ['2026-01-03', 0]]);
    expect(result.output).toEqual([{ date: '2026-01-01', count: 3 }, { date: '2026-01-03', count: 0 }]);
    expect(result.stats).toMatchObject({ in: 3, out: 2, err: 1 });
    expect(result.stats.errors[0]!.error).toBe('TypeError: setFields: expected 2 values (date, count), got 1');
  });

  it('map and filter', async () => {
    expect((await runNodeOver(map((n: number) => n * 10), [1, 2, 3])).output).toEqual([10, 20, 30]);
    expect((await runNodeOver(filter((n: number) => n > 1), [1, 2, 3])).output).toEqual([2, 3]);
    expect((await runNodeOver(mapAsync(async (n: number) => n + 1, { concurrency: 3 }), [1, 2, 3])).output).toEqual([2, 3, 4]);
  });

  it('reduce starts from its initial value and emits once at the end', async () => {
    const sum = await runNodeOver(reduce((acc: number, n: number) => acc + n, 0), [1, 2, 3, 4]);
    expect(sum.output).toEqual([10]);
    const empty = await runNodeOver(reduce((acc: number[], n: number) => [...acc, n], []), []);
    expect(empty.output).toEqual([[]]);
  });

  it('limit passes the first n rows and stops reading', async () => {
    let produced = 0;
    const rows = (function* () {
      for (let i = 0; i < 1_000_000; i++) {
        produced += 1;
        yield i;
      }
    })();
    const result = await runNodeOver(limit<number>(3), rows);
    expect(result.output).toEqual([0, 1, 2]);
    expect(result.status).toBe('succeeded');
    expect(produced).toBeLessThan(1_000_000);
  });

  it('batch groups rows, with a shorter last batch', async () => {
    expect((await runNodeOver(batch<number>(2), [1, 2, 3, 4, 5])).output).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('tee and log print rows without changing them', async () => {
    const lines: string[] = [];
    const passed = await runNodeOver(tee({ write: (line) => lines.push(line) }), [{ a: 1 }]);
    expect(passed.output).toEqual([{ a: 1 }]);
    await runNodeOver(log({ write: (line) => lines.push(line), prefix: 'row' }), ['x']);
    expect(lines).toEqual(['node { a: 1 }', "row 'x'"]);
  });

  it('rejects bad configuration when the node is built', () => {
    expect(() => limit(-1)).toThrow('limit: expected a non-negative integer, got -1');
    expect(() => batch(0)).toThrow('batch: expected a positive integer size, got 0');
    expect(() => setFields([])).toThrow('setFields: expected a non-empty list of field names');
  });
});
