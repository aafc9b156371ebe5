// Local buckets and query plans of the prometheus reader: DST days, half-hour zones, the current bucket, long windows.
import { describe, expect, it } from 'vitest';
import { HOUR_MS as H, zonedTime } from '../metrics/time.js';
import { backfillWindow, currentWindow } from '../metrics/window.js';
import { dayBuckets, evaluations, hourBuckets, MAX_POINTS, planQueries, promDuration } from './prometheus-buckets.js';


describe('prometheus buckets', () => {
  it('merges the repeated hour of a fall-back day only when asked', () => {
    const w = backfillWindow(zonedTime('2026-10-25', 0, 'Europe/Paris'), zonedTime('2026-10-26', 0, 'Europe/Paris'), 'Europe/Paris', 0);
    expect(hourBuckets(w, false)).toHaveLength(25);
    const merged = hourBuckets(w, true);
    expect(merged).toHaveLength(24);
    expect(merged[2]).toEqual({ dims: { date: '2026-10-25', hour: 2 }, start: Date.UTC(2026, 9, 25, 0), end: Date.UTC(2026, 9, 25, 2) });
    const plans = planQueries(evaluations(merged, Date.UTC(2027, 0, 1), true));
    expect(plans.map((p) => [p.range, p.stepMs / H, p.buckets.size])).toEqual([
      ['1h', 1, 2],
      ['2h', 0, 1],
      ['1h', 1, 21],
    ]);
  });

  it('gives local days their real length and local midnights as ends', () => {
    const w = backfillWindow(zonedTime('2026-03-28', 0, 'Europe/Paris'), zonedTime('2026-03-31', 0, 'Europe/Paris'), 'Europe/Paris', 0);
    expect(dayBuckets(w).map((b) => [b.dims.date, (b.end - b.start) / H, new Date(b.end).toISOString()])).toEqual([
      ['2026-03-28', 24, '2026-03-28T23:00:00.000Z'],
      ['2026-03-29', 23, '2026-03-29T22:00:00.000Z'],
      ['2026-03-30', 24, '2026-03-30T22:00:00.000Z'],
    ]);
  });

  it('aligns on local hours in half-hour zones and makes a week one range query', () => {
    const from = zonedTime('2026-01-05', 0, 'Asia/Kolkata');
    const w = backfillWindow(from, from + 7 * 24 * H, 'Asia/Kolkata', Date.UTC(2027, 0, 1));
    const days = planQueries(evaluations(dayBuckets(w), w.now, true));
    expect(days).toHaveLength(1);
    expect(days[0]).toMatchObject({ range: '24h', stepMs: 24 * H, start: Date.UTC(2026, 0, 5, 18, 30), end: Date.UTC(2026, 0, 11, 18, 30) });
    const hours = planQueries(evaluations(hourBuckets(w, true), w.now, true));
    expect(hours).toHaveLength(1);
    expect(hours[0]?.buckets.size).toBe(7 * 24);
    expect(new Date(hours[0]!.start).toISOString()).toBe('2026-01-04T19:30:00.000Z');
  });

  it('evaluates the current bucket at now (whole seconds) and leaves out buckets after now', () => {
    const now = Date.UTC(2026, 5, 1, 10, 15, 30, 250);
    const w = currentWindow(now, 'UTC');
    expect(evaluations(hourBuckets(w, true), now, true)).toEqual([{ bucket: { dims: { date: '2026-06-01', hour: 10 }, start: Date.UTC(2026, 5, 1, 10), end: Date.UTC(2026, 5, 1, 11) }, at: Date.UTC(2026, 5, 1, 10, 15, 30), rangeMs: 930_000 }]);
    expect(evaluations(hourBuckets(w, true), now, false)[0]?.at).toBe(Date.UTC(2026, 5, 1, 11));
    const future = backfillWindow(Date.UTC(2026, 5, 1, 9), Date.UTC(2026, 5, 1, 13), 'UTC', now);
    expect(evaluations(hourBuckets(future, true), now, true).map((e) => promDuration(e.rangeMs))).toEqual(['1h', '930s']);
  });

  it('splits long windows into range queries Prometheus accepts', () => {
    const from = Date.UTC(2024, 0, 1);
    const w = backfillWindow(from, from + (MAX_POINTS + 5) * H, 'UTC', Date.UTC(2027, 0, 1));
    const plans = planQueries(evaluations(hourBuckets(w, true), w.now, true));
    expect(plans.map((p) => p.buckets.size)).toEqual([MAX_POINTS, 5]);
    expect(plans[1]!.start - plans[0]!.end).toBe(H);
  });
});
