// A template variable's options as Grafana builds them: a custom variable's comma-separated list (`a,b` or
// `label : value`), an interval variable's list, a query variable's rows (first column, or `__text` and
// `__value`), filtered by its regex, sorted by its `sort` and without duplicates.

export interface VariableOption {
  readonly text: string;
  readonly value: string;
}

/** A custom (or interval) variable's `query`: values separated by commas (`\,` is a comma), `text : value` pairs. */
export function customOptions(query: string): VariableOption[] {
  const parts = query.match(/(?:\\,|[^,])+/g) ?? [];
  return parts.map((part) => {
    const item = part.trim().replace(/\\,/g, ',');
    const pair = /^(.+?)\s:\s(.+)$/.exec(item);
    return pair === null ? { text: item, value: item } : { text: pair[1]!.trim(), value: pair[2]!.trim() };
  });
}

const show = (value: unknown): string => (value instanceof Date ? value.toISOString() : value === null || value === undefined ? '' : String(value));

/** A query variable's rows as options: `__text`/`__value` columns when present, else the first column's values. */
export function rowOptions(rows: readonly Record<string, unknown>[]): VariableOption[] {
  return rows.map((row) => {
    if ('__text' in row || '__value' in row) {
      const text = show(row.__text ?? row.__value);
      return { text, value: show(row.__value ?? row.__text) };
    }
    const first = show(Object.values(row)[0]);
    return { text: first, value: first };
  });
}

/** Grafana's variable regex (`/pattern/flags`): keeps matching options; a capture group (or `text`/`value` groups) picks the part. */
export function filterByRegex(options: readonly VariableOption[], regex: string | undefined): VariableOption[] {
  if (regex === undefined || regex === '') return [...options];
  const literal = /^\/(.*)\/([gimsuy]*)$/.exec(regex);
  const re = new RegExp(literal === null ? regex : literal[1]!, literal === null ? '' : literal[2]!.replace('g', ''));
  return options.flatMap((option) => {
    const match = re.exec(option.value);
    if (match === null) return [];
    const value = match.groups?.value ?? match[1] ?? option.value;
    return [{ text: match.groups?.text ?? (match[1] === undefined ? option.text : value), value }];
  });
}

const collator = new Intl.Collator('en');
const numberIn = (text: string): number => {
  const match = /-?\d+(\.\d+)?/.exec(text);
  return match === null ? Number.NaN : Number(match[0]);
};

/** Grafana's `sort`: 0 none, 1/2 alphabetical asc/desc, 3/4 numerical asc/desc, 5/6 case-insensitive asc/desc. */
export function sortOptions(options: readonly VariableOption[], sort: unknown): VariableOption[] {
  const sorted = [...options];
  const byText = (a: VariableOption, b: VariableOption) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);
  const byNumber = (a: VariableOption, b: VariableOption) => (numberIn(a.text) || 0) - (numberIn(b.text) || 0);
  const byFolded = (a: VariableOption, b: VariableOption) => collator.compare(a.text.toLowerCase(), b.text.toLowerCase());
  const order = { 1: byText, 2: byText, 3: byNumber, 4: byNumber, 5: byFolded, 6: byFolded }[Number(sort) as 1];
  if (order === undefined) return sorted;
  sorted.sort(order);
  return [2, 4, 6].includes(Number(sort)) ? sorted.reverse() : sorted;
}

/** Options without repeated values (the first kept). */
export function uniqueOptions(options: readonly VariableOption[]): VariableOption[] {
  const seen = new Set<string>();
  return options.filter((o) => !seen.has(o.value) && (seen.add(o.value), true));
}
