import { describe, expect, it } from 'vitest';
import { distinctLocalHours, eachDistinctLocalHour, eachLocalHour, localHours } from './local-hours.js';
import { HOUR_MS } from './time.js';

const utc = (day: number, hour: number, month = 9): number => Date.UTC(2026, month, day, hour);

describe('local hours of a range', () => {
  it('is one hour long', () => {
    expect(HOUR_MS).toBe(60 * 60 * 1000);
  });

  it('walks every real hour with its local date and hour', () => {
    expect(localHours({ from: utc(24, 22), to: utc(25, 1) }, 'Europe/Paris')).toEqual([
      { start: utc(24, 22), date: '2026-10-25', hour: 0 },
      { start: utc(24, 23), date: '2026-10-25', hour: 1 },
      { start: utc(25, 0), date: '2026-10-25', hour: 2 },
    ]);
    expect(localHours({ from: utc(1, 0), to: utc(1, 0) }, 'UTC')).toEqual([]);
  });

  it('gives a fall-back day 25 hours (the repeated one twice) and a spring-forward day 23', () => {
    const fallBack = localHours({ from: utc(24, 22), to: utc(25, 23) }, 'Europe/Paris');
    expect(fallBack).toHaveLength(25);
    expect(fallBack.filter((h) => h.hour === 2).map((h) => h.start)).toEqual([utc(25, 0), utc(25, 1)]);
    const spring = localHours({ from: utc(28, 23, 2), to: utc(29, 22, 2) }, 'Europe/Paris');
    expect(spring.map((h) => h.hour)).toEqual([0, 1, ...Array.from({ length: 21 }, (_, i) => i + 3)]);
  });

  it('lists each local (date, hour) once, in order of its first hour', () => {
    const distinct = distinctLocalHours({ from: utc(24, 22), to: utc(25, 23) }, 'Europe/Paris');
    expect(distinct).toHaveLength(24);
    expect(distinct.slice(0, 4)).toEqual([
      { date: '2026-10-25', hour: 0 },
      { date: '2026-10-25', hour: 1 },
      { date: '2026-10-25', hour: 2 },
      { date: '2026-10-25', hour: 3 },
    ]);
    // Troll turns its clock back two hours (UTC+2 -> UTC+0 at 03:00): 01:00 and 02:00 come twice, not in a row.
    const troll = { from: utc(24, 22), to: utc(25, 4) };
    expect(localHours(troll, 'Antarctica/Troll').map((h) => h.hour)).toEqual([0, 1, 2, 1, 2, 3]);
    expect(distinctLocalHours(troll, 'Antarctica/Troll').map((h) => h.hour)).toEqual([0, 1, 2, 3]);
  });
  it('walks the same hours one at a time, remembering only two days of pairs, as the whole-list walk would', () => {
    const key = (h: { date: string; hour: number }): string => `${h.date}T${h.hour}`;
    const years = { from: Date.UTC(2023, 11, 5), to: Date.UTC(2026, 11, 5) };
    for (const zone of ['Europe/Paris', 'Antarctica/Troll']) {
      const walked = [...eachLocalHour(years, zone)];
      expect(walked).toHaveLength((years.to - years.from) / HOUR_MS);
      expect([...eachDistinctLocalHour(years, zone)].map(key)).toEqual([...new Set(walked.map(key))]);
    }
    // Sitka turned its clock back a whole day in 1867 (Alaska's purchase): the repeated hours come once.
    const sitka = { from: Date.UTC(1867, 9, 18, 20), to: Date.UTC(1867, 9, 20, 4) };
    const walked = localHours(sitka, 'America/Sitka').map(key);
    const distinct = [...eachDistinctLocalHour(sitka, 'America/Sitka')].map(key);
    expect(distinct).toEqual([...new Set(walked)]);
    expect(distinct.length).toBeLessThan(walked.length);
  });
});
