// Shared pieces of the HTML pages: the layout (no inline script or style: CSP script-src 'self'), status
// badges, times and durations. Every text that comes from a job, a run or its errors goes through `shown`
// (secrets masked) and is escaped by hono/html.
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { formatDuration } from '../../graph/duration.js';
import { maskText } from '../../secrets/mask.js';
import type { RunRecord } from '../../runs/run-store.js';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** `text` safe to show: URL passwords and the like masked (escaping is hono/html's). */
export function shown(text: string | null | undefined): string {
  return text === null || text === undefined ? '' : maskText(text);
}

export interface LayoutOptions {
  /** Which page: the script picks its behaviour from it. */
  readonly page: 'jobs' | 'job' | 'run' | 'runs' | 'queue' | 'error';
  /** The one SSE stream of the page, if any. */
  readonly stream?: string;
  readonly nav?: 'jobs' | 'runs' | 'queue';
}

export function layout(title: string, options: LayoutOptions, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title} · etl</title>
<link rel="stylesheet" href="/assets/ui.css">
<script src="/assets/ui.js" defer></script>
</head>
<body data-page="${options.page}"${options.stream === undefined ? '' : html` data-stream="${options.stream}"`}>
<header class="top">
<a class="brand" href="/jobs">etl</a>
<nav><a href="/jobs"${options.nav === 'jobs' ? html` aria-current="page"` : ''}>Jobs</a><a href="/runs"${options.nav === 'runs' ? html` aria-current="page"` : ''}>Runs</a><a href="/queue"${options.nav === 'queue' ? html` aria-current="page"` : ''}>Queue</a></nav>
<span id="live" class="live" hidden title="live updates">● live</span>
<span id="flash" class="flash" role="status"></span>
</header>
<main>
${body}
</main>
</body>
</html>`;
}

export function badge(status: string): Html {
  return html`<span class="badge st-${status}">${status}</span>`;
}

/** An instant: UTC text on the server; the script shows it in local time and "ago". */
export function when(ms: number | null | undefined): Html {
  if (ms === null || ms === undefined || ms === 0 || !Number.isFinite(ms)) return html`<span class="muted">—</span>`;
  const iso = new Date(ms).toISOString();
  return html`<time datetime="${iso}" data-ts="${ms}">${iso.slice(0, 19).replace('T', ' ')} UTC</time>`;
}

export function runDuration(run: Pick<RunRecord, 'startedAt' | 'finishedAt'>): string {
  if (run.startedAt === null) return '';
  return formatDuration((run.finishedAt ?? Date.now()) - run.startedAt);
}

export function nodeDuration(node: { readonly startedAt: number | null; readonly finishedAt: number | null }): string {
  if (node.startedAt === null) return '';
  return formatDuration((node.finishedAt ?? Date.now()) - node.startedAt);
}

export function pathFor(kind: 'job' | 'run', key: string | number): string {
  return kind === 'job' ? `/jobs/${encodeURIComponent(String(key))}` : `/runs/${key}`;
}
