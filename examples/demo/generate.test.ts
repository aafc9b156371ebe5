// The demo's sign-ups, a stream of their own: enough in every hour that an hourly count check can see a lost
// one (more than 9 = threshold², where 0 scores below -3 against the square root of the median), and steady
// enough across weeks that the same hour of another week stays inside the band (3 square roots of its median);
// each a new person. Anonymous visitors' page views around them, so a day's sign-ups are 4-8% of its visitors.
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
    expect(Math.max(...all)).toBeLessThanOrEqual(33);
    const day = (w: number, d: number) => weeks[w]!.slice(d * 24, d * 24 + 24).reduce((a, b) => a + b, 0);
    expect(day(0, 0)).toBeGreaterThan(1.2 * day(0, 5)); // Monday vs Saturday
    expect(weeks[0]![15]).toBeGreaterThan(1.5 * weeks[0]![5]!); // Monday 15:00 vs 05:00 UTC
  });

  it('vary from week to week at the same hour by less than 3 square roots of the lower one', () => {
    const worst = Math.max(...Array.from({ length: 7 * 24 }, (_, h) => {
      const same = weeks.map((week) => week[h]!);
      return (Math.max(...same) - Math.min(...same)) / (3 * Math.sqrt(Math.min(...same)));
    }));
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThan(1);
  });

  it('are new people, a user id each (none of the 500 demo users, no visitor), spread over their hour', () => {
    const hours = Array.from({ length: 48 }, (_, h) => demoEventsOfHour(42, FROM + h * HOUR).filter((e) => e.event === 'signup'));
    const ids = hours.flat().map((e) => e.userId!);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => Number.isInteger(id) && id > 500 && id < 10_000_000)).toBe(true);
    const hour = hours[15]!;
    expect(hour.every((e) => e.durationMs === null && e.createdAt >= FROM + 15 * HOUR && e.createdAt < FROM + 16 * HOUR)).toBe(true);
    expect(new Set(hour.map((e) => Math.floor((e.createdAt - FROM - 15 * HOUR) / (10 * 60_000)))).size).toBe(6);
  });

  it("come from anonymous visitors' page views: 4-8% of a day's distinct page-view users, fewer visitors by night and on weekends", () => {
    const dayOf = (d: number) => Array.from({ length: 24 }, (_, h) => demoEventsOfHour(42, FROM + d * 24 * HOUR + h * HOUR)).flat();
    const visitors = (events: readonly { readonly event: string; readonly userId: number | null }[]) =>
      new Set(events.filter((e) => e.event === 'page_view' && e.userId !== null).map((e) => e.userId)).size;
    for (let d = 0; d < 14; d++) {
      const events = dayOf(d);
      const conversion = events.filter((e) => e.event === 'signup').length / visitors(events);
      expect(conversion, `day ${d}`).toBeGreaterThan(0.04);
      expect(conversion, `day ${d}`).toBeLessThan(0.08);
    }
    const anonymous = dayOf(0).filter((e) => e.event === 'page_view' && e.userId !== null && e.userId >= 10_000_000);
    expect(anonymous.every((e) => e.userId! < 2 ** 31 && e.durationMs === null)).toBe(true);
    expect(visitors(dayOf(0))).toBeGreaterThan(5000); // a Monday
    expect(visitors(dayOf(0))).toBeGreaterThan(1.2 * visitors(dayOf(5))); // vs Saturday
    const inHour = (h: number) => visitors(demoEventsOfHour(42, FROM + h * HOUR));
    expect(inHour(15)).toBeGreaterThan(1.5 * inHour(5)); // Monday 15:00 vs 05:00 UTC
  });
});
