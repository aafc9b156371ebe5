// Pieces every check statement shares: numbered parameters, the checks as unnest() rows joined to the metrics
// their pattern names, the scope's ended buckets of values, and the columns a judgement gives.
import type { Check, Grain } from './check.js';
import { likePattern } from './check.js';
import { localHours, type CheckScope } from './scope.js';
import { metricsTables, type MetricsTables } from '../writers/sql-identifiers.js';

/** A statement: its text and parameters. */
export interface Statement {
  readonly text: string;
  readonly params: readonly unknown[];
}

/** Numbered parameters: `add(value, 'text[]')` gives `$n::text[]`. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

/** The columns a judgement gives, in this order (check_result's, plus the metric's name). */
export const JUDGED_COLUMNS = 'check_name, metric_id, metric, date, hour, bucket_start, status, value, expected_low, expected_high, score, reason';

/** What a statement builder is given. */
export interface JudgeInput<C extends Check> {
  readonly checks: readonly C[];
  readonly grain: Grain;
  readonly scope: CheckScope;
  readonly schema: string;
  readonly timeZone: string;
  /** The evaluation's clock (epoch ms). */
  readonly now: number;
}

/** A number as reason text: at most 2 decimals. */
export const fmt = (expr: string): string => `trim_scale(round((${expr})::numeric, 2))::text`;

/**
 * `c` (one row per check: name, LIKE pattern, severity, then `extra` columns) and `m` (each check with each
 * metric its pattern names).
 */
export function checkRows<C extends Check>(p: Params, tables: MetricsTables, checks: readonly C[], extra: Readonly<Record<string, [type: string, pick: (c: C) => unknown]>>): string {
  const columns = Object.entries(extra);
  const arrays = [
    p.add(checks.map((c) => c.name), 'text[]'),
    p.add(checks.map((c) => likePattern(c.metric)), 'text[]'),
    p.add(checks.map((c) => c.severity), 'text[]'),
    ...columns.map(([, [type, pick]]) => p.add(checks.map(pick), `${type}[]`)),
  ];
  const names = ['check_name', 'pattern', 'severity', ...columns.map(([name]) => name)];
  return `c AS (SELECT * FROM unnest(${arrays.join(', ')}) AS c(${names.join(', ')})),
    m AS (SELECT c.*, mt.id AS metric_id, mt.name AS metric FROM c JOIN ${tables.metric} mt ON mt.name LIKE c.pattern)`;
}

/** The value table of a grain, and its hour expression (24 for a day, as metrics/buckets.ts numbers it). */
export function grainTable(tables: MetricsTables, grain: Grain, alias: string): { table: string; hour: string } {
  return grain === 'hourly' ? { table: tables.hourlyValue, hour: `${alias}.hour` } : { table: tables.dailyValue, hour: '24' };
}

/** The instant a bucket starts, from its `date` and `hour` columns under `alias`. */
export function bucketStart(p: Params, timeZone: string, grain: Grain, alias: string): string {
  const tz = p.add(timeZone, 'text');
  return grain === 'hourly' ? `((${alias}.date + ${alias}.hour * interval '1 hour') AT TIME ZONE ${tz})` : `(${alias}.date::timestamp AT TIME ZONE ${tz})`;
}

/**
 * The instant a bucket ends: a local day at the next local midnight (a 23- or 25-hour day ends at its real
 * end), an hour one real hour after its start (the repeated hour of a fall-back day starts at its second
 * occurrence, PostgreSQL's reading of an ambiguous local time, so it ends after both).
 */
export function bucketEnd(p: Params, timeZone: string, grain: Grain, alias: string): string {
  if (grain === 'daily') return `((${alias}.date + 1)::timestamp AT TIME ZONE ${p.add(timeZone, 'text')})`;
  return `(${bucketStart(p, timeZone, grain, alias)} + interval '1 hour')`;
}

/**
 * `t`: the stored values of the scope for each (check, metric) of `m`, of the buckets ended at `now` only (a
 * bucket still filling is judged by an evaluation after its end); undefined when the scope has no bucket of
 * this grain.
 */
export function scopedValues(p: Params, tables: MetricsTables, grain: Grain, scope: CheckScope, timeZone: string, now: number): string | undefined {
  const { table, hour } = grainTable(tables, grain, 'v');
  const ended = `${bucketEnd(p, timeZone, grain, 'v')} <= ${p.add(new Date(now).toISOString(), 'timestamptz')}`;
  if (grain === 'daily') {
    if (scope.days === undefined) return undefined;
    return `t AS (SELECT m.*, v.date, ${hour} AS hour, v.value FROM m JOIN ${table} v ON v.metric_id = m.metric_id
      WHERE v.date BETWEEN ${p.add(scope.days.from, 'date')} AND ${p.add(scope.days.to, 'date')} AND ${ended})`;
  }
  const local = localHours(scope, timeZone);
  if (local === undefined) return undefined;
  return `t AS (SELECT m.*, v.date, ${hour} AS hour, v.value FROM m JOIN ${table} v ON v.metric_id = m.metric_id
    WHERE v.date BETWEEN ${p.add(local.firstDate, 'date')} AND ${p.add(local.lastDate, 'date')}
      AND v.date + v.hour * interval '1 hour' BETWEEN ${p.add(local.first, 'timestamp')} AND ${p.add(local.last, 'timestamp')}
      AND ${ended})`;
}

export { metricsTables };

/** The SELECT list of a judgement: each of JUDGED_COLUMNS as the expression given, else the column of that name. */
export function judgedList(expressions: Readonly<Record<string, string>>): string {
  return JUDGED_COLUMNS.split(', ')
    .map((column) => (expressions[column] === undefined ? column : `${expressions[column]} AS ${column}`))
    .join(',\n      ');
}
