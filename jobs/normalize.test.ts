// The normalizer: row shapes, and a second value for one metric and bucket in a run (never replacing the first).
import { describe, expect, it } from 'vitest';
import type { MetricRow } from '../metrics/row.js';
import { runNodeOver } from '../test/support/node-testing.js';
import { normalize } from './normalize.js';

describe('normalize', () => {
  it('shapes {dims, metrics} rows and [dims, metrics] pairs, keeping only date and hour', async () => {
    const rows = [{ dims: { date: '2026-12-01', hour: 9 }, metrics: { a: 1 } }, [{ date: '2026-12-01', hour: '10', source: 'x' }, { a: 2 }] as const];
    const { output, stats } = await runNodeOver(normalize(), rows);
    expect(output).toEqual([
      { dims: { date: '2026-12-01', hour: 9 }, metrics: { a: 1 } },
      { dims: { date: '2026-12-01', hour: 10 }, metrics: { a: 2 } },
    ]);
    expect(stats.err).toBe(0);
  });

  it('never lets a second value for one metric and bucket in a run replace the first: a row error', async () => {
    const rows: MetricRow[] = [
      { dims: { date: '2026-12-01', hour: 9 }, metrics: { 'x.sign_up': 1, 'x.other': 5 } },
      { dims: { date: '2026-12-01', hour: 10 }, metrics: { 'x.sign_up': 4 } }, // another hour
      { dims: { date: '2026-12-01' }, metrics: { 'x.sign_up': 5 } }, // the day: another bucket
      { dims: { date: '2026-12-01', hour: 9 }, metrics: { 'x.sign_up': 1, 'x.new': 2 } }, // e.g. 'Sign Up' after 'sign_up'
    ];
    const { output, stats, status } = await runNodeOver(normalize(), rows);
    expect(output.map((r) => r.metrics)).toEqual([{ 'x.sign_up': 1, 'x.other': 5 }, { 'x.sign_up': 4 }, { 'x.sign_up': 5 }, { 'x.new': 2 }]);
    expect(stats.err).toBe(1);
    expect(status).toBe('failed');
    expect(stats.errors[0]?.error).toBe(
      "DuplicateValueError: metric 'x.sign_up' on 2026-12-01 hour 9 already has a value from an earlier row of this run (two inputs, e.g. two readers " +
        'or two names from data, give one metric in one bucket): this one, 1, is left out; combine them in the reader or rename one',
    );
  });

  it('tells buckets apart across years and dates before 1970, and leaves dims the writers refuse to them', async () => {
    const rows: MetricRow[] = ['1969-12-31', '1970-01-01', '2036-12-01', '2026-12-01', '2026-02-31', '2026-03-03', '2026-02-31'].map((date) => ({ dims: { date, hour: 23 }, metrics: { a: 1 } }));
    const { output, stats } = await runNodeOver(normalize(), rows);
    expect(stats.err).toBe(0);
    expect(output).toHaveLength(7);
  });
});
