// Screens a client's statements before PGlite sees them: COPY FROM (which would stall the holder) becomes an error.
import { cstring, message } from './wire-messages.js';

const REFUSED_COPY = `DO $refused$BEGIN RAISE EXCEPTION USING ERRCODE = 'feature_not_supported', MESSAGE = 'COPY FROM is not supported through the shared embedded database (it would stop the process that holds it)', HINT = 'write the rows with INSERT, or run this in the process that holds the database'; END$refused$`;

/** COPY FROM (STDIN, a file, a program) leaves PGlite spinning or out of step; COPY ... TO STDOUT works. */
export function isRefusedCopy(sql: string): boolean {
  return sql.split(';').some((part) => /\bcopy\b/i.test(part) && !(/\bto\s+stdout\b/i.test(part) && !/\bstdin\b|\bprogram\b|\/dev\/blob/i.test(part)));
}

/** `frame` as passed to PGlite: a Query or Parse of a refused COPY becomes one that raises a clear error. */
export function screen(frame: Buffer): Buffer {
  const type = String.fromCharCode(frame[0]!);
  if (type === 'Q') {
    return isRefusedCopy(frame.toString('utf8', 5, frame.length - 1)) ? message('Q', cstring(REFUSED_COPY)) : frame;
  }
  if (type === 'P') {
    const nameEnd = frame.indexOf(0, 5);
    const textEnd = nameEnd < 0 ? -1 : frame.indexOf(0, nameEnd + 1);
    if (textEnd > 0 && isRefusedCopy(frame.toString('utf8', nameEnd + 1, textEnd))) {
      return message('P', Buffer.concat([frame.subarray(5, nameEnd + 1), cstring(REFUSED_COPY), Buffer.alloc(2)]));
    }
  }
  return frame;
}
