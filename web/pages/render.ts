// Shared pieces of the HTML pages: the layout (no inline script or style: CSP script-src 'self'; the browser
// modules and style sheet under /assets/), status badges and times (the views the browser uses too). Every
// text that comes from a job, a run or its errors is masked (`shown`, or the page's masker on the whole
// record) and escaped (hono/html, markup.ts).
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { maskText } from '../../secrets/mask.js';
import { badge as badgeTree, instant, jobPath, runPath } from '../client/view/parts.js';
import { CLIENT_ENTRY, CLIENT_STYLE } from './assets.js';
import { markup } from './markup.js';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** `text` safe to show: URL passwords and the like masked (escaping is hono/html's). */
export function shown(text: string | null | undefined): string {
  return text === null || text === undefined ? '' : maskText(text);
}

export interface LayoutOptions {
  /** Which page: the browser's main module picks its behaviour from it. */
  readonly page: 'jobs' | 'job' | 'run' | 'runs' | 'queue' | 'dashboards' | 'dashboard' | 'metrics' | 'metric' | 'checks' | 'check' | 'error';
  /** The one SSE stream of the page, if any. */
  readonly stream?: string;
  readonly nav?: 'jobs' | 'runs' | 'queue' | 'dashboards' | 'metrics' | 'checks';
  /** More data-* attributes of the body (names without `data-`), for the browser's modules. */
  readonly data?: Readonly<Record<string, string>>;
  /** Style sheets before the UI's own (a library's, which ui.css adjusts). */
  readonly styles?: readonly string[];
  /** A public page: no link to the rest of the UI. */
  readonly bare?: boolean;
}

function navLinks(nav: LayoutOptions['nav']): Html {
  const link = (href: string, key: NonNullable<LayoutOptions['nav']>, text: string) => html`<a href="${href}"${nav === key ? html` aria-current="page"` : ''}>${text}</a>`;
  return html`<a class="brand" href="/jobs">etl</a>
<nav>${link('/jobs', 'jobs', 'Jobs')}${link('/runs', 'runs', 'Runs')}${link('/queue', 'queue', 'Queue')}${link('/dashboards', 'dashboards', 'Dashboards')}${link('/metrics', 'metrics', 'Metrics')}${link('/checks', 'checks', 'Checks')}</nav>`;
}

export function layout(title: string, options: LayoutOptions, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title} · etl</title>
${(options.styles ?? []).map((href) => html`<link rel="stylesheet" href="${href}">
`)}<link rel="stylesheet" href="${CLIENT_STYLE}">
<script type="module" src="${CLIENT_ENTRY}"></script>
</head>
<body data-page="${options.page}"${options.stream === undefined ? '' : html` data-stream="${options.stream}"`}${Object.entries(options.data ?? {}).map(([name, value]) => html` data-${name}="${value}"`)}>
<header class="top">
${options.bare === true ? html`<span class="brand">etl</span>` : navLinks(options.nav)}
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
  return markup(badgeTree(status));
}

/** An instant: UTC text on the server; the browser shows it in local time and "ago". */
export function when(ms: number | null | undefined): Html {
  return markup(instant(ms));
}

export function pathFor(kind: 'job' | 'run', key: string | number): string {
  return kind === 'job' ? jobPath(String(key)) : runPath(Number(key));
}
