// Event rows in COPY's binary format (the columns of COLLECTOR_COLUMNS, in order): PostgreSQL reads timestamps as
// 8-byte integers and text without unescaping it, about a third less of its time than parsing the text format.
import type { EventRow } from './event-row.js';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;
const FIELDS = 12;
/** jsonb's binary input: a version byte, then the JSON text. */
const JSONB_VERSION = 1;

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
  const instant = (iso: string): void => {
    at = out.writeInt32BE(8, at);
    at = out.writeBigInt64BE(BigInt(Date.parse(iso) - PG_EPOCH_MS) * 1000n, at);
  };
  for (const r of rows) {
    at = out.writeInt16BE(FIELDS, at);
    text(r.message_id);
    instant(r.created_at);
    text(r.event);
    text(r.user_id);
    text(r.anonymous_id);
    if (r.duration_ms === null) at = out.writeInt32BE(-1, at);
    else at = out.writeDoubleBE(r.duration_ms, out.writeInt32BE(8, at));
    jsonb(r.properties);
    text(r.write_key);
    instant(r.received_at);
    text(r.type);
    jsonb(r.context ?? null);
    jsonb(r.integrations ?? null);
  }
  at = out.writeInt16BE(-1, at);
  return out.subarray(0, at);
}
