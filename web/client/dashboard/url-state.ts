// The dashboard's state kept in the URL as Grafana keeps it (`?from=now-7d&to=now&var-metric=events`): a
// change pushes a history entry (back and forward work, a copied link opens the same view).
import { ALL_VALUE } from './controls-view.js';

export function currentQuery(): URLSearchParams {
  return new URLSearchParams(location.search);
}

export function withRange(query: URLSearchParams, from: string, to: string): URLSearchParams {
  const next = new URLSearchParams(query);
  next.set('from', from);
  next.set('to', to);
  return next;
}

/** `values` empty: the variable's own default (the parameter removed). */
export function withVariable(query: URLSearchParams, name: string, values: readonly string[]): URLSearchParams {
  const next = new URLSearchParams(query);
  const key = `var-${name}`;
  next.delete(key);
  const chosen = values.includes(ALL_VALUE) ? [ALL_VALUE] : values;
  for (const value of chosen) next.append(key, value);
  return next;
}

/** The query as the API's (and this page's) query string: '' or '?…'. */
export function queryText(query: URLSearchParams): string {
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

/** Records `query` in the history (no entry when nothing changed). */
export function pushQuery(query: URLSearchParams): void {
  const text = queryText(query);
  if (text === location.search) return;
  history.pushState(null, '', `${location.pathname}${text}`);
}
