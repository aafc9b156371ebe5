// Small pieces every page uses: links to a job and a run, a status badge, an instant, a muted text, an action button.
import { isInstant, utcText } from './format.js';
import { h, type Tree } from './tree.js';

export function jobPath(name: string): string {
  return `/jobs/${encodeURIComponent(name)}`;
}

export function runPath(id: number): string {
  return `/runs/${id}`;
}

/** A run or node status (`st-`), or a partition status (`ps-`). */
export function badge(status: string, group: 'st' | 'ps' = 'st'): Tree {
  return h('span', { class: `badge ${group}-${status}` }, status);
}

export function muted(text: string): Tree {
  return h('span', { class: 'muted' }, text);
}

/** An instant in UTC; the browser rewrites every `time[data-ts]` in local time with "ago". A dash when there is none. */
export function instant(ms: number | null | undefined): Tree {
  if (!isInstant(ms)) return muted('—');
  return h('time', { datetime: new Date(ms).toISOString(), 'data-ts': ms }, utcText(ms));
}

/** A button the browser turns into a POST of `path` (with the X-ETL-UI header); `kind` says what the answer means. */
export function actionButton(path: string, kind: string, label: string, key?: string): Tree {
  return h('button', { type: 'button', 'data-post': path, 'data-kind': kind, 'data-key': key }, label);
}
