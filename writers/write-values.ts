// Writes one prepared batch: binary COPY when none of its keys can exist yet, else one MERGE (or INSERT ... ON CONFLICT) over unnest.
import { copyBinary } from './copy-binary.js';
import { sqlState, toMetricsDbError } from './errors.js';
import { supportsMerge } from './merge-support.js';
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
  /** The same upsert as a MERGE (PostgreSQL 15+), same params: no row lock on an equal value, no speculative insert. */
  readonly mergeSql: string;
}

/**
 * Plan of the MERGE, for its transaction only: one index probe per batch value in key order (what INSERT ...
 * ON CONFLICT does), never a hash join that reads the whole table; no JIT compilation (it costs more than
 * the statement for a large batch).
 */
const MERGE_PLAN_SQL = `SELECT set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true), set_config('jit', 'off', true)`;

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
      mergeSql: `MERGE INTO ${t.hourlyValue} AS v
        USING (SELECT u.m, ${EPOCH} + u.d AS d, u.h, u.x FROM unnest($1::int4[], $2::int4[], $3::int2[], $4::float8[]) AS u(m, d, h, x)) AS s
        ON v.metric_id = s.m AND v.date = s.d AND v.hour = s.h
        WHEN MATCHED AND v.value IS DISTINCT FROM s.x THEN UPDATE SET value = s.x, updated_at = now()
        WHEN NOT MATCHED THEN INSERT (metric_id, date, hour, value) VALUES (s.m, s.d, s.h, s.x)`,
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
    mergeSql: `MERGE INTO ${t.dailyValue} AS v
      USING (SELECT u.m, ${EPOCH} + u.d AS d, u.x FROM unnest($1::int4[], $2::int4[], $3::float8[]) AS u(m, d, x)) AS s
      ON v.metric_id = s.m AND v.date = s.d
      WHEN MATCHED AND v.value IS DISTINCT FROM s.x THEN UPDATE SET value = s.x, updated_at = now()
      WHEN NOT MATCHED THEN INSERT (metric_id, date, value) VALUES (s.m, s.d, s.x)`,
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

export interface WriteValuesOptions {
  /** COPY a batch whose keys cannot exist yet (default true); false always upserts. */
  readonly copyWhenFresh?: boolean;
  /** Upsert by MERGE where the database has it (default true); false always uses INSERT ... ON CONFLICT. */
  readonly merge?: boolean;
  /** Names the writer in error messages. */
  readonly where?: string;
  /** The batch already encoded by copyBinary (the writer encodes it while the previous batch is written). */
  readonly copyData?: Uint8Array;
}

/** The statement that wrote a batch (for tests and benchmarks). */
export type WriteStatement = 'copy' | 'merge' | 'insert';

/** How a batch was written: by COPY, or upserted (by MERGE or INSERT ... ON CONFLICT). */
export type WritePath = 'copy' | 'upsert';

export const pathOf = (statement: WriteStatement): WritePath => (statement === 'copy' ? 'copy' : 'upsert');

/**
 * Writes `p` into its table in one transaction; resolves to the statement that wrote it. A batch whose
 * keys are all new goes in by COPY (PostgreSQL's fastest path). Other batches are upserted by one
 * statement: the value is replaced when it differs (last write wins), and an unchanged value is left
 * alone, so a rerun rewrites nothing. The upsert is a MERGE where the database has it: it neither locks
 * nor writes a row whose value is equal, and updates in place (HOT, no index entry) when the page has
 * room. MERGE cannot wait out a key that another writer inserts meanwhile: it fails with a unique
 * violation and rolls back, as COPY does, and the batch is written by INSERT ... ON CONFLICT instead.
 */
export async function writeValues(db: MetricsDb, spec: ValueTable, p: PreparedValues, options: WriteValuesOptions = {}): Promise<WriteStatement> {
  if (p.count === 0) return 'insert';
  const where = options.where ?? `${spec.granularity} writer`;
  try {
    let contended = false;
    if (options.copyWhenFresh !== false) {
      const probe = await db.query<{ hit: boolean }>(spec.probeSql, probeParams(spec, p));
      if (probe.rows[0]?.hit === false) {
        try {
          const data = options.copyData ?? copyBinary(spec.granularity, p); // before BEGIN: the transaction lasts as long as the COPY
          await db.transaction((tx) => tx.copyFrom(spec.table, spec.columns, data));
          return 'copy';
        } catch (error) {
          if (sqlState(error) !== '23505') throw error;
          contended = true; // another writer is inserting these keys: a MERGE would meet them too
        }
      }
    }
    const params =
      spec.granularity === 'hourly'
        ? [arrayLiteral(p.metricIds), arrayLiteral(p.days), arrayLiteral(p.hours), arrayLiteral(p.values)]
        : [arrayLiteral(p.metricIds), arrayLiteral(p.days), arrayLiteral(p.values)];
    if (!contended && options.merge !== false && (await supportsMerge(db))) {
      try {
        await db.transaction(async (tx) => {
          await tx.query(MERGE_PLAN_SQL);
          await tx.query(spec.mergeSql, params);
        });
        return 'merge';
      } catch (error) {
        if (sqlState(error) !== '23505') throw error;
      }
    }
    await db.query(spec.upsertSql, params);
    return 'insert';
  } catch (error) {
    throw toMetricsDbError(`${where} (${db.target})`, error, db.secrets);
  }
}
