// The dashboards list as a view tree: title (a link), description, tags, where it comes from and whether it is
// public; a file that does not load: its name and its error.
import type { DashboardEntryJson } from '../view/dashboard-wire.js';
import { h, type Tree } from '../view/tree.js';

export function dashboardPath(uid: string): string {
  return `/dashboards/${encodeURIComponent(uid)}`;
}

export function publicDashboardPath(uid: string): string {
  return `/public/${encodeURIComponent(uid)}`;
}

/** A file that does not load: its name and why. */
function brokenRow(entry: DashboardEntryJson): Tree {
  return h(
    'tr',
    { class: 'broken' },
    h('td', null, entry.title),
    h('td', { class: 'error-text' }, entry.error ?? ''),
    h('td', null),
    h('td', null, h('span', { class: `badge src-${entry.source}` }, entry.source)),
    h('td', null),
  );
}

export function dashboardRow(entry: DashboardEntryJson): Tree {
  if (entry.error !== undefined) return brokenRow(entry);
  return h(
    'tr',
    { 'data-uid': entry.uid },
    h('td', null, h('a', { class: 'job-name', href: dashboardPath(entry.uid) }, entry.title === '' ? entry.uid : entry.title)),
    h('td', { class: 'muted' }, entry.description),
    h('td', null, entry.tags.map((tag) => h('span', { class: 'tag' }, tag))),
    h('td', null, h('span', { class: `badge src-${entry.source}` }, entry.source)),
    h('td', null, entry.public ? h('a', { href: publicDashboardPath(entry.uid), title: 'the page anyone may open, no token' }, 'public') : h('span', { class: 'muted' }, '—')),
  );
}
