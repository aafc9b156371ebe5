// Query result columns as Grafana's SQL datasources type them: times to epoch ms (a `time` column of numbers
// in seconds or nanoseconds too), numbers, booleans, text; what pg gives as text for bigint and numeric
// (digits only) is read back as a number, since the database port gives values, not column types.
/** A field's type, as web/client/view/dashboard-wire.ts's FieldJson has it (the web API checks they agree). */
export type FieldType = 'time' | 'number' | 'string' | 'boolean' | 'other';

/** A column of a frame (fits FieldJson). */
export interface Field {
  readonly name: string;
  readonly type: FieldType;
  readonly values: readonly Cell[];
  readonly labels?: Readonly<Record<string, string>>;
}
export type Cell = number | string | boolean | null;

export interface Column {
  readonly name: string;
  readonly type: FieldType;
  readonly values: Cell[];
}

const NUMERIC_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** sqleng.epochPrecisionToMS: seconds (1e9 order) and nanoseconds (1e18 order) to milliseconds. */
export function epochToMs(value: number): number {
  const exponent = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value)));
  if (exponent === 9) return value * 1000;
  if (exponent === 18) return value / 1_000_000;
  return value;
}

/**
 * The column's type from its values, in one pass: every present value a Date is a time, a number (or numeric
 * text, or bigint) a number, then boolean, then text; none present, a number; anything else is other.
 */
function typeOf(values: readonly unknown[]): FieldType {
  let present = false;
  let time = true;
  let number = true;
  let boolean = true;
  let string = true;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    present = true;
    const kind = typeof v;
    if (kind === 'number' || kind === 'bigint') {
      time = boolean = string = false;
    } else if (kind === 'string') {
      time = boolean = false;
      if (number && !NUMERIC_TEXT.test(v as string)) number = false;
    } else if (kind === 'boolean') {
      time = number = string = false;
    } else {
      number = boolean = string = false;
      if (!(v instanceof Date)) return 'other';
    }
    if (!time && !number && !boolean && !string) return 'other';
  }
  if (!present) return 'number';
  if (time) return 'time';
  if (number) return 'number';
  if (boolean) return 'boolean';
  return string ? 'string' : 'other';
}

function cell(value: unknown, type: FieldType): Cell {
  if (value === null || value === undefined) return null;
  if (type === 'time') return value instanceof Date ? value.getTime() : epochToMs(Number(value));
  if (type === 'number') return Number(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.getTime();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return JSON.stringify(value);
}

/** Grafana's time columns: `time` (and `time_sec`), and `timeend` in a table. */
export const isTimeColumn = (name: string, table: boolean): boolean => name === 'time' || name === 'time_sec' || (table && name.toLowerCase() === 'timeend');

/** Query rows: records (keyed by column name) or a table (names, and rows as arrays in their order). */
export type ResultRows = readonly Record<string, unknown>[] | { readonly names: readonly string[]; readonly rows: readonly (readonly unknown[])[] };

/** Each column's name and values (a repeated name: its last column, as a record keeps it). */
function columnValues(result: ResultRows): { name: string; values: unknown[] }[] {
  if (Array.isArray(result)) {
    const rows = result as readonly Record<string, unknown>[];
    return rows.length === 0 ? [] : Object.keys(rows[0]!).map((name) => ({ name, values: rows.map((row) => row[name]) }));
  }
  const { names, rows } = result as Exclude<ResultRows, readonly Record<string, unknown>[]>;
  if (rows.length === 0) return [];
  return names.flatMap((name, index) => (names.lastIndexOf(name) !== index ? [] : [{ name, values: rows.map((row) => row[index]) }]));
}

/** The columns of a result (in order), typed from their values; time columns as epoch ms. */
export function readColumns(result: ResultRows, table: boolean): Column[] {
  return columnValues(result).map(({ name, values: raw }) => {
    const found = typeOf(raw);
    const type: FieldType = isTimeColumn(name, table) && (found === 'time' || found === 'number') ? 'time' : found;
    // In place: `raw` is this column's own array.
    for (let i = 0; i < raw.length; i++) raw[i] = cell(raw[i], type);
    return { name, type, values: raw as Cell[] };
  });
}
