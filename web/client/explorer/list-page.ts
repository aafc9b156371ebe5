// The metric list in the browser: the search box filters as one types (the same API and row views as the
// server's first paint), the prefix kept in the URL (?prefix=). body[data-list-state] 'ready' after each answer.
import { byId, say } from '../dom.js';
import { getJson } from '../get-json.js';
import type { MetricListJson } from '../view/explorer-wire.js';
import { metricRows } from './list-view.js';
import { render } from './svg-dom.js';

const fetchList = (query: URLSearchParams): Promise<MetricListJson> => getJson<MetricListJson>(`/api/metrics?${query.toString()}`);

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
