// Which failing checks a dashboard panel shows: the metrics a panel reads are named in its expanded SQL as
// string literals (`m.name = 'x'`, `IN ('x', 'y')`, `LIKE 'events.%.count'`, `starts_with(m.name, 'http.')`);
// each (check, metric) whose latest judged bucket failed is matched against them. A literal after NOT LIKE
// excludes what it matches. A heuristic on the text, with no false badge for a metric the SQL does not name.
import type { Check, CheckResult } from '../checks/check.js';
import { latestResults } from '../checks/results.js';
import type { PanelCheckJson } from './client/view/dashboard-wire.js';
import type { MetricsDb } from '../writers/metrics-db.js';

interface Literal {
  readonly text: string;
  /** How the SQL compares with it. */
  readonly use: 'equal' | 'like' | 'not-like' | 'prefix';
}

const LITERAL = /'((?:[^']|'')*)'/g;

function useOf(before: string): Literal['use'] {
  const tail = before.slice(-60).toLowerCase().replace(/\s+/g, ' ').trimEnd();
  if (/\bnot i?like$/.test(tail)) return 'not-like';
  if (/\bi?like$/.test(tail)) return 'like';
  if (/\bstarts_with\s?\([^(),]*,$/.test(tail)) return 'prefix';
  return 'equal';
}

/** The string literals of `sql` and how each is compared. */
export function sqlLiterals(sql: string): Literal[] {
  return [...sql.matchAll(LITERAL)].map((m) => ({ text: m[1]!.replace(/''/g, "'"), use: useOf(sql.slice(0, m.index)) }));
}

/** A LIKE pattern as a regular expression (`%` any text, `_` one character, `\` escapes). */
function likeRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) out += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') out += '.*';
    else if (c === '_') out += '.';
    else out += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}

/** Does the SQL name `metric` (an equal literal, a LIKE it fits and no NOT LIKE it fits, a prefix)? */
export function sqlNamesMetric(literals: readonly Literal[], metric: string): boolean {
  if (literals.some((l) => l.use === 'not-like' && likeRegex(l.text).test(metric))) return false;
  return literals.some((l) => (l.use === 'equal' ? l.text === metric : l.use === 'prefix' ? metric.startsWith(l.text) : l.use === 'like' && likeRegex(l.text).test(metric)));
}

/** Each (check, metric) whose latest judged bucket failed: one query, for every panel of a page. */
export async function failingResults(db: MetricsDb, checks: readonly Check[]): Promise<CheckResult[]> {
  if (checks.length === 0) return [];
  return (await latestResults(db, checks)).filter((r) => r.status === 'fail');
}

/** Of the `failing` results, those of the metrics `sql` reads. */
export function checksNamedBy(failing: readonly CheckResult[], sql: readonly string[]): PanelCheckJson[] {
  if (failing.length === 0 || sql.length === 0) return [];
  const literals = sql.flatMap(sqlLiterals);
  return failing
    .filter((r) => sqlNamesMetric(literals, r.metric))
    .map((r) => ({ check: r.check, metric: r.metric, bucketStart: r.bucketStart.getTime(), reason: r.reason }));
}

/** The failing checks (latest bucket 'fail') of the metrics `sql` reads; none without checks or SQL. */
export async function failingChecksOf(db: MetricsDb, checks: readonly Check[], sql: readonly string[]): Promise<PanelCheckJson[]> {
  if (checks.length === 0 || sql.length === 0) return [];
  return checksNamedBy(await failingResults(db, checks), sql);
}
