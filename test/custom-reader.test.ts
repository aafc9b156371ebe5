// A user's reader module, written as docs/readers.md shows (TypeScript, compiled here with the project's own
// compiler, importing 'etl-metrics'), listed in etl.config.json: it joins `etl inspect --graph all`,
// `etl config check` (options checked by its own schema, secrets masked) and `etl read all --write` exactly
// like a built-in reader. An HTTP JSON API stand-in runs in this process.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/pg.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'dist/cli/main.js');
const TOKEN = 'tk_live_never_printed_123';

/** The manual's example reader (docs/readers.md, "Your own readers"). */
const READER_SOURCE = readmeReader();

function readmeReader(): string {
  const readme = readFileSync(join(root, 'docs/readers.md'), 'utf8');
  const block = /<!-- custom-reader -->\s*```ts\n([\s\S]*?)```/.exec(readme);
  if (block === null) throw new Error('docs/readers.md has no <!-- custom-reader --> ```ts block');
  return block[1]!;
}

let dir: string;
let api: Server;
let apiUrl: string;
let metrics: TestDatabase;
let openTickets = 17;
let seenAuth: string[] = [];

function etl(args: string[], config: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, '--config', config, ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: metrics.url, ETL_DATA_DIR: join(dir, 'data') }, timeout: 60_000 }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

function writeConfig(name: string, options: Record<string, unknown>): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({
      timeZone: 'UTC',
      sources: { website: { demo: true } },
      readers: {
        objects: { source: 'website', tables: [{ name: 'users', table: 'users' }] },
        events: { source: 'website', table: 'events', columns: { time: 'created_at', user: 'user_id' } },
        custom: [{ module: './dist/readers/tickets.js', options }],
      },
    }),
  );
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'etl-custom-reader-'));
  metrics = await createTestDatabase('etl_custom');
  api = createServer((req, res) => {
    seenAuth.push(req.headers.authorization ?? '');
    res.setHeader('content-type', 'application/json');
    if (req.url === '/broken') {
      res.statusCode = 503;
      res.end('{"error":"maintenance"}');
      return;
    }
    res.end(JSON.stringify({ open: openTickets }));
  });
  await new Promise<void>((ok) => api.listen(0, '127.0.0.1', ok));
  apiUrl = `http://127.0.0.1:${(api.address() as { port: number }).port}`;
  // The user's project: node_modules/etl-metrics is this package (as `npm install` of a file: dependency makes it).
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(root, join(dir, 'node_modules', 'etl-metrics'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  mkdirSync(join(dir, 'dist/readers'), { recursive: true });
  const compiled = ts.transpileModule(READER_SOURCE, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  writeFileSync(join(dir, 'dist/readers/tickets.js'), compiled.outputText);
}, 60_000);

afterAll(async () => {
  await new Promise((ok) => api?.close(ok));
  await metrics?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe("a user's reader module", () => {
  it('type-checks against the package the way docs/readers.md writes it', () => {
    const file = join(dir, 'check.ts');
    writeFileSync(file, READER_SOURCE);
    const program = ts.createProgram([file], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  });

  it('joins etl inspect --graph all and etl config check, its secret masked', async () => {
    const config = writeConfig('etl.config.json', { url: `${apiUrl}/tickets`, token: TOKEN });
    const dot = await etl(['inspect', '--graph', 'all'], config);
    expect(dot.code).toBe(0);
    expect(dot.stdout).toMatch(/"tickets"/);
    expect(dot.stdout).toMatch(/"events"/);
    const check = await etl(['config', 'check'], config);
    expect(check.code).toBe(0);
    expect(check.stderr).toContain('reader tickets: enabled');
    expect(check.stdout + check.stderr).not.toContain(TOKEN);
    expect(check.stdout).toContain('"token": "***"');
  });

  it('etl read all --write writes its values with the others; etl read tickets reads it alone', async () => {
    const config = writeConfig('etl.config.json', { url: `${apiUrl}/tickets`, token: TOKEN });
    seenAuth = [];
    const run = await etl(['read', 'all', '--write'], config);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/- tickets in=1 out=1 err=0 \[done\]/);
    expect(seenAuth).toEqual([`Bearer ${TOKEN}`]);
    const { rows } = await metrics.pool.query<{ name: string; value: number }>(
      `SELECT m.name, v.value FROM etl.hourly_value v JOIN etl.metric m ON m.id = v.metric_id WHERE m.name IN ('tickets.open', 'objects.users.count') ORDER BY 1`,
    );
    expect(rows.map((r) => r.name)).toEqual(['objects.users.count', 'tickets.open']);
    expect(rows.find((r) => r.name === 'tickets.open')!.value).toBe(17);
    openTickets = 21;
    const alone = await etl(['read', 'tickets'], config);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toMatch(/tickets\.open\s+21/);
  });

  it('a wrong option is a configuration error naming the file and key (exit 2); a failing API fails its node by name', async () => {
    const bad = writeConfig('bad.json', { url: 'not a url', token: TOKEN });
    const run = await etl(['read', 'all'], bad);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(dir, 'bad.json')}: readers.custom[0] (tickets).options.url:`);
    expect(run.stderr).not.toContain(TOKEN);
    const missing = writeConfig('missing.json', { url: `${apiUrl}/tickets` });
    expect((await etl(['read', 'all'], missing)).stderr).toContain('readers.custom[0] (tickets).options.token:');
    const down = writeConfig('down.json', { url: `${apiUrl}/broken`, token: TOKEN });
    const failed = await etl(['read', 'all', '--write'], down);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/node 'tickets'.*HTTP 503/);
    expect(failed.stderr).toMatch(/- events in=\d+ out=\d+ err=0 \[done\]/);
    const moduleGone = join(dir, 'gone.json');
    writeFileSync(moduleGone, JSON.stringify({ readers: { custom: [{ module: './nope.js' }] } }));
    const gone = await etl(['read', 'all'], moduleGone);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`${moduleGone}: readers.custom[0].module: cannot load ${join(dir, 'nope.js')}`);
  });
});
