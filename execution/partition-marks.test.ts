import { afterEach, describe, expect, it } from 'vitest';
import { currentWindow } from '../metrics/window.js';
import { createTestMetricsDb, type TestMetricsDb } from '../test/writers-backends.js';
import { markPartitionEnded, markPartitionStarted, markScheduledDay } from './partition-marks.js';
import { PartitionStore } from '../runs/partition-store.js';
import { dayPartitions, hourPartitions, parsePartitionKey, partitionRecordKey, partitionWindow } from '../runs/partitions.js';
import { SqlRunStore } from '../runs/sql-run-store.js';

const TZ = 'Europe/Paris';

describe('partitions', () => {
  it('hour partitions: 23 and 25 on DST days, unique keys with the offset, parsed back', () => {
    expect(hourPartitions('2026-03-29', '2026-03-29', TZ)).toHaveLength(23);
    const fallBack = hourPartitions('2026-10-25', '2026-10-25', TZ);
    expect(fallBack).toHaveLength(25);
    expect(new Set(fallBack.map((p) => p.key)).size).toBe(25);
    expect(fallBack.slice(1, 5).map((p) => p.key)).toEqual(['2026-10-25T01:00+02:00', '2026-10-25T02:00+02:00', '2026-10-25T02:00+01:00', '2026-10-25T03:00+01:00']);
    for (const p of fallBack) expect(parsePartitionKey(partitionRecordKey(p), TZ)).toEqual(p);
    const day = dayPartitions('2026-10-25', '2026-10-25', TZ)[0]!;
    expect(parsePartitionKey('day:2026-10-25', TZ)).toEqual(day);
    expect(parsePartitionKey('2026-10-25', TZ)).toEqual(day);
    expect(parsePartitionKey('day:2026-10-25T02:00+02:00', TZ)).toBeUndefined();
    expect(parsePartitionKey('hour:2026-10-25T02:00+05:00', TZ)).toBeUndefined();
    expect(parsePartitionKey('hour:2026-10-25', TZ)).toBeUndefined();
    expect(parsePartitionKey('yesterday', TZ)).toBeUndefined();
  });

  it('an hour partition reads its hour and writes hourly values only; a day partition its day up to now', () => {
    const hour = hourPartitions('2026-10-25', '2026-10-25', TZ)[4]!;
    const w = partitionWindow(hour, TZ, Date.parse('2026-11-01T00:00:00Z'));
    expect(w).toMatchObject({ hours: { from: hour.start, to: hour.end }, days: { from: '2026-10-25', to: '2026-10-25' }, hourlyOnly: true, isCurrent: false });
    // The repeated 02:00 of the fall-back day: either real hour's partition reads both (one stored local hour, issue 18.10).
    const [first, second] = hourPartitions('2026-10-25', '2026-10-25', TZ).slice(2, 4) as [typeof hour, typeof hour];
    for (const repeated of [first, second]) expect(partitionWindow(repeated, TZ, Date.parse('2026-11-01T00:00:00Z')).hours).toEqual({ from: first.start, to: second.end });
    const today = dayPartitions('2026-11-01', '2026-11-01', TZ)[0]!;
    const now = today.start + 5.5 * 3_600_000;
    const d = partitionWindow(today, TZ, now);
    expect(d.hours).toEqual({ from: today.start, to: today.start + 6 * 3_600_000 });
    expect(d.hourlyOnly).toBeUndefined();
  });
});

describe('partition marks', () => {
  let test: TestMetricsDb | undefined;
  afterEach(async () => {
    await test?.drop();
    test = undefined;
  });

  it('a cancelled partition run puts its partition back as its last finished run left it; a scheduled run marks its day', async () => {
    test = await createTestMetricsDb('postgres');
    const parts = new PartitionStore(test.db);
    const runs = new SqlRunStore(test.db);
    const [day] = dayPartitions('2026-11-02', '2026-11-02', TZ);
    // Never finished: back to missing (no row).
    await markPartitionStarted(parts, 'events', day!, undefined);
    expect((await parts.states('events', [day!]))[0]!.status).toBe('running');
    await markPartitionEnded(parts, 'events', day!, { status: 'cancelled', runId: undefined });
    expect((await parts.states('events', [day!]))[0]!.status).toBe('missing');
    // A failed run, then a cancelled one: failed again, with the failed run's id and first error line.
    const failed = (await runs.create({ job: 'events', trigger: 'backfill', partitionKey: partitionRecordKey(day!) }))!;
    await runs.finish(failed, 'failed', 'source down\nstack...');
    await markPartitionEnded(parts, 'events', day!, { status: 'failed', runId: failed, error: 'source down\nstack...' });
    await markPartitionStarted(parts, 'events', day!, undefined);
    await markPartitionEnded(parts, 'events', day!, { status: 'cancelled', runId: undefined });
    expect((await parts.states('events', [day!]))[0]).toMatchObject({ status: 'failed', runId: failed, reason: 'source down', attempts: 1 });
    // A scheduled run of the current window marks its day, "so far" while the day lasts.
    const now = day!.start + 10.5 * 3_600_000;
    await markScheduledDay(parts, 'events', currentWindow(now, TZ), { status: 'succeeded', runId: 42 });
    const state = (await parts.states('events', [day!]))[0]!;
    expect(state).toMatchObject({ status: 'success', runId: 42, attempts: 2 });
    expect(state.reason).toBe(`scheduled run: values up to ${new Date(day!.start + 11 * 3_600_000).toISOString()}`);
    expect(await parts.counts()).toEqual([{ job: 'events', grain: 'day', status: 'success', count: 1 }]);
  });
});
