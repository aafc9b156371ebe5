// The events reader's names: each event's metric name part, blank names as row errors, merged names found and told.
import type { NodeContext } from '../graph/node.js';
import { metricNamePart } from '../metrics/metric-name.js';
import type { AggregateRow, EventKeys } from './events-sql.js';
import { ReaderError } from './reader-errors.js';

const READER = 'events';

/** `'a'`, `'a' and 'b'`, `'a', 'b' and 'c'`: raw names for messages. */
export function quotedList(names: readonly string[]): string {
  const quoted = names.map((n) => `'${n}'`);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

/** An event name that is empty or only whitespace: it names nothing and cannot become a metric name part. */
const isEmptyName = (event: string): boolean => event.trim() === '';

/** Blank names are a row error, once per raw name, and are dropped (''). */
function skipEmptyNames(rows: readonly AggregateRow[], names: Map<string, string>, ctx: NodeContext): void {
  const found = new Map<string, { count: number; dates: Set<string>; row: AggregateRow }>();
  for (const row of rows) {
    if (!isEmptyName(row.event) || names.has(row.event)) continue;
    const seen = found.get(row.event) ?? { count: 0, dates: new Set<string>(), row };
    found.set(row.event, seen);
    seen.count += Number(row.count);
    seen.dates.add(row.date);
  }
  for (const [event, { count, dates, row }] of found) {
    const sorted = [...dates].sort();
    const on = sorted.length === 1 ? `on ${sorted[0]}` : `from ${sorted[0]} to ${sorted.at(-1)}`;
    const what = `${JSON.stringify(event)}: ${count} event${count === 1 ? '' : 's'} ${on}`;
    ctx.reportError(new ReaderError(READER, `reader '${READER}': an event has an empty name (${what}) — skipped`), row);
    names.set(event, '');
  }
}

/** The metric name part of a statement's event (a raw name, or the part of merged ones): '' when blank. */
const partOf = (event: string): string => (isEmptyName(event) ? '' : metricNamePart(event));

/**
 * The metric name part of every event of `configured` (raw names from the options) and of `grains` (the
 * aggregate rows), '' for a blank one (reported once per raw name).
 */
export function nameEvents(configured: readonly string[], grains: ReadonlyArray<readonly AggregateRow[]>, ctx: NodeContext): Map<string, string> {
  const names = new Map<string, string>();
  for (const raw of configured) names.set(raw, partOf(raw));
  for (const rows of grains) {
    skipEmptyNames(rows, names, ctx);
    for (const row of rows) if (!names.has(row.event)) names.set(row.event, partOf(row.event));
  }
  return names;
}

/** The raw names of rows grouped by raw name that share a metric name part with another one, and that part. */
export function mergedKeys(rows: readonly AggregateRow[]): EventKeys {
  const byPart = new Map<string, Set<string>>();
  for (const { event } of rows) {
    const part = partOf(event);
    if (part === '') continue;
    const raw = byPart.get(part) ?? new Set<string>();
    byPart.set(part, raw);
    raw.add(event);
  }
  const merged = [...byPart].filter(([, raw]) => raw.size > 1);
  return { raw: merged.flatMap(([, raw]) => [...raw]), keys: merged.flatMap(([part, raw]) => [...raw].map(() => part)) };
}

/** Both grains' merged names as one mapping (a raw name has one part, so the union is a mapping too). */
export function unionKeys(a: EventKeys, b: EventKeys): EventKeys {
  const map = new Map<string, string>();
  for (const k of [a, b]) k.raw.forEach((raw, i) => map.set(raw, k.keys[i] ?? ''));
  return { raw: [...map.keys()], keys: [...map.values()] };
}

/** The notices of raw names merged into one metric name (`Sign Up` and `sign_up` -> `events.sign_up`), one per part. */
export function mergeNotices(merged: EventKeys): string[] {
  const byPart = new Map<string, string[]>();
  merged.raw.forEach((raw, i) => {
    const part = merged.keys[i] ?? '';
    byPart.set(part, [...(byPart.get(part) ?? []), raw]);
  });
  return [...byPart].map(
    ([part, raw]) =>
      `reader '${READER}': events ${quotedList([...raw].sort(byCodeUnit))} are one metric name, events.${part}: ` +
      `their counts are added, their users (distinct) and durations taken over all of them`,
  );
}

/** Byte order of UTF-16 code units (the same for every locale). */
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
