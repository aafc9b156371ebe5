// Event names and dimension values as metric name parts in SQL: the exact twin of metricNamePart (metrics/).
//
// The rule (metricNamePart): lower-cased (String.prototype.toLowerCase), then every UTF-16 code unit other than
// [a-z0-9_-] replaced by '_'. The SQL twin gives the same text for every string PostgreSQL can hold (a UTF-8
// database): ASCII letters are lowered by translate() (never lower(), whose result depends on the collation);
// the only other characters whose lower case holds [a-z0-9_-] are U+0130 (İ -> 'i̇', so 'i_') and U+212A
// (Kelvin sign -> 'k'); a character beyond the BMP is two UTF-16 code units, so '__'; any other one is '_'.
// event-names.test.ts checks the twin against metricNamePart for every Unicode code point.

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const KEPT = 'abcdefghijklmnopqrstuvwxyz0123456789_-';

/** The SQL expression of metricNamePart applied to the text expression `text` (evaluated once per use). */
export function metricNameSql(text: string): string {
  const specials = `replace(replace(${text}, chr(304), 'i_'), chr(8490), 'k')`;
  const astral = `regexp_replace(translate(${specials}, '${UPPER}', '${UPPER.toLowerCase()}'), '[\\U00010000-\\U0010FFFF]', '__', 'g')`;
  return `regexp_replace(${astral}, '[^${KEPT}]', '_', 'g')`;
}

/**
 * The SQL condition "`text` is empty or only whitespace", as `text.trim() === ''` in JavaScript: the characters
 * String.prototype.trim removes (Unicode White_Space and U+FEFF), named by escapes so no locale is involved.
 */
export function isBlankSql(text: string): string {
  return `${text} ~ '^[\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]*$'`;
}
