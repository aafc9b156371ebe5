// The rows of a job's partition calendar: one per local day, a lettered cell per local hour (23, 24 or 25, so
// not by colour only), the day's own status and its re-run button. The server's first paint and the
// browser's updates both use them.
import { actionButton, badge, runPath } from './parts.js';
import { h, type Child, type Tree } from './tree.js';
import type { CalendarDayJson, PartitionStateJson, PartitionStatusName } from './wire.js';

/** The letter of each status (as `etl partitions` prints without colour). */
export const PARTITION_LETTERS: Readonly<Record<PartitionStatusName, string>> = { missing: '.', queued: 'q', running: 'r', success: 'S', failed: 'F', skipped: '-' };

/** The tooltip of a cell: key, status, run, attempts, reason. */
export function cellTitle(state: PartitionStateJson): string {
  const parts = [state.key, state.status];
  if (state.runId !== null) parts.push(`run #${state.runId}`);
  if (state.attempts > 1) parts.push(`${state.attempts} attempts`);
  if (state.reason !== null && state.reason !== '') parts.push(state.reason);
  return parts.join(' · ');
}

export function rerunPath(job: string, key: string): string {
  return `/api/jobs/${encodeURIComponent(job)}/partitions/${encodeURIComponent(key)}/run`;
}

/** Hour columns of the calendar: 24, or 25 when it holds a fall-back day. */
export function calendarColumns(days: readonly CalendarDayJson[]): number {
  return Math.max(24, ...days.map((d) => d.hours.length));
}

function hourCell(state: PartitionStateJson): Tree {
  return h('td', { class: `pc ps-${state.status}`, 'data-key': state.key, 'data-run': state.runId, title: cellTitle(state) }, PARTITION_LETTERS[state.status]);
}

/** The day cell's content: its status, and its run. */
function dayStatus(state: PartitionStateJson): Child[] {
  return [badge(state.status, 'ps'), ...(state.runId === null ? [] : [' ', h('a', { href: runPath(state.runId) }, `#${state.runId}`)])];
}

export function dayRow(job: string, day: CalendarDayJson, columns: number): Tree {
  const gap = columns - day.hours.length;
  const { day: state } = day;
  return h(
    'tr',
    { 'data-day': day.date },
    h('th', { class: 'pc-date' }, day.date, day.hours.length === 24 ? null : [' ', h('span', { class: 'muted small' }, `${day.hours.length} h`)]),
    day.hours.map(hourCell),
    gap > 0 ? h('td', { class: 'pc-gap', colspan: gap }) : null,
    h('td', { class: 'pc-day', 'data-key': state.key, 'data-run': state.runId, title: cellTitle(state) }, dayStatus(state)),
    h('td', null, actionButton(rerunPath(job, state.key), 'rerun', 'Re-run', state.key)),
  );
}
