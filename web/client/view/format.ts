// Texts the pages show, the same on the server's first paint and in the browser's updates: durations (the
// project's one formatDuration, graph/duration.ts, which imports nothing so the browser build includes it),
// node counts, instants in UTC and "ago".
import { formatDuration } from '../../../graph/duration.js';
import type { NodeJson, SpanJson } from './wire.js';

/** How long a run or node took, or has been running: '' before it started. */
export function spanDuration(span: SpanJson, now = Date.now()): string {
  if (span.startedAt === null) return '';
  return formatDuration((span.finishedAt ?? now) - span.startedAt);
}

/** `in 12 out 10 err 2` */
export function countsText(node: Pick<NodeJson, 'in' | 'out' | 'err'>): string {
  return `in ${node.in} out ${node.out} err ${node.err}`;
}

/** A real instant (not null, 0 or NaN). */
export function isInstant(ms: number | null | undefined): ms is number {
  return ms !== null && ms !== undefined && ms !== 0 && Number.isFinite(ms);
}

/** '2026-03-01 12:00:00 UTC' */
export function utcText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** '12s ago', 'in 5 min', '3 h ago', '2 d ago'. */
export function ago(ms: number, now = Date.now()): string {
  const d = now - ms;
  const a = Math.abs(d);
  let t: string;
  if (a < 45_000) t = `${Math.round(a / 1000)}s`;
  else if (a < 2_700_000) t = `${Math.round(a / 60_000)} min`;
  else if (a < 129_600_000) t = `${Math.round(a / 3_600_000)} h`;
  else t = `${Math.round(a / 86_400_000)} d`;
  return d < 0 ? `in ${t}` : `${t} ago`;
}
