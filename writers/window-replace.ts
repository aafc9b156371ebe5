// A re-read window replaces what its readers stored: after the writers have written a window, the stored
// values of a reader's metrics in that window that the re-read no longer gave (the source deleted them: a GDPR
// erasure, a fixed double import) are stale. The rule: a count (a metric named `*.count`) becomes 0; any other
// value (distinct users, durations, ...) is removed. Only for readers that hold their whole history
// (`replacesWindow` in their definition: the events readers) and that finished reading; the metric registry
// records which reader wrote each metric (metric.source, migration 5), so one reader never clears another's.
import type { ReadWindow } from '../metrics/window.js';
import { HOUR_MS, nextDate, toDateHour } from '../metrics/time.js';
import { bucketNumber } from '../metrics/buckets.js';
import type { MetricsDb } from './metrics-db.js';
import { metricsTables } from './sql-identifiers.js';
import type { Granularity } from './row-checks.js';

/** What a read run gave, as the writers' window replacement reads it (jobs/read-ledger.ts keeps it). */
export interface WindowLedger {
  readonly window: ReadWindow;
  /** The readers that replace their window and finished reading it, with the metrics each gave. */
  finished(): ReadonlyMap<string, ReadonlySet<string>>;
  /** Whether the run gave `metric` a value in `bucket` (metrics/buckets.ts numbering). */
  gave(metric: string, bucket: number): boolean;
}

/** Dates per statement: the stored keys of a month are read at a time, so memory does not grow with the window. */
const CHUNK_DAYS = 31;

/** The inclusive bucket numbers the window covers for this granularity, or undefined when it covers none. */
function bucketRange(window: ReadWindow, granularity: Granularity): { from: number; to: number; dates: [string, string] } | undefined {
  if (granularity === 'daily') {
    if (window.hourlyOnly === true) return undefined;
    return { from: bucketNumber({ date: window.days.from })!, to: bucketNumber({ date: window.days.to })!, dates: [window.days.from, window.days.to] };
  }
  if (!(window.hours.to > window.hours.from)) return undefined;
  const first = toDateHour(window.hours.from, window.timeZone);
  const last = toDateHour(window.hours.to - HOUR_MS, window.timeZone);
  return { from: bucketNumber(first)!, to: bucketNumber(last)!, dates: [first.date, last.date] };
}

interface Stale {
  readonly ids: number[];
  readonly dates: string[];
  readonly hours: number[];
}

/** Records the readers' metrics in the registry (metric.source), then clears their stale values in the window. */
export async function replaceWindow(db: MetricsDb, granularity: Granularity, ledger: WindowLedger): Promise<number> {
  const finished = ledger.finished();
  if (finished.size === 0) return 0;
  const t = metricsTables(db.settings.schema);
  for (const [reader, names] of finished) {
    if (names.size > 0) await db.query(`UPDATE ${t.metric} SET source = $2 WHERE name = ANY($1::text[]) AND source IS DISTINCT FROM $2`, [[...names], reader]);
  }
  const range = bucketRange(ledger.window, granularity);
  if (range === undefined) return 0;
  const owned = await db.query<{ id: number; name: string }>(`SELECT id, name FROM ${t.metric} WHERE source = ANY($1::text[])`, [[...finished.keys()]]);
  if (owned.rows.length === 0) return 0;
  const names = new Map(owned.rows.map((r) => [Number(r.id), r.name]));
  let changed = 0;
  for (let from = range.dates[0]; from <= range.dates[1]; from = nextDate(from, CHUNK_DAYS)) {
    const to = [nextDate(from, CHUNK_DAYS - 1), range.dates[1]].sort()[0]!;
    const stale = await staleIn(db, granularity, [...names.keys()], [from, to], (id, bucket) => bucket >= range.from && bucket <= range.to && !ledger.gave(names.get(id)!, bucket));
    changed += await clear(db, granularity, stale, names);
  }
  return changed;
}

async function staleIn(db: MetricsDb, granularity: Granularity, ids: number[], [from, to]: [string, string], isStale: (id: number, bucket: number) => boolean): Promise<Stale> {
  const t = metricsTables(db.settings.schema);
  const table = granularity === 'hourly' ? t.hourlyValue : t.dailyValue;
  const hour = granularity === 'hourly' ? 'v.hour' : '24';
  const { rows } = await db.query<{ metric_id: number; date: string; hour: number }>(
    `SELECT v.metric_id, to_char(v.date, 'YYYY-MM-DD') AS date, ${hour} AS hour FROM ${table} v WHERE v.metric_id = ANY($1::int[]) AND v.date BETWEEN $2::date AND $3::date`,
    [ids, from, to],
  );
  const stale: Stale = { ids: [], dates: [], hours: [] };
  for (const row of rows) {
    const id = Number(row.metric_id);
    const h = Number(row.hour);
    const bucket = bucketNumber(h === 24 ? { date: row.date } : { date: row.date, hour: h });
    if (bucket === undefined || !isStale(id, bucket)) continue;
    stale.ids.push(id);
    stale.dates.push(row.date);
    stale.hours.push(h);
  }
  return stale;
}

/** Counts to 0 and the other values removed, in one transaction, set-based. */
async function clear(db: MetricsDb, granularity: Granularity, stale: Stale, names: ReadonlyMap<number, string>): Promise<number> {
  if (stale.ids.length === 0) return 0;
  const t = metricsTables(db.settings.schema);
  const hourly = granularity === 'hourly';
  const table = hourly ? t.hourlyValue : t.dailyValue;
  const keys = hourly ? 'unnest($1::int[], $2::date[], $3::smallint[]) AS s(m, d, h)' : 'unnest($1::int[], $2::date[]) AS s(m, d)';
  const match = `v.metric_id = s.m AND v.date = s.d${hourly ? ' AND v.hour = s.h' : ''}`;
  const pick = (count: boolean): unknown[] => {
    const at = stale.ids.flatMap((id, i) => (names.get(id)!.endsWith('.count') === count ? [i] : []));
    const columns = [at.map((i) => stale.ids[i]), at.map((i) => stale.dates[i])];
    return hourly ? [...columns, at.map((i) => stale.hours[i])] : columns;
  };
  return db.transaction(async (tx) => {
    const zeroed = await tx.query(`UPDATE ${table} v SET value = 0, updated_at = now() FROM ${keys} WHERE ${match} AND v.value <> 0`, pick(true));
    const removed = await tx.query(`DELETE FROM ${table} v USING ${keys} WHERE ${match}`, pick(false));
    return zeroed.rowCount + removed.rowCount;
  });
}
