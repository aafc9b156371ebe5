// The metric list in the browser: the search box filters as one types (the same API and row views as the
// server's first paint), the prefix kept in the URL (?prefix=). body[data-list-state] 'ready' after each answer.
import { byId, say } from '../dom.js';
import type { MetricListJson } from '../view/explorer-wire.js';
import { metricRows } from './list-view.js';
import { render } from './svg-dom.js';

async function fetchList(query: URLSearchParams): Promise<MetricListJson> {
  const res = await fetch(`/api/metrics?${query.toString()}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  const json: unknown = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(typeof (json as { error?: unknown }).error === 'string' ? (json as { error: string }).error : `HTTP ${res.status}`);
  return json as MetricListJson;
}

/** The page's query with `prefix` (removed when empty). */
function queryFor(prefix: string): URLSearchParams {
  const query = new URLSearchParams(location.search);
  if (prefix === '') query.delete('prefix');
  else query.set('prefix', prefix);
  return query;
}

export function startMetricList(): void {
  const form = byId('metric-search') as HTMLFormElement | null;
  const input = form?.querySelector<HTMLInputElement>('input[name="prefix"]') ?? null;
  const body = byId('metrics');
  if (form === null || input === null || body === null) return;
  let asked = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const search = async (): Promise<void> => {
    const ticket = ++asked;
    const prefix = input.value;
    const query = queryFor(prefix);
    document.body.dataset.listState = 'loading';
    try {
      const list = await fetchList(query);
      if (ticket !== asked) return;
      render(body, metricRows(list.metrics, prefix));
      const text = query.toString();
      history.replaceState(null, '', `${location.pathname}${text === '' ? '' : `?${text}`}`);
    } catch (error) {
      say(`metrics: ${error instanceof Error ? error.message : String(error)}`, true);
    } finally {
      if (ticket === asked) document.body.dataset.listState = 'ready';
    }
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void search(), 200);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    void search();
  });
  // Text typed before this module loaded.
  if (input.value !== (new URLSearchParams(location.search).get('prefix') ?? '')) void search();
  else document.body.dataset.listState = 'ready';
}
