// Writes one prepared batch: COPY when none of its keys can exist yet, else one INSERT ... ON CONFLICT over unnest.
import { sqlState, toMetricsDbError } from './errors.js';
import type { MetricsDb } from './metrics-db.js';
import type { Granularity } from './row-checks.js';
import { metricsTables } from './sql-identifiers.js';
import type { PreparedValues } from './value-batch.js';

export interface ValueTable {
  readonly granularity: Granularity;
  readonly table: string;
  readonly columns: readonly string[];
  /** Is any key of the batch already there? Params: per metric, the first and last (day, hour) of the batch. */
  readonly probeSql: string;
  /** The set-based upsert. Params: ids, days, (hours,) values as arrays, in key order. */
  readonly upsertSql: string;
}

const EPOCH = `date '1970-01-01'`;

/** The statements of the hourly or daily table of `schema`. */
export function valueTable(schema: string, granularity: Granularity): ValueTable {
  const t = metricsTables(schema);
  if (granularity === 'hourly') {
    return {
      granularity,
      table: t.hourlyValue,
      columns: ['metric_id', 'date', 'hour', 'value'],
      probeSql: `SELECT EXISTS (
          SELECT 1 FROM unnest($1::int4[], $2::int4[], $3::int2[], $4::int4[], $5::int2[]) AS b(m, d0, h0, d1, h1)
          WHERE EXISTS (SELECT 1 FROM ${t.hourlyValue} AS v WHERE v.metric_id = b.m
            AND (v.date, v.hour) >= (${EPOCH} + b.d0, b.h0) AND (v.date, v.hour) <= (${EPOCH} + b.d1, b.h1))
        ) AS hit`,
      upsertSql: `INSERT INTO ${t.hourlyValue} AS v (metric_id, date, hour, value)
        SELECT u.m, ${EPOCH} + u.d, u.h, u.x FROM unnest($1::int4[], $2::int4[], $3::int2[], $4::float8[]) AS u(m, d, h, x)
        ON CONFLICT (metric_id, date, hour) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
        WHERE v.value IS DISTINCT FROM EXCLUDED.value`,
    };
  }
  return {
    granularity,
    table: t.dailyValue,
    columns: ['metric_id', 'date', 'value'],
    probeSql: `SELECT EXISTS (
        SELECT 1 FROM unnest($1::int4[], $2::int4[], $3::int4[]) AS b(m, d0, d1)
        WHERE EXISTS (SELECT 1 FROM ${t.dailyValue} AS v WHERE v.metric_id = b.m
          AND v.date BETWEEN ${EPOCH} + b.d0 AND ${EPOCH} + b.d1)
      ) AS hit`,
    upsertSql: `INSERT INTO ${t.dailyValue} AS v (metric_id, date, value)
      SELECT u.m, ${EPOCH} + u.d, u.x FROM unnest($1::int4[], $2::int4[], $3::float8[]) AS u(m, d, x)
      ON CONFLICT (metric_id, date) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
      WHERE v.value IS DISTINCT FROM EXCLUDED.value`,
  };
}

function arrayLiteral(values: Int32Array | Int16Array | Float64Array): string {
  return `{${values.join(',')}}`;
}

/** Per metric, the first and last (day, hour) of a sorted batch. */
function probeParams(spec: ValueTable, p: PreparedValues): unknown[] {
  const ids: number[] = [];
  const d0: number[] = [];
  const h0: number[] = [];
  const d1: number[] = [];
  const h1: number[] = [];
  for (let k = 0; k < p.count; k++) {
    const id = p.metricIds[k]!;
    if (k === 0 || p.metricIds[k - 1] !== id) {
      ids.push(id);
      d0.push(p.days[k]!);
      h0.push(p.hours[k]!);
    }
    if (k === p.count - 1 || p.metricIds[k + 1] !== id) {
      d1.push(p.days[k]!);
      h1.push(p.hours[k]!);
    }
  }
  const list = (a: number[]) => `{${a.join(',')}}`;
  return spec.granularity === 'hourly' ? [list(ids), list(d0), list(h0), list(d1), list(h1)] : [list(ids), list(d0), list(d1)];
}

const dates = new Map<number, string>();

function dateText(day: number): string {
  let text = dates.get(day);
  if (text === undefined) {
    text = new Date(day * 86_400_000).toISOString().slice(0, 10);
    if (dates.size > 100_000) dates.clear();
    dates.set(day, text);
  }
  return text;
}

/** The batch as COPY text: one tab-separated line per value. */
export function copyText(spec: ValueTable, p: PreparedValues): string {
  const lines: string[] = new Array<string>(p.count);
  const hourly = spec.granularity === 'hourly';
  for (let k = 0; k < p.count; k++) {
    lines[k] = hourly
      ? `${p.metricIds[k]}\t${dateText(p.days[k]!)}\t${p.hours[k]}\t${p.values[k]}\n`
      : `${p.metricIds[k]}\t${dateText(p.days[k]!)}\t${p.values[k]}\n`;
  }
  return lines.join('');
}

export interface WriteValuesOptions {
  /** COPY a batch whose keys cannot exist yet (default true); false always upserts. */
  readonly copyWhenFresh?: boolean;
  /** Names the writer in error messages. */
  readonly where?: string;
}

/** How a batch was written (for tests and benchmarks). */
export type WritePath = 'copy' | 'upsert';

/**
 * Writes `p` into its table in one transaction; resolves to the path taken. A batch whose keys are all
 * new goes in by COPY (PostgreSQL's fastest path); if another writer inserted one of them meanwhile, the
 * COPY fails with a unique violation, rolls back, and the batch is upserted instead. Other batches are
 * upserted by one statement: the value is replaced when it differs (last write wins), and an unchanged
 * value is left alone, so a rerun rewrites nothing.
 */
export async function writeValues(db: MetricsDb, spec: ValueTable, p: PreparedValues, options: WriteValuesOptions = {}): Promise<WritePath> {
  if (p.count === 0) return 'upsert';
  const where = options.where ?? `${spec.granularity} writer`;
  try {
    if (options.copyWhenFresh !== false) {
      const probe = await db.query<{ hit: boolean }>(spec.probeSql, probeParams(spec, p));
      if (probe.rows[0]?.hit === false) {
        try {
          const text = copyText(spec, p); // built before BEGIN: the transaction stays as short as the COPY
          await db.transaction((tx) => tx.copyFrom(spec.table, spec.columns, text));
          return 'copy';
        } catch (error) {
          if (sqlState(error) !== '23505') throw error;
        }
      }
    }
    const params =
      spec.granularity === 'hourly'
        ? [arrayLiteral(p.metricIds), arrayLiteral(p.days), arrayLiteral(p.hours), arrayLiteral(p.values)]
        : [arrayLiteral(p.metricIds), arrayLiteral(p.days), arrayLiteral(p.values)];
    await db.query(spec.upsertSql, params);
    return 'upsert';
  } catch (error) {
    throw toMetricsDbError(`${where} (${db.target})`, error, db.secrets);
  }
}
