// PostgreSQL's text form of a timestamptz (DateStyle ISO: `2026-11-06 13:00:00.5+01`) to a Date without
// regular expressions: the dashboards read a time per row, and pg's default parser (postgres-date) spends more
// on its three regular expressions than the rest of the row. Anything else (BC, infinity, years before 1000 or
// past 9999, another DateStyle) goes to the default parser, so the result is always the same as its.
import pg from 'pg';

const defaultParser = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text') as (text: string) => Date | number | null;

/** The digits of text[from, to) as a number; NaN when one is not a digit. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    n = n * 10 + d;
  }
  return n;
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** `YYYY-MM-DD HH:MM:SS[.fraction]±HH[:MM[:SS]]` as a Date; the default parser for any other shape. */
export function parseTimestamptz(text: string): Date | number | null {
  if (text.length < 22 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 32 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return defaultParser(text);
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  const second = digits(text, 17, 19);
  let at = 19;
  let ms = 0;
  if (text.charCodeAt(at) === 46) {
    at += 1;
    let scale = 100;
    while (at < text.length && isDigit(text.charCodeAt(at))) {
      ms += (text.charCodeAt(at) - 48) * scale;
      scale /= 10;
      at += 1;
    }
  }
  const sign = text.charCodeAt(at) === 43 ? 1 : text.charCodeAt(at) === 45 ? -1 : 0;
  let offset = Number.NaN;
  if (sign !== 0 && at + 3 <= text.length) {
    offset = digits(text, at + 1, at + 3) * 3600;
    at += 3;
    if (text.charCodeAt(at) === 58 && at + 3 <= text.length) {
      offset += digits(text, at + 1, at + 3) * 60;
      at += 3;
    }
    if (text.charCodeAt(at) === 58 && at + 3 <= text.length) {
      offset += digits(text, at + 1, at + 3);
      at += 3;
    }
  }
  // Whole milliseconds as Date keeps them (it drops the fraction of a millisecond, as the default parser's Date does).
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, Math.trunc(ms + 1e-9));
  if (at !== text.length || year < 1000 || Number.isNaN(utc + offset)) return defaultParser(text);
  return new Date(utc - sign * offset * 1000);
}
