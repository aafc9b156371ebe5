// The HTML pages rendered on the server (app.request on a Hono app with only the pages): what each page shows,
// escaping of job/node/error text, no secret, cursor pagination, the graph's node states, assets and CSP-safe markup.
import { spawnSync } from 'node:child_process';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { graphBuilder, sink, source, transform, type JobRun, type NodeRun } from '../graph/index.js';
import { defineJob } from '../jobs/job.js';
import { JobRegistry, type AnyJob } from '../jobs/registry.js';
import type { EtlRuntime } from '../runtime/runtime.js';
import type { MemoryJobStateStore } from '../test/support/memory-job-state.js';
import type { MemoryRunStore } from '../test/support/memory-run-store.js';
import { memoryRunStorage } from '../test/support/memory-run-storage.js';
import { currentProcess } from '../embedded/index.js';
import type { UiDeps } from './contract.js';
import { decorateSvg, dotWithCounts, jobGraphSvg } from './graph-svg.js';
import { registerPages } from './pages/index.js';

const EVIL = '<script>window.pwned=1</script>';
const SECRET_URL = 'postgres://u:hunter2@h/db';

const tidy = defineJob({
  name: 'tidy',
  description: `Tidies rows (reads ${SECRET_URL}) ${EVIL}`,
  services: [],
  build: () => {
    const b = graphBuilder('tidy');
    b.source('read', source(() => [1, 2, 3]))
      .to('double', transform((n: number) => [n * 2]))
      .to('write', sink(() => undefined));
    return b.build();
  },
});
const other = defineJob({
  name: 'other',
  description: 'Another job',
  services: [],
  build: () => {
    const b = graphBuilder('other');
    b.source('only', source(() => [1])).to('out', sink(() => undefined));
    return b.build();
  },
});

function node(name: string, kind: NodeRun['kind'], status: NodeRun['status'], counts: [number, number, number], extra: Partial<NodeRun> = {}): NodeRun {
  return { name, kind, status, in: counts[0], out: counts[1], err: counts[2], startedAt: 1_000, finishedAt: 2_500, errors: [], fatal: null, ...extra };
}

async function fixture(): Promise<{ app: Hono; store: MemoryRunStore; jobs: MemoryJobStateStore; registry: JobRegistry }> {
  const storage = memoryRunStorage();
  const store = storage.runs;
  const registry = new JobRegistry([tidy, other] as unknown as AnyJob[]);
  const runtime = { config: { file: {}, timeZone: 'UTC' }, readers: async () => ({ enabled: [], skipped: [], names: [] }), registry: async () => registry, runStorage: async () => storage } as unknown as EtlRuntime;
  const deps: UiDeps = {
    runtime,
    schedules: [{ job: 'tidy', cron: '*/15 * * * *', timeZone: 'UTC', retries: 0, retryDelayMs: 1_000 }],
    runHere: async () => 0,
  };
  const app = new Hono();
  registerPages(app, deps);
  return { app, store, jobs: storage.jobs, registry };
}

async function recordRun(store: MemoryRunStore, job: string, run: Omit<JobRun, 'job'>, log: string[] = []): Promise<number> {
  const id = (await store.create({ job, trigger: 'manual', window: { from: 0, to: 3_600_000 } }))!;
  await store.start(id, currentProcess());
  await store.update(id, { job, ...run });
  if (log.length > 0) await store.setLog(id, log);
  return id;
}

async function failedRun(store: MemoryRunStore): Promise<number> {
  return recordRun(
    store,
    'tidy',
    {
      status: 'failed',
      startedAt: 1_000,
      finishedAt: 4_000,
      error: `node 'double': ${EVIL} at ${SECRET_URL}`,
      nodes: [
        node('read', 'source', 'succeeded', [0, 3, 0]),
        node('double', 'transform', 'failed', [3, 1, 2], {
          errors: [{ node: 'double', rowNumber: 2, row: `{"evil":"${EVIL}"}`, error: `bad row ${EVIL}` }],
          fatal: `${EVIL} ${SECRET_URL}`,
        }),
        node('write', 'sink', 'cancelled', [1, 0, 0]),
      ],
    },
    [`started ${EVIL}`, `connecting to ${SECRET_URL}`],
  );
}

/** The browser's modules (built into dist/ by `npm run build`): the entry the pages load and every module it imports, by path. */
async function clientModules(app: Hono): Promise<Map<string, { type: string | null; code: string }>> {
  const found = new Map<string, { type: string | null; code: string }>();
  const pending = ['/assets/web/client/main.js'];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (found.has(path)) continue;
    const res = await app.request(path);
    expect(res.status, path).toBe(200);
    const code = await res.text();
    found.set(path, { type: res.headers.get('content-type'), code });
    for (const m of code.matchAll(/(?:from|import)\s*['"](\.{1,2}\/[^'"]+)['"]/g)) pending.push(new URL(m[1]!, `http://ui${path}`).pathname);
  }
  return found;
}

