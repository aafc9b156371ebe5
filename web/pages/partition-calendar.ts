// The job page's partition calendar: one row per local day, one cell per local hour (23, 24 or 25), coloured
// by status and lettered (not colour only), the day's own status and a re-run button at the row end, the
// counts, earlier/later links and the backfill form. The script updates the cells from the `partitions` stream.
import { html } from 'hono/html';
import type { CalendarDay, PartitionCalendar } from '../../runtime/partitions.js';
import { PARTITION_STATUSES, type PartitionState, type PartitionStatus } from '../../runs/partition-store.js';
import { pathFor, shown, type Html } from './render.js';

/** The letter of each status (the same as `etl partitions` prints without colour). */
export const PARTITION_LETTERS: Readonly<Record<PartitionStatus, string>> = { missing: '.', queued: 'q', running: 'r', success: 'S', failed: 'F', skipped: '-' };

export interface CalendarView {
  readonly calendar: PartitionCalendar;
  /** Today in the calendar's time zone: no "later" link past it. */
  readonly today: string;
  /** Why the range asked for was not shown (a bad from/to): the default range is shown instead. */
  readonly error?: string;
}

/** The tooltip of a cell: key, status, run, attempts, reason. */
export function cellTitle(state: PartitionState): string {
  const parts = [state.key, state.status];
  if (state.runId !== null) parts.push(`run #${state.runId}`);
  if (state.attempts > 1) parts.push(`${state.attempts} attempts`);
  if (state.reason !== null && state.reason !== '') parts.push(shown(state.reason));
  return parts.join(' · ');
}

/** `date` moved by `days` (calendar arithmetic, zone-free). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function dayCount(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

function rerunPath(job: string, key: string): string {
  return `/api/jobs/${encodeURIComponent(job)}/partitions/${encodeURIComponent(key)}/run`;
}

function hourCell(state: PartitionState): Html {
  return html`<td class="pc ps-${state.status}" data-key="${state.key}"${state.runId === null ? '' : html` data-run="${state.runId}"`} title="${cellTitle(state)}">${PARTITION_LETTERS[state.status]}</td>`;
}

function dayStatus(state: PartitionState): Html {
  return html`<span class="badge ps-${state.status}">${state.status}</span>${state.runId === null ? '' : html` <a href="${pathFor('run', state.runId)}">#${state.runId}</a>`}`;
}

function dayRow(job: string, day: CalendarDay, columns: number): Html {
  const gap = columns - day.hours.length;
  return html`<tr data-day="${day.date}"><th class="pc-date">${day.date}${day.hours.length === 24 ? '' : html` <span class="muted small">${day.hours.length} h</span>`}</th>${day.hours.map(hourCell)}${gap > 0 ? html`<td class="pc-gap" colspan="${gap}"></td>` : ''}<td class="pc-day" data-key="${day.day.key}"${day.day.runId === null ? '' : html` data-run="${day.day.runId}"`} title="${cellTitle(day.day)}">${dayStatus(day.day)}</td><td><button type="button" data-post="${rerunPath(job, day.day.key)}" data-kind="rerun" data-key="${day.day.key}">Re-run</button></td></tr>`;
}

function counts(calendar: PartitionCalendar): Html {
  return html`<ul class="pc-legend" id="pc-counts">${PARTITION_STATUSES.map(
    (s) => html`<li data-status="${s}"><span class="pc ps-${s}">${PARTITION_LETTERS[s]}</span> ${s} <b>${calendar.counts[s] ?? 0}</b></li>`,
  )}</ul>`;
}

function navigation(view: CalendarView, base: string): Html {
  const { from, to } = view.calendar;
  const span = dayCount(from, to);
  const earlier = `${base}?from=${addDays(from, -span)}&to=${addDays(from, -1)}`;
  const laterTo = addDays(to, span) > view.today ? view.today : addDays(to, span);
  const later = to < view.today ? `${base}?from=${addDays(to, 1)}&to=${laterTo}` : undefined;
  return html`<p class="pc-nav"><a rel="prev" href="${earlier}">← earlier</a> <strong>${from} … ${to}</strong> <span class="muted">(${span} day${span === 1 ? '' : 's'}, ${view.calendar.timeZone})</span>${later === undefined ? '' : html` <a rel="next" href="${later}">later →</a>`}</p>`;
}

function backfillForm(view: CalendarView): Html {
  const { job, from, to } = view.calendar;
  return html`<form id="backfill" class="filters backfill" method="get" data-post="/api/jobs/${encodeURIComponent(job)}/backfill">
<label>From <input type="date" name="from" value="${from}" required></label>
<label>To <input type="date" name="to" value="${to}" max="${view.today}" required></label>
<label>Grain <select name="grain"><option value="day">day</option><option value="hour">hour</option></select></label>
<label>Only <select name="only"><option value="">all</option><option value="failed">failed</option><option value="missing">missing</option></select></label>
<button type="submit">Backfill</button>
</form>
<p id="backfill-result" class="pc-result" role="status"></p>`;
}

/** The whole section (heading, navigation, counts, calendar, detail line, backfill form). */
export function partitionSection(view: CalendarView): Html {
  const { calendar } = view;
  const columns = Math.max(24, ...calendar.days.map((d) => d.hours.length));
  const base = pathFor('job', calendar.job);
  return html`<section id="partitions" class="partitions" data-job="${calendar.job}" data-from="${calendar.from}" data-to="${calendar.to}">
<h2>Partitions</h2>
${view.error === undefined ? '' : html`<p class="error-text" role="alert">${shown(view.error)}</p>`}
${navigation(view, base)}
${counts(calendar)}
<div class="grid-wrap"><table class="pcal">
<thead><tr><th class="pc-date">day \\ hour</th>${Array.from({ length: columns }, (_, i) => html`<th>${i < 24 && i % 3 === 0 ? String(i).padStart(2, '0') : ''}</th>`)}<th>day</th><th></th></tr></thead>
<tbody>${calendar.days.map((day) => dayRow(calendar.job, day, columns))}</tbody>
</table></div>
<p id="pc-detail" class="pc-detail muted">Click an hour for its run and a re-run of that hour.</p>
<h3>Backfill</h3>
${backfillForm(view)}
</section>`;
}
