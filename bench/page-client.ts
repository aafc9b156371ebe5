// bench:dashboards' browser: a process of its own that loads a dashboard page's panels as the browser does (one
// request, one NDJSON line per panel) and parses every line, so that, as with a real browser, reading the
// answers does not share the UI server's thread. Asked by IPC: { url, panels } -> { bytes } or { error }.
interface Ask {
  readonly url: string;
  readonly panels: number;
}

async function loadPage(ask: Ask): Promise<{ bytes: number }> {
  const res = await fetch(ask.url, { headers: { Accept: 'application/x-ndjson' }, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`the page's panels answered ${res.status}: ${text.slice(0, 300)}`);
  const lines = text.split('\n').filter((line) => line !== '');
  if (lines.length !== ask.panels) throw new Error(`${lines.length} panels answered of ${ask.panels}`);
  for (const line of lines) {
    const json = JSON.parse(line) as { panelId: number; error?: string; truncated?: boolean };
    if (json.error !== undefined) throw new Error(`panel ${json.panelId}: ${json.error}`);
    if (json.truncated === true) throw new Error(`panel ${json.panelId}: cut at the row cap`);
  }
  return { bytes: text.length };
}

process.on('message', (ask: Ask) => {
  loadPage(ask).then(
    (answer) => process.send?.(answer),
    (error: unknown) => process.send?.({ error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
