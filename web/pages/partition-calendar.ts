// The job page's partition calendar: the counts, earlier/later links, the rows (one per local day, the view
// the browser re-renders from the `partitions` stream: web/client/view/calendar-rows.ts), the detail line and
// the backfill form.
import { html } from 'hono/html';
import type { PartitionCalendar } from '../../runtime/partitions.js';
import { PARTITION_STATUSES } from '../../runs/partition-store.js';
import { calendarColumns, dayRow, PARTITION_LETTERS } from '../client/view/calendar-rows.js';
import { markup } from './markup.js';
import { pathFor, shown, type Html } from './render.js';

export interface CalendarView {
  readonly calendar: PartitionCalendar;
  /** Today in the calendar's time zone: no "later" link past it. */
  readonly today: string;
  /** Why the range asked for was not shown (a bad from/to): the default range is shown instead. */
  readonly error?: string;
}

/** `date` moved by `days` (calendar arithmetic, zone-free). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function dayCount(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
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
  const columns = calendarColumns(calendar.days);
  const base = pathFor('job', calendar.job);
  return html`<section id="partitions" class="partitions" data-job="${calendar.job}" data-from="${calendar.from}" data-to="${calendar.to}">
<h2>Partitions</h2>
${view.error === undefined ? '' : html`<p class="error-text" role="alert">${shown(view.error)}</p>`}
${navigation(view, base)}
${counts(calendar)}
<div class="grid-wrap"><table class="pcal">
<thead><tr><th class="pc-date">day \\ hour</th>${Array.from({ length: columns }, (_, i) => html`<th>${i < 24 && i % 3 === 0 ? String(i).padStart(2, '0') : ''}</th>`)}<th>day</th><th></th></tr></thead>
<tbody id="pc-days">${markup(calendar.days.map((day) => dayRow(calendar.job, day, columns)))}</tbody>
</table></div>
<p id="pc-detail" class="pc-detail muted">Click an hour for its run and a re-run of that hour.</p>
<h3>Backfill</h3>
${backfillForm(view)}
</section>`;
}
