// The acceptance scripts of the manual (a shell block marked <!-- acceptance -->, e.g. docs/segment.md's: the
// collector, the Segment Node SDK, a read and `etl metrics`) run as written, on a free port instead of 8081 (other
// test files start collectors there), with `npx etl` this build; their printed metrics are checked.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { documentationFiles, markdownBlocks, where } from './support/markdown-blocks.js';

const root = resolve(import.meta.dirname, '..');
const run = promisify(execFile);
const acceptance = documentationFiles(root).flatMap((file) => markdownBlocks(root, file)).filter((b) => b.marker === 'acceptance');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

/** The latest hourly value `etl metrics` printed for `name` (the row's fourth column). */
function latestHourly(out: string, name: string): number | undefined {
  const row = out.split('\n').find((line) => line.startsWith(`${name} `));
  const cells = row?.trim().split(/\s+/);
  return cells === undefined ? undefined : Number(cells[3]);
}

describe('acceptance scripts of the manual', () => {
  it('there is one, in docs/segment.md', () => {
    expect(acceptance.map(where)).toEqual([expect.stringMatching(/^docs\/segment\.md:\d+$/)]);
  });

  it('docs/segment.md: SDK messages land in the hour of their timestamps, and the visitor who identified counts once', async () => {
    const block = acceptance[0]!;
    const port = await freePort();
    const script = block.text.replaceAll('127.0.0.1:8081', `127.0.0.1:${port}`).replaceAll('npx etl collect', `npx etl collect --port ${port}`);
    const shell = `npx() { if [ "$1" = etl ]; then shift; node ${JSON.stringify(join(root, 'dist/cli/main.js'))} "$@"; else command npx "$@"; fi; }\n${script}`;
    // Inside the project, so the script's module finds @segment/analytics-node; no etl.config.json there: the demo's.
    const dir = mkdtempSync(join(root, '.tmp-acceptance-'));
    try {
      const { stdout } = await run('bash', ['-c', shell], { cwd: dir, timeout: 150_000, env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') } });
      expect({
        'events.page.count': latestHourly(stdout, 'events.page.count'),
        'events.page.users': latestHourly(stdout, 'events.page.users'),
        'events.plan_selected.count': latestHourly(stdout, 'events.plan_selected.count'),
        'events.plan_selected.users': latestHourly(stdout, 'events.plan_selected.users'),
      }, `${where(block)} printed:\n${stdout}`).toEqual({ 'events.page.count': 3, 'events.page.users': 2, 'events.plan_selected.count': 2, 'events.plan_selected.users': 1 });
      const hour = new Date(Date.now() - 3_600_000).toISOString().slice(0, 13).replace('T', ' ');
      expect(stdout).toContain(`${hour}:00`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
