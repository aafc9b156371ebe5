// setFields: names positional values (Bonobo's SetFields): ['2026-01-01', 3] -> { date: '2026-01-01', count: 3 }.
import { transform, type TransformNode } from '../node.js';

export type Fields<K extends readonly string[]> = { [P in K[number]]: unknown };

export function setFields<const K extends readonly string[]>(fields: K): TransformNode<readonly unknown[], Fields<K>> {
  if (!Array.isArray(fields) || fields.length === 0) throw new TypeError('setFields: expected a non-empty list of field names');
  const names = [...fields];
  return transform(
    (row: readonly unknown[]) => {
      if (!Array.isArray(row)) throw new TypeError(`setFields: expected an array row of ${names.length} values, got ${typeof row}`);
      if (row.length !== names.length) throw new TypeError(`setFields: expected ${names.length} values (${names.join(', ')}), got ${row.length}`);
      const out: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) out[names[i]!] = row[i];
      return out as Fields<K>;
    },
    { label: `setFields ${names.join(', ')}` },
  );
}
