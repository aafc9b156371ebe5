// GET of the UI's JSON API from the browser: the answer, or an Error carrying the API's own `{ error }` text.

/** The JSON answer of `url` (same-origin credentials); a non-2xx answer throws its `error` text, else `HTTP <status>`. */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' }, ...(signal === undefined ? {} : { signal }) });
  const json: unknown = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(typeof (json as { error?: unknown }).error === 'string' ? (json as { error: string }).error : `HTTP ${res.status}`);
  return json as T;
}
