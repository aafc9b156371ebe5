// A row of the jobs table: name and description, schedule in words, next firing, last run, the last runs as
// squares, paused state and the actions. The server's first paint and the browser's updates both use it.
import { spanDuration } from './format.js';
import { actionButton, badge, instant, jobPath, muted, runPath } from './parts.js';
import { h, type Child, type Tree } from './tree.js';
import type { JobSummaryJson } from './wire.js';

function scheduleCell(schedule: JobSummaryJson['schedule']): Child[] {
  if (schedule === null) return [muted('manual')];
  const zone = schedule.timeZone === 'UTC' ? '' : ` (${schedule.timeZone})`;
  return [h('code', null, schedule.cron), h('div', { class: 'small' }, `${schedule.text}${zone}`)];
}

function lastRunCell(last: JobSummaryJson['lastRun']): Child[] {
  if (last === null) return [muted('never')];
  return [h('a', { href: runPath(last.id) }, badge(last.status)), ' ', instant(last.startedAt ?? last.queuedAt), ' ', h('span', { class: 'small muted' }, spanDuration(last))];
}

/** Trigger, and Pause or Resume. */
export function jobActions(job: Pick<JobSummaryJson, 'name' | 'paused'>): Tree[] {
  const base = `/api/jobs/${encodeURIComponent(job.name)}`;
  return [actionButton(`${base}/trigger`, 'trigger', 'Trigger'), job.paused ? actionButton(`${base}/resume`, 'resume', 'Resume') : actionButton(`${base}/pause`, 'pause', 'Pause')];
}

export function jobRow(job: JobSummaryJson): Tree {
  const { schedule, paused } = job;
  return h(
    'tr',
    { 'data-job': job.name, class: paused ? 'paused' : '' },
    h('td', null, h('a', { class: 'job-name', href: jobPath(job.name) }, job.name), h('div', { class: 'muted small' }, job.description)),
    h('td', null, scheduleCell(schedule)),
    h('td', null, schedule === null || paused ? muted(paused ? 'paused' : '—') : instant(schedule.next)),
    h('td', null, lastRunCell(job.lastRun)),
    h('td', { class: 'squares' }, job.recent.map((r) => h('a', { class: `sq st-${r.status}`, href: runPath(r.id), title: `run #${r.id}: ${r.status}` }))),
    h('td', { class: 'state' }, paused ? h('span', { class: 'badge st-paused' }, 'paused') : muted('active')),
    h('td', { class: 'actions' }, jobActions(job)),
  );
}
