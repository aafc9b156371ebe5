import { describe, expect, it } from 'vitest';
import { hoursInDay } from '../test/support/time.js';
import { isValidDate, startOfDay, toDateHour, zonedTime } from './time.js';

describe('zoned time', () => {
  it('buckets instants into local date and hour', () => {
    expect(toDateHour(Date.UTC(2026, 0, 1, 23, 30), 'Europe/Paris')).toEqual({ date: '2026-01-02', hour: 0 });
    expect(toDateHour(Date.UTC(2026, 0, 1, 23, 30), 'UTC')).toEqual({ date: '2026-01-01', hour: 23 });
    expect(toDateHour(Date.UTC(2026, 6, 1, 3, 0), 'America/New_York')).toEqual({ date: '2026-06-30', hour: 23 });
  });

  it('knows Paris DST days have 23 and 25 hours', () => {
    expect(hoursInDay('2026-03-29', 'Europe/Paris')).toBe(23);
    expect(hoursInDay('2026-10-25', 'Europe/Paris')).toBe(25);
    expect(hoursInDay('2026-06-01', 'Europe/Paris')).toBe(24);
    expect(hoursInDay('2026-03-29', 'UTC')).toBe(24);
  });

  it('maps local wall times back to instants across DST', () => {
    expect(startOfDay('2026-03-29', 'Europe/Paris')).toBe(Date.UTC(2026, 2, 28, 23));
    expect(zonedTime('2026-03-29', 3, 'Europe/Paris')).toBe(Date.UTC(2026, 2, 29, 1));
    // 02:00 does not exist on 2026-03-29 in Paris: it resolves to 03:00 local.
    expect(zonedTime('2026-03-29', 2, 'Europe/Paris')).toBe(Date.UTC(2026, 2, 29, 1));
    // 02:00 happens twice on 2026-10-25: the earlier one.
    expect(zonedTime('2026-10-25', 2, 'Europe/Paris')).toBe(Date.UTC(2026, 9, 25, 0));
    expect(zonedTime('2026-10-25', 3, 'Europe/Paris')).toBe(Date.UTC(2026, 9, 25, 2));
  });

  it('validates calendar dates', () => {
    expect(isValidDate('2026-02-28')).toBe(true);
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2026-13-01')).toBe(false);
    expect(isValidDate('2026-1-01')).toBe(false);
    expect(isValidDate(20260101)).toBe(false);
  });
});
