// docs/getting-started.md's shell blocks run, in order, on the demo in a fresh directory (a new HOME, a fresh
// ./.etl): `npx etl` is this checkout's dist/cli/main.js. `<!-- run: skip (why) -->` leaves a block out (it
// must say why); `<!-- run: background, ready <url> -->` starts a long-running command, waits until the URL
// answers, and stops it (SIGTERM) at the end. A failing block fails the test naming its line.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { markdownBlocks, where } from './support/markdown-blocks.js';

const root = resolve(import.meta.dirname, '..');
const PAGE = 'docs/getting-started.md';
const shellBlocks = markdownBlocks(root, PAGE).filter((b) => b.lang === 'sh' || b.lang === 'bash');
const background: ChildProcess[] = [];
let dir: string;

afterAll(async () => {
  for (const child of background) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((done) => child.on('exit', done));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function answers(url: string, timeoutMs: number): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 500))) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return true;
    } catch {
      // Not listening yet.
    }
  }
  return false;
}

describe(PAGE, () => {
  it('every shell block is run, or says why not', () => {
    const markers = shellBlocks.map((b) => b.marker ?? '');
    expect(shellBlocks.filter((b) => b.marker !== undefined && !/^run: (skip \(.+\)|background, ready http\S+)$/.test(b.marker)).map(where)).toEqual([]);
    expect(markers.filter((m) => m === '').length).toBeGreaterThanOrEqual(4);
  });

  it('its shell blocks run on the demo in a fresh directory', async () => {
    dir = mkdtempSync(join(tmpdir(), 'etl-getting-started-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    mkdirSync(join(dir, 'home'));
    mkdirSync(join(dir, 'work'));
    // `npx etl ...` is this checkout's CLI (what npx runs in a clone after `npm ci`); anything else is refused.
    writeFileSync(join(bin, 'npx'), `#!/bin/sh\n[ "$1" = etl ] || { echo "npx $1: not in the getting-started test" >&2; exit 127; }\nshift\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(root, 'dist/cli/main.js'))} "$@"\n`);
    chmodSync(join(bin, 'npx'), 0o755);
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: join(dir, 'home'), PATH: `${bin}:${process.env.PATH ?? ''}` };
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'ETL_CONFIG', 'ETL_DATA_DIR', 'ETL_UI_TOKEN', 'ETL_JOBS']) delete env[name];
    const cwd = join(dir, 'work');
    for (const block of shellBlocks) {
      const marker = block.marker ?? '';
      if (marker.startsWith('run: skip')) continue;
      const ready = /^run: background, ready (\S+)$/.exec(marker)?.[1];
      if (ready !== undefined) {
        const child = spawn('bash', ['-c', block.text], { cwd, env, stdio: 'ignore', detached: true });
        background.push(child);
        expect(await answers(ready, 120_000), `${where(block)}: ${ready} never answered`).toBe(true);
        continue;
      }
      // Asynchronous: a blocked worker would miss vitest's own messages during the long first read.
      const run = await new Promise<{ code: unknown; out: string }>((done) =>
        execFile('bash', ['-euo', 'pipefail', '-c', block.text], { cwd, env, encoding: 'utf8', timeout: 240_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
          done({ code: error === null ? 0 : (error.code ?? error.signal), out: `${stdout.slice(-2000)}\n${stderr.slice(-2000)}` }),
        ),
      );
      expect(run.code, `${where(block)} exited ${String(run.code)}:\n${run.out}`).toBe(0);
    }
  }, 900_000);
});
