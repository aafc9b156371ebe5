// The demo's sign-ups, a stream of their own: enough in every hour that an hourly count check can see a lost
// one (more than 9 = threshold², where 0 scores below -3 against the square root of the median), and steady
// enough across weeks that the same hour of another week stays inside the band (3 square roots of its median).
import { describe, expect, it } from 'vitest';
import { demoEventsOfHour } from './generate.js';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
const FROM = Date.UTC(2026, 10, 2); // a Monday
const signups = (start: number): number => demoEventsOfHour(42, start).filter((e) => e.event === 'signup').length;

describe('demo sign-ups', () => {
  const weeks = Array.from({ length: 8 }, (_, w) => Array.from({ length: 7 * 24 }, (_, h) => signups(FROM + w * WEEK + h * HOUR)));

  it('count more than 9 in every hour, night and weekend included; more by day, fewer on weekends', () => {
    const all = weeks.flat();
    expect(Math.min(...all)).toBeGreaterThan(9);
    expect(Math.max(...all)).toBeLessThanOrEqual(53);
    const day = (w: number, d: number) => weeks[w]!.slice(d * 24, d * 24 + 24).reduce((a, b) => a + b, 0);
    expect(day(0, 0)).toBeGreaterThan(1.3 * day(0, 5)); // Monday vs Saturday
    expect(weeks[0]![15]).toBeGreaterThan(2 * weeks[0]![5]!); // Monday 15:00 vs 05:00 UTC
  });

  it('vary from week to week at the same hour by less than 3 square roots of the lower one', () => {
    const worst = Math.max(...Array.from({ length: 7 * 24 }, (_, h) => {
      const same = weeks.map((week) => week[h]!);
      return (Math.max(...same) - Math.min(...same)) / (3 * Math.sqrt(Math.min(...same)));
    }));
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThan(1);
  });

  it('are sign-ups of the demo users, spread over their hour', () => {
    const hour = demoEventsOfHour(42, FROM + 15 * HOUR).filter((e) => e.event === 'signup');
    expect(hour.every((e) => e.userId! >= 1 && e.userId! <= 500 && e.durationMs === null && e.createdAt >= FROM + 15 * HOUR && e.createdAt < FROM + 16 * HOUR)).toBe(true);
    expect(new Set(hour.map((e) => Math.floor((e.createdAt - FROM - 15 * HOUR) / (10 * 60_000)))).size).toBe(6);
  });
});
