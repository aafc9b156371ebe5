// Text that becomes one part of a dotted metric name (an event name, a label or dimension value): the one rule.

/**
 * `text` as a metric name part: lower-cased (String.prototype.toLowerCase), then every UTF-16 code unit other
 * than [a-z0-9_-] replaced by '_' (`Sign Up` -> `sign_up`, `Example.COM` -> `example_com`), so it never adds a
 * level to the dotted name. readers/event-names.ts holds its SQL twin.
 */
export function metricNamePart(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
}
