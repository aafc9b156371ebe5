// A job's graph as SVG, drawn by Graphviz (@viz-js/viz, wasm) from the DOT `etl inspect --graph` prints, with
// one more label line per node that holds its in/out/err counts. Drawn once per job (cached), then marked up
// per run: each node's <g class="node"> gets the class of its state and its counts line.
import { instance, type Viz } from '@viz-js/viz';
import { toDot } from '../graph/dot.js';
import type { NodeRun } from '../graph/run-status.js';
import type { JobRegistry } from '../jobs/registry.js';
import { countsText } from './client/view/format.js';
import { graphNodeClass } from './client/view/run-parts.js';

/** The counts line as drawn: room for five-digit counts (the page's monospace line is smaller), replaced per run. */
export const COUNTS_PLACEHOLDER = 'in 00000 out 00000 err 000';
const COUNTS_TEXT = new RegExp(`(<text[^>]*)>${COUNTS_PLACEHOLDER}</text>`);

let viz: Promise<Viz> | undefined;
const cache = new WeakMap<JobRegistry, Map<string, Promise<string | undefined>>>();

/** Adds the counts line to every node label of `dot` (the node lines toDot writes). */
export function dotWithCounts(dot: string): string {
  return dot
    .split('\n')
    .map((line) => line.replace(/^(\s+"(?:[^"\\]|\\.)*" \[label=")((?:[^"\\]|\\.)*)(")/, (_all, head: string, label: string, end: string) => `${head}${label}\\n${COUNTS_PLACEHOLDER}${end}`))
    .join('\n');
}

/**
 * The SVG of job `name`'s graph (from `<svg`, without the XML prolog), with a counts line per node unless
 * `counts` is false (the job page); undefined for an unknown job or a graph that cannot be built.
 */
export function jobGraphSvg(registry: JobRegistry, name: string, counts = true): Promise<string | undefined> {
  let perJob = cache.get(registry);
  if (perJob === undefined) cache.set(registry, (perJob = new Map()));
  const key = `${counts ? 'counts' : 'plain'}:${name}`;
  let svg = perJob.get(key);
  if (svg === undefined) {
    svg = draw(registry, name, counts);
    perJob.set(key, svg);
  }
  return svg;
}

async function draw(registry: JobRegistry, name: string, counts: boolean): Promise<string | undefined> {
  const job = registry.get(name);
  if (job === undefined) return undefined;
  let dot: string;
  try {
    dot = toDot(job.build({}));
  } catch {
    return undefined;
  }
  viz ??= instance();
  const out = (await viz).renderString(counts ? dotWithCounts(dot) : dot, { format: 'svg' });
  const start = out.indexOf('<svg');
  return start < 0 ? undefined : out.slice(start).replace(/<!--[\s\S]*?-->\n?/g, '');
}

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|lt|gt|amp|quot|apos);/gi, (_all, entity: string) => {
    const e = entity.toLowerCase();
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    return String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

/**
 * `svg` with each node's state as a class (`st-<status>`) and its counts on its counts line; without
 * `nodes` (the job page) the counts line is emptied. Node names are matched on the decoded <title>.
 */
export function decorateSvg(svg: string, nodes?: readonly NodeRun[]): string {
  const byName = new Map((nodes ?? []).map((n) => [n.name, n]));
  return svg.replace(/<g id="([^"]*)" class="node">\s*<title>([^<]*)<\/title>([\s\S]*?)<\/g>/g, (_all, id: string, title: string, body: string) => {
    const node = byName.get(unescapeXml(title));
    const counts = node === undefined ? '' : countsText(node);
    const marked = body.replace(COUNTS_TEXT, (_t, open: string) => `${open} class="counts">${counts}</text>`);
    return `<g id="${id}" class="${nodes === undefined ? 'node' : graphNodeClass(node)}">\n<title>${title}</title>${marked}</g>`;
  });
}
