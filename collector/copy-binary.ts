// Event rows in COPY's binary format (the columns of COLLECTOR_COLUMNS, in order): PostgreSQL reads timestamps as
// 8-byte integers and text without unescaping it, about a third less of its time than parsing the text format.
import type { EventRow } from './event-row.js';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;
const FIELDS = 12;
const TWO_32 = 2 ** 32;
/** jsonb's binary input: a version byte, then the JSON text. */
const JSONB_VERSION = 1;

/** An ISO instant as PostgreSQL's timestamptz: microseconds since its epoch. */
const microsOf = (iso: string): number => (Date.parse(iso) - PG_EPOCH_MS) * 1000;

/** Bytes the rows can take at most (a UTF-16 unit is 3 UTF-8 bytes at most). */
function maxBytes(rows: readonly EventRow[]): number {
  let n = SIGNATURE.length + 8 + 2;
  for (const r of rows) {
    const texts = r.message_id.length + r.event.length + (r.user_id?.length ?? 0) + (r.anonymous_id?.length ?? 0) + r.properties.length + r.write_key.length + r.type.length
      + (r.context?.length ?? 0) + (r.integrations?.length ?? 0);
    n += 2 + FIELDS * 4 + 3 * 8 + 3 + 3 * texts;
  }
  return n;
}

/** The rows as one binary COPY payload (header, tuples, trailer). */
export function copyBinary(rows: readonly EventRow[]): Buffer {
  const out = Buffer.allocUnsafe(maxBytes(rows));
  let at = SIGNATURE.copy(out, 0);
  at = out.writeInt32BE(0, at); // flags
  at = out.writeInt32BE(0, at); // header extension
  const text = (value: string | null): void => {
    if (value === null) {
      at = out.writeInt32BE(-1, at);
      return;
    }
    const bytes = out.write(value, at + 4, 'utf8');
    out.writeInt32BE(bytes, at);
    at += 4 + bytes;
  };
  const jsonb = (json: string | null): void => {
    if (json === null) {
      at = out.writeInt32BE(-1, at);
      return;
    }
    const bytes = out.write(json, at + 5, 'utf8');
    at = out.writeInt32BE(bytes + 1, at);
    out[at++] = JSONB_VERSION;
    at += bytes;
  };
  // received_at is one string for all the rows of a request: parsed once per run of equal rows.
  let receivedIso = '';
  let receivedMicros = 0;
  const instant = (micros: number): void => {
    // Microseconds since 2000 as a signed 64-bit integer, written as two 32-bit halves (exact: |micros| < 2^53).
    const high = Math.floor(micros / TWO_32);
    at = out.writeInt32BE(8, at);
    at = out.writeInt32BE(high, at);
    at = out.writeUInt32BE(micros - high * TWO_32, at);
  };
  for (const r of rows) {
    at = out.writeInt16BE(FIELDS, at);
    text(r.message_id);
    instant(microsOf(r.created_at));
    text(r.event);
    text(r.user_id);
    text(r.anonymous_id);
    if (r.duration_ms === null) at = out.writeInt32BE(-1, at);
    else at = out.writeDoubleBE(r.duration_ms, out.writeInt32BE(8, at));
    jsonb(r.properties);
    text(r.write_key);
    if (r.received_at !== receivedIso) {
      receivedIso = r.received_at;
      receivedMicros = microsOf(receivedIso);
    }
    instant(receivedMicros);
    text(r.type);
    jsonb(r.context ?? null);
    jsonb(r.integrations ?? null);
  }
  at = out.writeInt16BE(-1, at);
  return out.subarray(0, at);
}
