// The files the browser loads, served under /assets/ at their path in dist/: the client modules tsc builds
// from web/client/ into dist/web/client/ (with the style sheet the build copies beside them) and the one
// module of the project they import, dist/graph/duration.js. Found from the package root, so the server
// serves the same built files whether it runs from the sources (vitest) or from dist/. And exactly two files of
// the chart library uPlot, from its installed package (node_modules/uplot/dist/), under /assets/vendor/uplot/.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Hono } from 'hono';

export const CLIENT_ENTRY = '/assets/web/client/main.js';
export const CLIENT_STYLE = '/assets/web/client/ui.css';
export const UPLOT_STYLE = '/assets/vendor/uplot/uPlot.min.css';
/** The URL the dashboard modules import uPlot from (web/client/tsconfig.json maps it to uPlot's types). */
export const UPLOT_MODULE = '/assets/vendor/uplot/uPlot.esm.js';
const VENDOR_FILES: Readonly<Record<string, string>> = { [UPLOT_MODULE]: 'uPlot.esm.js', [UPLOT_STYLE]: 'uPlot.min.css' };

/** What may be asked for: files of dist/web/client/ (no `..`: dots only before the extension), and the shared module. */
const SERVED = /^(?:web\/client\/(?:[a-z0-9-]+\/)*[a-z0-9-]+\.(?:js|css)|graph\/duration\.js)$/;
const TYPES: Readonly<Record<string, string>> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

/** The nearest folder holding package.json above this module: the repository, or the installed package. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`web UI: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
}

async function serve(c: Context, dist: string): Promise<Response> {
  const path = c.req.path.slice('/assets/'.length);
  if (!SERVED.test(path)) return c.text('not found', 404);
  let body: string;
  try {
    body = await readFile(join(dist, path), 'utf8');
  } catch {
    return c.text(`not found: dist/${path} (the browser modules are built by \`npm run build\`)`, 404);
  }
  return c.body(body, 200, { 'Content-Type': TYPES[path.slice(path.lastIndexOf('.') + 1)]!, 'Cache-Control': 'no-cache' });
}

/** uPlot's dist/ folder, where Node resolves the package from this module. */
function uplotDist(): string {
  return dirname(createRequire(import.meta.url).resolve('uplot'));
}

async function serveVendor(c: Context, file: string): Promise<Response> {
  let body: string;
  try {
    body = await readFile(join(uplotDist(), file), 'utf8');
  } catch {
    return c.text(`not found: uplot/dist/${file} (npm install puts it there)`, 404);
  }
  return c.body(body, 200, { 'Content-Type': TYPES[file.slice(file.lastIndexOf('.') + 1)]!, 'Cache-Control': 'no-cache' });
}

export function registerAssets(app: Hono): void {
  const dist = join(packageRoot(), 'dist');
  for (const [path, file] of Object.entries(VENDOR_FILES)) app.get(path, (c) => serveVendor(c, file));
  app.get('/assets/*', (c) => serve(c, dist));
}
