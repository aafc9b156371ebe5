// Partitions of a read job: local days of the configured time zone (23 or 25 hours on DST days), or local
// hours. A day partition reads exactly that day's window and writes the day's hourly values and the day's
// daily value; an hour partition reads that hour and writes its hourly values only.
import { localHours } from '../metrics/local-hours.js';
import { HOUR_MS, nextDate, startOfDay, toDateHour, zoneOffsetMs } from '../metrics/time.js';
import { backfillWindow, type ReadWindow } from '../metrics/window.js';

export const PARTITION_GRAINS = ['day', 'hour'] as const;
export type PartitionGrain = (typeof PARTITION_GRAINS)[number];

export interface Partition {
  readonly grain: PartitionGrain;
  /** Day: 'YYYY-MM-DD' (the local date). Hour: 'YYYY-MM-DDTHH:00+hh:mm' (local time and offset: unique on fall-back days). */
  readonly key: string;
  /** [start, end) epoch ms. */
  readonly start: number;
  readonly end: number;
}

/** The local days from `from` to `to`, both inclusive (YYYY-MM-DD), as partitions. */
export function dayPartitions(from: string, to: string, timeZone: string): Partition[] {
  const out: Partition[] = [];
  for (let date = from; date <= to; date = nextDate(date)) {
    out.push({ grain: 'day', key: date, start: startOfDay(date, timeZone), end: startOfDay(nextDate(date), timeZone) });
  }
  return out;
}

function offsetText(at: number, timeZone: string): string {
  const minutes = Math.round(zoneOffsetMs(at, timeZone) / 60_000);
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The hour partition starting at instant `start` (a local hour start). */
export function hourPartition(start: number, timeZone: string): Partition {
  const { date, hour } = toDateHour(start, timeZone);
  return { grain: 'hour', key: `${date}T${String(hour).padStart(2, '0')}:00${offsetText(start, timeZone)}`, start, end: start + HOUR_MS };
}

/** The local hours of the days `from` to `to` (inclusive): 23 or 25 on DST days. */
export function hourPartitions(from: string, to: string, timeZone: string): Partition[] {
  const days = { from: startOfDay(from, timeZone), to: startOfDay(nextDate(to), timeZone) };
  return localHours(days, timeZone).map(({ start }) => hourPartition(start, timeZone));
}

export function partitionsOf(grain: PartitionGrain, from: string, to: string, timeZone: string): Partition[] {
  return grain === 'day' ? dayPartitions(from, to, timeZone) : hourPartitions(from, to, timeZone);
}

/** The key a run record keeps (job_run.partition_key): 'day:2026-11-10', 'hour:2026-11-10T09:00+01:00'. */
export function partitionRecordKey(partition: Pick<Partition, 'grain' | 'key'>): string {
  return `${partition.grain}:${partition.key}`;
}

/** The partition a record key or a bare partition key names, or undefined when it names none. */
export function parsePartitionKey(text: string, timeZone: string): Partition | undefined {
  const bare = text.replace(/^(day|hour):/, '');
  const day = /^(\d{4}-\d{2}-\d{2})$/.exec(bare);
  if (day !== null && !text.startsWith('hour:')) {
    const start = startOfDay(day[1]!, timeZone);
    if (!Number.isFinite(start)) return undefined;
    return { grain: 'day', key: day[1]!, start, end: startOfDay(nextDate(day[1]!), timeZone) };
  }
  const hour = /^(\d{4}-\d{2}-\d{2})T(\d{2}):00([+-])(\d{2}):(\d{2})$/.exec(bare);
  if (hour === null || text.startsWith('day:')) return undefined;
  const [, date, hh, sign, oh, om] = hour as unknown as [string, string, string, string, string, string];
  const offset = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  const start = Date.parse(`${date}T${hh}:00:00Z`) - offset;
  if (!Number.isFinite(start)) return undefined;
  const partition = hourPartition(start, timeZone);
  return partition.key === bare ? partition : undefined;
}

/** What a partition run reads: a day's hours (up to now, for today) and the day, or one hour (hourly values only). */
export function partitionWindow(partition: Partition, timeZone: string, now: number): ReadWindow {
  if (partition.grain === 'day') return backfillWindow(partition.start, Math.max(partition.start + 1, Math.min(partition.end, now)), timeZone, now);
  // The stored hour is the local hour: on a fall-back day its two real hours share one bucket, so a partition
  // of either reads both (two partitions then write the same value, never one replacing the other's half).
  const { date, hour } = toDateHour(partition.start, timeZone);
  const sameLocalHour = (at: number): boolean => {
    const other = toDateHour(at, timeZone);
    return other.date === date && other.hour === hour;
  };
  const from = sameLocalHour(partition.start - HOUR_MS) ? partition.start - HOUR_MS : partition.start;
  const to = sameLocalHour(partition.end) ? partition.end + HOUR_MS : partition.end;
  return { timeZone, hours: { from, to }, days: { from: date, to: date }, now, isCurrent: false, hourlyOnly: true };
}
