// Results shaped as Grafana's SQL datasources shape them: wide and long time series, their names, table types, fill.
import { describe, expect, it } from 'vitest';
import { DashboardQueryError } from './errors.js';
import { tableFrame, timeSeriesFrame } from './frames.js';
import { expandSql } from './macros.js';

const t = (h: number) => new Date(Date.UTC(2026, 0, 3, h));
const ms = (h: number) => t(h).getTime();
const range = { from: t(0), to: t(4) };

describe('time series', () => {
  it('keeps a wide result: Time then one number series per column, sorted by time, times in epoch ms', () => {
    const frame = timeSeriesFrame([{ time: t(1), a: 2, b: '7' }, { time: t(0), a: 1, b: '5' }], 'A', range);
    expect(frame).toEqual({ refId: 'A', fields: [
      { name: 'Time', type: 'time', values: [ms(0), ms(1)] },
      { name: 'a', type: 'number', values: [1, 2] },
      { name: 'b', type: 'number', values: [5, 7] },
    ] });
  });

  it('turns a long result (time, metric, value) into one series per metric, named by the metric (Grafana 7 naming)', () => {
    const rows = [{ time: t(0), metric: 'signup', value: 1 }, { time: t(0), metric: 'login', value: 4 }, { time: t(1), metric: 'signup', value: 2 }];
    expect(timeSeriesFrame(rows, 'A', range).fields).toEqual([
      { name: 'Time', type: 'time', values: [ms(0), ms(1)] },
      { name: 'signup', type: 'number', values: [1, 2] },
      { name: 'login', type: 'number', values: [4, null] },
    ]);
  });

  it('names "<column> <value>" with labels when several numeric columns share a text column', () => {
    const rows = [{ time: t(0), site: 'shop', hits: 3, errors: 1 }, { time: t(0), site: 'blog', hits: 5, errors: 0 }];
    expect(timeSeriesFrame(rows, 'B', range).fields.map((f) => [f.name, f.labels, f.values])).toEqual([
      ['Time', undefined, [ms(0)]],
      ['hits shop', { site: 'shop' }, [3]],
      ['errors shop', { site: 'shop' }, [1]],
      ['hits blog', { site: 'blog' }, [5]],
      ['errors blog', { site: 'blog' }, [0]],
    ]);
  });

  it('reads a time column of epoch seconds, and fails without a time column or with a NULL time', () => {
    expect(timeSeriesFrame([{ time: 1_767_398_400, v: 1 }], 'A', range).fields[0]!.values).toEqual([1_767_398_400_000]);
    expect(() => timeSeriesFrame([{ t: t(0), v: 1 }], 'A', range)).toThrow(DashboardQueryError);
    expect(() => timeSeriesFrame([{ time: null, v: 1 }, { time: t(0), v: 2 }], 'A', range)).toThrow(/NULL/);
    expect(timeSeriesFrame([], 'A', range)).toEqual({ refId: 'A', fields: [] });
  });

  it('fills missing buckets from the start of the range to its end: NULL, previous, a value', () => {
    const rows = [{ time: t(1), v: 10 }, { time: t(3), v: 30 }];
    const fill = (mode: string) => timeSeriesFrame(rows, 'A', range, expandSql(`$__timeGroupAlias(x,'1h',${mode})`, range).fill).fields.map((f) => f.values);
    const times = [0, 1, 2, 3, 4].map(ms);
    expect(fill('NULL')).toEqual([times, [null, 10, null, 30, null]]);
    expect(fill('previous')).toEqual([times, [null, 10, 10, 30, 30]]);
    expect(fill('0')).toEqual([times, [0, 10, 0, 30, 0]]);
  });
});

describe('table', () => {
  it('keeps every column, typed from its values: times (time, timeend, dates), numbers (bigint text too), text, booleans', () => {
    const frame = tableFrame([{ time: t(0), timeend: t(1), run: '12', job: 'all', ok: true, share: 0.5, at: t(2), extra: { a: 1 } }], 'A');
    expect(frame.fields).toEqual([
      { name: 'time', type: 'time', values: [ms(0)] },
      { name: 'timeend', type: 'time', values: [ms(1)] },
      { name: 'run', type: 'number', values: [12] },
      { name: 'job', type: 'string', values: ['all'] },
      { name: 'ok', type: 'boolean', values: [true] },
      { name: 'share', type: 'number', values: [0.5] },
      { name: 'at', type: 'time', values: [ms(2)] },
      { name: 'extra', type: 'other', values: ['{"a":1}'] },
    ]);
  });
});
