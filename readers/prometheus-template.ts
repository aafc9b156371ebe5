// Metric name templates ('http.requests.{site}'): parsed once, filled from a series' labels.
import { metricNamePart } from '../metrics/metric-name.js';

/** A parsed template: literal text and label placeholders, in order. */
export type TemplatePart = { readonly text: string } | { readonly label: string };

const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Parses `template`; throws a TypeError on an empty placeholder, a bad label name or a stray brace. */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    const close = template.indexOf('}', i);
    if (close !== -1 && (open === -1 || close < open)) throw new TypeError(`unmatched '}' at position ${close}`);
    if (open === -1) {
      parts.push({ text: template.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: template.slice(i, open) });
    const end = template.indexOf('}', open);
    if (end === -1) throw new TypeError(`unmatched '{' at position ${open}`);
    const label = template.slice(open + 1, end);
    if (!LABEL_RE.test(label)) throw new TypeError(`'{${label}}' is not a label placeholder (label names match [a-zA-Z_][a-zA-Z0-9_]*)`);
    parts.push({ label });
    i = end + 1;
  }
  return parts;
}

/**
 * Fills the placeholders from `labels`, each value as a metric name part ('Example.COM' -> 'example_com', so a
 * value never adds a level to the dotted name). Returns the name, or `{ missing }` naming the first placeholder
 * whose label the series does not have (Prometheus treats an empty label as no label).
 */
export function fillTemplate(parts: readonly TemplatePart[], labels: Readonly<Record<string, string>>): string | { missing: string } {
  let name = '';
  for (const part of parts) {
    if ('text' in part) {
      name += part.text;
      continue;
    }
    const value = labels[part.label];
    if (value === undefined || value === '') return { missing: part.label };
    name += metricNamePart(value);
  }
  return name;
}
