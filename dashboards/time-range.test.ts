// Grafana's time range syntax in the dashboard's zone: relative, rounded, epoch ms, ISO.
import { describe, expect, it } from 'vitest';
import { DashboardRequestError } from './errors.js';
import { parseDateMath, parseTimeRange } from './time-range.js';

const now = Date.parse('2026-03-29T10:30:15.250Z'); // a Sunday; Paris moved to summer time at 01:00 UTC that day
const paris = { timeZone: 'Europe/Paris', now };
const utc = { timeZone: 'UTC', now };

describe('time range', () => {
  it.each([
    ['now', false, utc, '2026-03-29T10:30:15.250Z'],
    ['now-6h', false, utc, '2026-03-29T04:30:15.250Z'],
    ['now-7d', false, utc, '2026-03-22T10:30:15.250Z'],
    ['now/d', false, utc, '2026-03-29T00:00:00.000Z'],
    ['now/d', true, utc, '2026-03-29T23:59:59.999Z'],
    ['now-1d/d', false, utc, '2026-03-28T00:00:00.000Z'],
    ['now-1d/d', true, utc, '2026-03-28T23:59:59.999Z'],
    ['now/h', false, utc, '2026-03-29T10:00:00.000Z'],
    ['now/M', false, utc, '2026-03-01T00:00:00.000Z'],
    ['now/w', false, utc, '2026-03-29T00:00:00.000Z'],
    ['now/d', false, paris, '2026-03-28T23:00:00.000Z'], // local midnight, still winter time (+01:00)
    ['now-1d', false, paris, '2026-03-28T11:30:15.250Z'], // the same wall time the day before: 23 hours earlier
    ['now/d', true, paris, '2026-03-29T21:59:59.999Z'], // the 23-hour day ends at 24:00 summer time (+02:00)
    ['1767225600000', false, utc, '2026-01-01T00:00:00.000Z'],
    ['2026-01-02', false, paris, '2026-01-01T23:00:00.000Z'],
    ['2026-01-02T10:00:00Z', false, paris, '2026-01-02T10:00:00.000Z'],
  ] as const)('%s (roundUp %s) in %o', (text, up, options, expected) => {
    expect(new Date(parseDateMath(text, up, options)).toISOString()).toBe(expected);
  });

  it('answers the range asked and resolved; refuses what Grafana cannot read, and an empty range', () => {
    expect(parseTimeRange('now-2d', 'now', utc)).toEqual({ from: 'now-2d', to: 'now', fromMs: now - 2 * 86_400_000, toMs: now });
    expect(() => parseTimeRange('now-2x', 'now', utc)).toThrow(DashboardRequestError);
    expect(() => parseTimeRange('yesterday', 'now', utc)).toThrow("'yesterday' is not a time");
    expect(() => parseTimeRange('now', 'now-1h', utc)).toThrow('empty or reversed');
  });
});
