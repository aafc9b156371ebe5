// Generated metric series for the checks' tests: a weekly pattern in local time with seeded noise, summed per
// real hour into local (date, hour) buckets (a fall-back hour holds two real hours), stored straight into
// hourly_value and daily_value.
import { prng } from '../../examples/demo/generate.js';
import { HOUR_MS, toDateHour } from '../../metrics/time.js';
import type { MetricsDb } from '../../writers/metrics-db.js';
import { metricsTables } from '../../writers/sql-identifiers.js';

/** Seeded noise (the demo's mulberry32), so every run of a test sees the same values. */
export const seeded = (seed: number): (() => number) => prng(seed);

/** Expected traffic of a local hour: by day more than by night, weekends lower. */
export function weeklyPattern(weekday: number, hour: number): number {
  const daylight = Math.sin((Math.PI * Math.max(0, hour - 5)) / 19) ** 2;
  return (20 + 180 * daylight) * (weekday === 0 || weekday === 6 ? 0.6 : 1);
}

export interface HourValue {
  readonly date: string;
  readonly hour: number;
  readonly value: number;
}

/**
 * Per real hour in [from, to): pattern(local weekday, local hour) x (1 +- noise) x factor(instant), summed per local
 * bucket. `factor` plants faults (0 for a drop, 3 for a spike, undefined: no value written).
 */
export function hourlySeries(from: number, to: number, timeZone: string, seed: number, noise: number, factor: (at: number) => number | undefined = () => 1): HourValue[] {
  const random = seeded(seed);
  const buckets = new Map<string, HourValue>();
  for (let at = from; at < to; at += HOUR_MS) {
    const local = toDateHour(at, timeZone);
    const weekday = new Date(`${local.date}T00:00:00Z`).getUTCDay();
    const jitter = 1 + noise * (2 * random() - 1);
    const f = factor(at);
    if (f === undefined) continue;
    const key = `${local.date} ${local.hour}`;
    const value = weeklyPattern(weekday, local.hour) * jitter * f;
    buckets.set(key, { ...local, value: (buckets.get(key)?.value ?? 0) + value });
  }
  return [...buckets.values()];
}

/** Creates the metric (if new) and stores its hourly values. */
export async function storeHourly(db: MetricsDb, metric: string, values: readonly HourValue[]): Promise<number> {
  const id = await metricId(db, metric);
  const t = metricsTables(db.settings.schema);
  await db.query(`INSERT INTO ${t.hourlyValue} (metric_id, date, hour, value) SELECT $1, d, h, v FROM unnest($2::date[], $3::int[], $4::float8[]) AS s(d, h, v)`, [
    id,
    values.map((v) => v.date),
    values.map((v) => v.hour),
    values.map((v) => v.value),
  ]);
  return id;
}

/** Creates the metric (if new) and stores its daily values. */
export async function storeDaily(db: MetricsDb, metric: string, values: ReadonlyArray<{ readonly date: string; readonly value: number }>): Promise<number> {
  const id = await metricId(db, metric);
  const t = metricsTables(db.settings.schema);
  await db.query(`INSERT INTO ${t.dailyValue} (metric_id, date, value) SELECT $1, d, v FROM unnest($2::date[], $3::float8[]) AS s(d, v)`, [id, values.map((v) => v.date), values.map((v) => v.value)]);
  return id;
}

async function metricId(db: MetricsDb, metric: string): Promise<number> {
  const t = metricsTables(db.settings.schema);
  const { rows } = await db.query<{ id: number }>(`INSERT INTO ${t.metric} (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`, [metric]);
  return Number(rows[0]!.id);
}
