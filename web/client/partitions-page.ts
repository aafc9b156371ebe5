// The job page's partition calendar: its rows re-rendered from each `partitions` event (the same view as the
// server's), the counts, and the detail line of the cell clicked last (its status, run and a re-run of it).
import { byId, replace } from './dom.js';
import { calendarColumns, dayRow, rerunPath } from './view/calendar-rows.js';
import { actionButton, badge, muted, runPath } from './view/parts.js';
import { h } from './view/tree.js';
import type { CalendarJson } from './view/wire.js';

function cell(calendar: Element, key: string): HTMLElement | undefined {
  return [...calendar.querySelectorAll<HTMLElement>('td[data-key]')].find((td) => td.dataset.key === key);
}

/** A cell's status: the class of an hour cell, the badge of a day cell. */
function cellStatus(td: HTMLElement): string {
  const pattern = /(?:^| )ps-([a-z]+)/;
  const match = pattern.exec(td.className) ?? pattern.exec(td.querySelector('.badge')?.className ?? '');
  return match?.[1] ?? 'missing';
}

/** Attempts and reason: the tooltip after key and status, without the run. */
function cellNote(td: HTMLElement): string {
  return td.title.split(' · ').slice(2).filter((part) => !part.startsWith('run #')).join(' · ');
}

function showDetail(calendar: HTMLElement, key: string): void {
  const td = cell(calendar, key);
  const detail = byId('pc-detail');
  if (td === undefined || detail === null) return;
  for (const other of calendar.querySelectorAll('td[data-key].selected')) other.classList.remove('selected');
  td.classList.add('selected');
  const run = td.dataset.run;
  const status = cellStatus(td);
  const label = key.length > 10 ? 'Re-run this hour' : 'Re-run this day';
  replace(detail, [
    badge(status, 'ps'), ' ', h('code', null, key), ' ', cellNote(td), ' ',
    run === undefined ? muted('never run') : h('a', { href: runPath(Number(run)) }, `open run #${run}`), ' ',
    actionButton(rerunPath(calendar.dataset.job ?? '', key), 'rerun', label, key),
  ]);
  detail.className = 'pc-detail';
}

/** Wires the calendar of the page (if it has one): clicks on its cells; returns how to render an update. */
export function partitionCalendar(): ((data: CalendarJson) => void) | undefined {
  const calendar = byId('partitions');
  if (calendar === null) return undefined;
  let selected: string | undefined;
  calendar.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const td = target?.closest<HTMLElement>('td[data-key]');
    if (td?.dataset.key === undefined || target?.closest('a')) return;
    selected = td.dataset.key;
    showDetail(calendar, selected);
  });
  return (data) => {
    const columns = calendarColumns(data.days);
    replace(byId('pc-days'), data.days.map((day) => dayRow(data.job, day, columns)));
    for (const li of calendar.querySelectorAll<HTMLElement>('#pc-counts li[data-status]')) {
      const count = li.querySelector('b');
      if (count !== null) count.textContent = String(data.counts[li.dataset.status ?? ''] ?? 0);
    }
    if (selected !== undefined) showDetail(calendar, selected);
    document.body.dataset.partitionsAt = String(Date.now());
  };
}
