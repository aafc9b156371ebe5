// Quoting SQL identifiers (table, column and schema names from configuration), so they can never become SQL:
// the one quoting of the project, for the readers' source tables and the metrics database's schema alike.
// It imports no other project module, so readers and writers may both use it.

const MAX_IDENTIFIER_BYTES = 63;

function quotePart(part: string, whole: string, kind = 'identifier'): string {
  if (part === '') throw new TypeError(`invalid SQL ${kind} ${JSON.stringify(whole)}: empty name part`);
  if (part.includes('\0')) throw new TypeError(`invalid SQL ${kind} ${JSON.stringify(whole)}: contains a NUL character`);
  if (Buffer.byteLength(part) > MAX_IDENTIFIER_BYTES) {
    throw new TypeError(`invalid SQL ${kind} ${JSON.stringify(whole)}: longer than ${MAX_IDENTIFIER_BYTES} bytes`);
  }
  return `"${part.replaceAll('"', '""')}"`;
}

/**
 * A name as a quoted SQL identifier, the PostgreSQL way (as pg's escapeIdentifier, embedded quotes doubled):
 * `occurred_at` -> `"occurred_at"`, `a"b` -> `"a""b"`. Quoted names are case-sensitive (`Users` is not
 * `users`). Throws a TypeError for what PostgreSQL would not keep as given: an empty name, a NUL character,
 * more than 63 bytes (PostgreSQL would silently cut it), or not a string.
 */
export function quoteIdentifier(name: string): string {
  if (typeof name !== 'string') throw new TypeError(`invalid SQL identifier ${JSON.stringify(name)}: not a string`);
  return quotePart(name, name);
}

/** A table name, optionally schema-qualified (`schema.table`), as quoted SQL: `"schema"."table"`. */
export function quoteTableName(name: string): string {
  if (typeof name !== 'string') throw new TypeError(`invalid SQL table name ${JSON.stringify(name)}: not a string`);
  const parts = name.split('.');
  if (parts.length > 2) throw new TypeError(`invalid SQL table name ${JSON.stringify(name)}: use 'table' or 'schema.table'`);
  return parts.map((part) => quotePart(part, name, 'table name')).join('.');
}
