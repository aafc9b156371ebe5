import { describe, expect, it } from 'vitest';
import { HOUR_MS as H } from '../metrics/time.js';
import { catchupPlan, lastScheduledSuccess } from './catchup.js';
import { MemoryRunStore } from '../test/support/memory-run-store.js';
import type { JobSchedule } from './schedule.js';

const hourly: JobSchedule = { job: 'all', cron: '5 * * * *', timeZone: 'UTC', retries: 0, retryDelayMs: 1000, catchupMs: 48 * H };
const NOW = Date.parse('2026-11-05T10:30:00Z');

describe('catchup', () => {
  it('plans the day partitions of the firings missed since the last success, oldest first', () => {
    const plan = catchupPlan(hourly, Date.parse('2026-11-04T21:05:00Z'), NOW)!;
    expect(plan).toMatchObject({ missed: 13, first: Date.parse('2026-11-04T22:05:00Z'), last: Date.parse('2026-11-05T10:05:00Z'), days: ['2026-11-04', '2026-11-05'], dropped: false });
  });

  it('goes back at most maxCatchup, and says older firings were dropped', () => {
    const plan = catchupPlan({ ...hourly, catchupMs: 30 * H }, Date.parse('2026-10-25T00:05:00Z'), NOW)!;
    expect(plan.first).toBe(Date.parse('2026-11-04T05:05:00Z'));
    expect(plan.missed).toBe(30);
    expect(plan.days).toEqual(['2026-11-04', '2026-11-05']);
    expect(plan.dropped).toBe(true);
  });

  it('nothing missed, or no catchup asked for: no plan', () => {
    expect(catchupPlan(hourly, Date.parse('2026-11-05T10:05:00Z'), NOW)).toBeUndefined();
    const { catchupMs: _, ...plain } = hourly;
    expect(catchupPlan(plain, Date.parse('2026-11-01T00:00:00Z'), NOW)).toBeUndefined();
  });

  it('the last success is the latest successful scheduled run or retry; manual runs do not count', async () => {
    const store = new MemoryRunStore();
    expect(await lastScheduledSuccess(store, 'all')).toBeUndefined();
    const add = async (trigger: 'schedule' | 'retry' | 'manual', at: number, status: 'succeeded' | 'failed'): Promise<void> => {
      const id = (await store.create({ job: 'all', trigger, scheduledFor: at }))!;
      await store.finish(id, status, status === 'failed' ? 'boom' : null);
    };
    await add('schedule', NOW - 5 * H, 'succeeded');
    await add('retry', NOW - 3 * H, 'succeeded');
    await add('schedule', NOW - 2 * H, 'failed');
    await add('manual', NOW - H, 'succeeded');
    expect(await lastScheduledSuccess(store, 'all')).toBe(NOW - 3 * H);
  });
});
