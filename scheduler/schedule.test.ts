import { describe, expect, it } from 'vitest';
import { nextFiring, nextFirings, retryDelay } from './schedule.js';

const paris = (cron: string) => ({ cron, timeZone: 'Europe/Paris' });
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('schedules', () => {
  it('fire a local time that does not exist on the spring-forward day once, an hour later by the clock', () => {
    // 2026-03-29 in Paris: 02:00 CET -> 03:00 CEST; 02:30 does not exist.
    expect(nextFirings(paris('30 2 * * *'), at('2026-03-28T12:00:00Z'), 3).map(iso)).toEqual([
      '2026-03-29T01:30:00.000Z', // 03:30 CEST
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  it('fire a local time that happens twice on the fall-back day once, at its first occurrence', () => {
    // 2026-10-25 in Paris: 03:00 CEST -> 02:00 CET; 02:30 happens twice.
    expect(nextFirings(paris('30 2 * * *'), at('2026-10-24T12:00:00Z'), 2).map(iso)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('fire interval schedules on every real instant, through both DST changes', () => {
    expect(nextFirings(paris('0 * * * *'), at('2026-10-24T23:30:00Z'), 4).map(iso)).toEqual([
      '2026-10-25T00:00:00.000Z', // 02:00 CEST
      '2026-10-25T01:00:00.000Z', // 02:00 CET
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T03:00:00.000Z',
    ]);
    expect(nextFirings(paris('*/15 * * * *'), at('2026-03-29T00:40:00Z'), 3).map(iso)).toEqual(['2026-03-29T00:45:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T01:15:00.000Z']);
  });

  it('read seconds, @daily, the zone, and start strictly after the given instant', () => {
    expect(iso(nextFiring({ cron: '*/10 * * * * *', timeZone: 'UTC' }, at('2026-12-01T10:00:00Z')))).toBe('2026-12-01T10:00:10.000Z');
    expect(iso(nextFiring({ cron: '@daily', timeZone: 'Europe/Paris' }, at('2026-12-01T10:00:00Z')))).toBe('2026-12-01T23:00:00.000Z');
    expect(iso(nextFiring({ cron: '0 3 * * *', timeZone: 'America/New_York' }, at('2026-12-01T10:00:00Z')))).toBe('2026-12-02T08:00:00.000Z');
  });

  it('double the retry delay for each next retry', () => {
    expect([1, 2, 3].map((n) => retryDelay({ retryDelayMs: 30_000 }, n))).toEqual([30_000, 60_000, 120_000]);
  });
});
