import { describe, expect, it } from 'vitest';
import { HOUR_MS } from './time.js';
import { backfillWindow, currentWindow, startOfHour, windowDates, windowDaysRange } from './window.js';

describe('read windows', () => {
  it('defaults to the current local hour and today', () => {
    const now = Date.UTC(2026, 10, 22, 23, 40); // 00:40 on the 23rd in Paris
    const w = currentWindow(now, 'Europe/Paris');
    expect(w.hours).toEqual({ from: Date.UTC(2026, 10, 22, 23), to: Date.UTC(2026, 10, 23, 0) });
    expect(w.days).toEqual({ from: '2026-11-23', to: '2026-11-23' });
    expect(w.isCurrent).toBe(true);
  });

  it('covers a week of local dates as a half-open range', () => {
    const from = Date.UTC(2026, 9, 19, 22); // 2026-10-20 00:00 Paris (summer time)
    const to = Date.UTC(2026, 9, 26, 23); // 2026-10-27 00:00 Paris (winter time)
    const w = backfillWindow(from, to, 'Europe/Paris', to);
    expect(windowDates(w)).toEqual(['2026-10-20', '2026-10-21', '2026-10-22', '2026-10-23', '2026-10-24', '2026-10-25', '2026-10-26']);
    expect((w.hours.to - w.hours.from) / HOUR_MS).toBe(7 * 24 + 1);
    expect(windowDaysRange(w)).toEqual({ from, to });
  });

  it('aligns to local hours in zones with a half-hour offset', () => {
    expect(startOfHour(Date.UTC(2026, 0, 1, 12, 10), 'Asia/Kolkata')).toBe(Date.UTC(2026, 0, 1, 11, 30));
    expect(() => backfillWindow(10, 10, 'UTC', 10)).toThrow(/must be after/);
  });
});
