// How a RunRecord is read from job_run: one entry per field (its column or expression, its decoder), the one
// place a field of a run is mapped; the SELECT list and the decoding of a row are derived from it. A trigger
// or status this version does not know is a RunRecordError naming the run, never passed on as a string.
import { EtlError } from '../graph/errors.js';
import type { NodeRun } from '../graph/run-status.js';
import { RECORD_STATUSES, RUN_TRIGGERS, type RunRecord } from './run-store.js';

/** A value of job_run this version cannot read (a trigger or status it does not know): names the run. */
export class RunRecordError extends EtlError {
  override readonly name: string = 'RunRecordError';
  constructor(
    readonly runId: number,
    readonly field: string,
    readonly value: unknown,
    expected: readonly string[],
  ) {
    super(`run ${runId}: ${field} ${JSON.stringify(value)} is not one of ${expected.join(', ')} (written by another version?)`);
  }
}

interface Column<T> {
  /** The column of job_run, or an expression over its columns. */
  readonly sql: string;
  readonly decode: (value: unknown, runId: number) => T;
}

/** Every field of RunRecord, each with its column: a field without one does not compile. */
type RunColumns = { readonly [K in keyof RunRecord]: Column<RunRecord[K]> };

const count = (value: unknown): number => Number(value);
const text = (value: unknown): string => String(value);
const nullableText = (value: unknown): string | null => (value === null ? null : String(value));
const nullableCount = (value: unknown): number | null => (value === null ? null : Number(value));
const instant = (value: unknown): number | null => (value === null ? null : value instanceof Date ? value.getTime() : new Date(String(value)).getTime());
const flag = (value: unknown): boolean => value === true;
/** A jsonb column this store wrote (pg and PGlite parse it; a driver that does not gives the text). */
const json =
  <T>() =>
  (value: unknown): T =>
    (typeof value === 'string' ? JSON.parse(value) : value) as T;

/** One of `values`, or a RunRecordError naming the run, the field and the value. */
function member<T extends string>(field: string, values: readonly T[]): (value: unknown, runId: number) => T {
  return (value, runId) => {
    const found = values.find((v) => v === value);
    if (found === undefined) throw new RunRecordError(runId, field, value, values);
    return found;
  };
}

export const RUN_COLUMNS: RunColumns = {
  id: { sql: 'id', decode: count },
  job: { sql: 'job', decode: text },
  trigger: { sql: 'trigger', decode: member('trigger', RUN_TRIGGERS) },
  status: { sql: 'status', decode: member('status', RECORD_STATUSES) },
  queuedAt: { sql: 'queued_at', decode: instant },
  scheduledFor: { sql: 'scheduled_for', decode: instant },
  windowFrom: { sql: 'window_from', decode: instant },
  windowTo: { sql: 'window_to', decode: instant },
  attempt: { sql: 'attempt', decode: count },
  startedAt: { sql: 'started_at', decode: instant },
  finishedAt: { sql: 'finished_at', decode: instant },
  nodes: { sql: 'nodes', decode: json<NodeRun[]>() },
  error: { sql: 'error', decode: nullableText },
  host: { sql: 'host', decode: nullableText },
  pid: { sql: 'pid', decode: nullableCount },
  logTail: { sql: 'log_tail', decode: json<string[]>() },
  cancelRequested: { sql: 'cancel_requested_at IS NOT NULL', decode: flag },
  partitionKey: { sql: 'partition_key', decode: nullableText },
};

/** The SELECT list of a run: each column under its field's name. */
export const RUN_SELECT = Object.entries(RUN_COLUMNS)
  .map(([field, column]) => `${column.sql} AS "${field}"`)
  .join(', ');

/** A row selected with RUN_SELECT as a RunRecord, each field through its column's decoder. */
export function decodeRun(row: Readonly<Record<string, unknown>>): RunRecord {
  return decodeFields(RUN_COLUMNS, row, count(row.id));
}

function decodeFields<T>(columns: { readonly [K in keyof T]: Column<T[K]> }, row: Readonly<Record<string, unknown>>, runId: number): T {
  const record: Partial<T> = {};
  for (const field in columns) record[field] = columns[field].decode(row[field], runId);
  // Complete: `columns` has a column for every field of T.
  return record as T;
}
