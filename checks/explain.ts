// What an anomaly judgement of one metric's bucket used: the past buckets alike (same hour of the week, of
// the day, same weekday) within the check's history, and the judgement itself from the same statement the
// evaluation runs (`etl checks --explain <metric> --at <hour>`); a bucket not ended at `now` is not judged.
import { seasonalityOf, type AnomalyCheck, type Check, type CheckResult } from './check.js';
import { judgeOnly } from './evaluate.js';
import { nextDate, startOfDay, toDateHour, zonedTime, HOUR_MS } from '../metrics/time.js';
import type { MetricsDb } from '../writers/metrics-db.js';
import { metricsTables } from '../writers/sql-identifiers.js';

export interface Explanation {
  readonly check: string;
  /** The past values the judgement could use, oldest first (the judgement uses those stored). */
  readonly history: ReadonlyArray<{ readonly date: string; readonly hour: number; readonly value: number | null }>;
  /** The judgement of the bucket (undefined: the metric has no value there, or the bucket has not ended). */
  readonly result: CheckResult | undefined;
  /** When the bucket ends; only ended buckets are judged. */
  readonly endsAt: Date;
  readonly ended: boolean;
}

/** The instant local `date` `hour` (24: the day) ends: the next local hour or midnight (a repeated hour ends after both). */
export function bucketEndAt(date: string, hour: number, timeZone: string): number {
  if (hour === 24) return startOfDay(nextDate(date), timeZone);
  let end = zonedTime(date, hour, timeZone) + HOUR_MS;
  for (let local = toDateHour(end, timeZone); local.date === date && local.hour === hour; local = toDateHour(end, timeZone)) end += HOUR_MS;
  return end;
}

/** For each check naming `metric`, its judgement of the bucket at local `date` `hour` (24: the day) and, for anomaly checks, the history. */
export async function explain(db: MetricsDb, checks: readonly Check[], metric: string, date: string, hour: number, now: number): Promise<Explanation[]> {
  const zone = db.settings.timeZone;
  const scope = hour === 24 ? { days: { from: date, to: date } } : { hours: { from: zonedTime(date, hour, zone), to: zonedTime(date, hour, zone) + HOUR_MS } };
  const endsAt = bucketEndAt(date, hour, zone);
  const found: Explanation[] = [];
  for (const check of checks) {
    if ((hour === 24) !== (check.grain === 'daily') || check.type === 'freshness') continue;
    const results = await judgeOnly(db, { checks: [check], scope, now }, { all: true });
    const result = results.find((r) => r.metric === metric);
    if (result === undefined && !new RegExp(`^${check.metric.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(metric)) continue;
    found.push({ check: check.name, history: check.type === 'anomaly' ? await history(db, check, metric, date, hour) : [], result, endsAt: new Date(endsAt), ended: endsAt <= now });
  }
  return found;
}

async function history(db: MetricsDb, check: AnomalyCheck, metric: string, date: string, hour: number): Promise<Explanation['history']> {
  const step = ['hour-of-week', 'day-of-week'].includes(seasonalityOf(check)) ? 7 : 1;
  const dates: string[] = [];
  for (let k = Math.floor(check.historyDays / step); k >= 1; k--) dates.push(nextDate(date, -k * step));
  const t = metricsTables(db.settings.schema);
  const table = hour === 24 ? t.dailyValue : t.hourlyValue;
  const { rows } = await db.query<{ date: string; value: number }>(
    `SELECT to_char(v.date, 'YYYY-MM-DD') AS date, v.value FROM ${table} v JOIN ${t.metric} m ON m.id = v.metric_id
     WHERE m.name = $1 AND v.date = ANY ($2::date[])${hour === 24 ? '' : ' AND v.hour = $3'}`,
    hour === 24 ? [metric, dates] : [metric, dates, hour],
  );
  const byDate = new Map(rows.map((r) => [r.date, Number(r.value)]));
  return dates.map((d) => ({ date: d, hour, value: byDate.get(d) ?? null }));
}