/** V8's own parse of each module, with the module goal (what `new Function` checks for a classic script): one line per module that fails. */
function unparsable(modules: ReadonlyMap<string, { code: string }>): string {
  const check = `import { SourceTextModule } from 'node:vm';
let text = '';
for await (const chunk of process.stdin) text += chunk;
for (const [path, code] of JSON.parse(text)) {
  try { new SourceTextModule(code); } catch (error) { console.log(path + ': ' + error.message); }
}`;
  const input = JSON.stringify([...modules].map(([path, js]) => [path, js.code]));
  const child = spawnSync(process.execPath, ['--experimental-vm-modules', '--no-warnings', '--input-type=module', '-e', check], { input, encoding: 'utf8' });
  return `${child.stdout}${child.status === 0 ? '' : child.stderr}`;
}

function noInlineCode(page: string): void {
  for (const tag of page.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/src="\/assets\/web\/client\/main\.js"/);
  expect(page).not.toMatch(/<style/);
  expect(page).not.toMatch(/ on[a-z]+="/);
}

describe('pages', () => {
  it('redirects / to /jobs and serves the assets', async () => {
    const { app } = await fixture();
    const root = await app.request('/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/jobs');
    const modules = await clientModules(app);
    for (const [path, js] of modules) expect(js.type, path).toMatch(/javascript/);
    expect(unparsable(modules)).toBe('');
    const code = [...modules.values()].map((js) => js.code).join('\n');
    expect(code).toContain('EventSource');
    expect(code).toContain("'X-ETL-UI': '1'");
    const css = await app.request('/assets/web/client/ui.css');
    expect(css.headers.get('content-type')).toMatch(/css/);
    expect(await css.text()).toContain('prefers-color-scheme: dark');
  });

  it('lists every job with its schedule in words, next firing, last run, squares, state and actions', async () => {
    const { app, store, jobs } = await fixture();
    const failed = await failedRun(store);
    await jobs.setPaused('other', true);
    const res = await app.request('/jobs');
    expect(res.status).toBe(200);
    const page = await res.text();
    noInlineCode(page);
    expect(page).toContain('data-stream="/api/events?view=jobs"');
    expect(page).toContain('<code>*/15 * * * *</code>');
    expect(page).toContain('every 15 minutes');
    expect(page).toContain(`href="/runs/${failed}"`);
    expect(page).toContain('class="sq st-failed"');
    expect(page).toContain('data-post="/api/jobs/tidy/trigger"');
    expect(page).toContain('data-post="/api/jobs/other/resume"');
    expect(page).toContain('data-post="/api/jobs/tidy/pause"');
    expect(page).toContain('&lt;script&gt;window.pwned=1&lt;/script&gt;');
    expect(page).not.toContain(EVIL);
    expect(page).not.toContain('hunter2');
  });

  it('shows a run: graph nodes coloured and counted, node table, errors with row, log, facts, cancel only while running', async () => {
    const { app, store } = await fixture();
    const failed = await failedRun(store);
    const page = await (await app.request(`/runs/${failed}`)).text();
    noInlineCode(page);
    expect(page).toContain(`data-stream="/api/events?run=${failed}"`);
    expect(page).toMatch(/<g id="node\d+" class="node st-failed">\s*<title>double<\/title>/);
    expect(page).toMatch(/<g id="node\d+" class="node st-succeeded">\s*<title>read<\/title>/);
    expect(page).toContain('class="counts">in 3 out 1 err 2</text>');
    expect(page).toContain('<tr data-node="double" class="st-failed">');
    expect(page).toContain('<td class="num">2</td><td><code class="row">{&quot;evil&quot;:&quot;&lt;script&gt;');
    expect(page).toContain('started &lt;script&gt;window.pwned=1&lt;/script&gt;');
    expect(page).toMatch(/<button type="button" id="cancel" data-post="\/api\/runs\/\d+\/cancel" data-kind="cancel" hidden>/);
    expect(page).toContain(`(pid ${process.pid})`);
    expect(page).not.toContain(EVIL);
    expect(page).not.toContain('hunter2');

    const running = await recordRun(store, 'other', { status: 'running', startedAt: 1_000, finishedAt: null, error: null, nodes: [node('only', 'source', 'running', [0, 5, 0])] });
    const live = await (await app.request(`/runs/${running}`)).text();
    expect(live).toMatch(/data-kind="cancel">Cancel<\/button>/);
    expect(live).toMatch(/class="node st-running">\s*<title>only<\/title>/);
    expect(live).toMatch(/class="node st-pending">\s*<title>out<\/title>/);
    expect((await app.request('/runs/999')).status).toBe(404);
    expect((await app.request('/runs/abc')).status).toBe(404);
  });

  it('shows a job: runs x nodes grid with counts on hover, status filter, duration trend and graph', async () => {
    const { app, store } = await fixture();
    await failedRun(store);
    for (let i = 0; i < 3; i++) {
      await recordRun(store, 'tidy', { status: 'succeeded', startedAt: 10_000 * i, finishedAt: 10_000 * i + 1_000 * (i + 1), error: null, nodes: [node('read', 'source', 'succeeded', [0, 3, 0]), node('double', 'transform', 'succeeded', [3, 3, 0]), node('write', 'sink', 'succeeded', [3, 0, 0])] });
    }
    const page = await (await app.request('/jobs/tidy')).text();
    noInlineCode(page);
    expect(page).toContain('<th class="node-col">double</th>');
    expect(page.match(/class="cell st-succeeded"/g)).toHaveLength(10);
    expect(page).toContain('class="cell st-failed" title="run #1 · failed · in 3 out 1 err 2 · 1s500ms"');
    expect(page).toMatch(/<polyline class="trend-line" points="[\d.]+,[\d.]+( [\d.]+,[\d.]+){3}"/);
    expect(page).toMatch(/<g id="node\d+" class="node">\s*<title>double<\/title>/);
    expect(page).not.toContain('hunter2');
    const filtered = await (await app.request('/jobs/tidy?status=failed')).text();
    expect(filtered.match(/class="cell st-succeeded"/g)).toHaveLength(1);
    expect(filtered.match(/<th><a class="sq /g)).toHaveLength(1);
    expect(filtered).toContain('<option value="failed" selected>');
    expect((await app.request('/jobs/nope')).status).toBe(404);
  });

  it('lists runs newest first, 50 a page, by cursor, with filters', async () => {
    const { app, store } = await fixture();
    for (let i = 0; i < 120; i++) {
      await recordRun(store, i % 2 === 0 ? 'tidy' : 'other', { status: i % 3 === 0 ? 'failed' : 'succeeded', startedAt: i, finishedAt: i + 10, error: null, nodes: [] });
    }
    const first = await (await app.request('/runs')).text();
    noInlineCode(first);
    const ids = [...first.matchAll(/<tr data-run="(\d+)">/g)].map((m) => Number(m[1]));
    expect(ids).toHaveLength(50);
    expect(ids[0]).toBe(120);
    expect(ids[49]).toBe(71);
    expect(first).toContain('href="/runs?before=71"');
    const second = await (await app.request('/runs?before=71')).text();
    expect([...second.matchAll(/<tr data-run="(\d+)">/g)].map((m) => Number(m[1]))[0]).toBe(70);
    const last = await (await app.request('/runs?before=21')).text();
    expect([...last.matchAll(/<tr data-run="(\d+)">/g)]).toHaveLength(20);
    expect(last).not.toContain('rel="next"');
    const filtered = await (await app.request('/runs?job=tidy&status=failed&trigger=manual')).text();
    const jobs = [...filtered.matchAll(/<tr data-run="(\d+)">\s*<td>[^\n]*\n<td><a href="\/jobs\/(\w+)">/g)].map((m) => m[2]);
    expect(jobs.length).toBeGreaterThan(0);
    expect(new Set(jobs)).toEqual(new Set(['tidy']));
    expect(filtered).toContain('<option value="failed" selected>');
  });
});

describe('graph svg', () => {
  it('adds a counts line to each node label and finds nodes by their title', async () => {
    const { registry } = await fixture();
    expect(dotWithCounts('  "a\\"b" [label="a\\"b\\n(x)", shape=box];\n  "a" -> "b";')).toBe('  "a\\"b" [label="a\\"b\\n(x)\\nin 00000 out 00000 err 000", shape=box];\n  "a" -> "b";');
    const svg = (await jobGraphSvg(registry, 'tidy'))!;
    expect(svg.startsWith('<svg')).toBe(true);
    expect(await jobGraphSvg(registry, 'tidy')).toBe(svg);
    expect(await jobGraphSvg(registry, 'nope')).toBeUndefined();
    const marked = decorateSvg(svg, [node('double', 'transform', 'running', [7, 6, 1])]);
    expect(marked).toMatch(/class="node st-running">\s*<title>double<\/title>[\s\S]*?class="counts">in 7 out 6 err 1<\/text>/);
    expect(decorateSvg(svg)).not.toContain('00000');
    expect(await jobGraphSvg(registry, 'tidy', false)).not.toContain('00000');
  });
});
