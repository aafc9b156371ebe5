// `etl init` as a user runs it: the starter project is written (never over existing files without --force), then
// the commands it prints run for real in it: the project compiles, `etl read all` reads its own reader next to the
// built-in ones, `etl run` runs its own job. `npm install` is replaced by links to this clone and its TypeScript
// (what `file:` installs), unless ETL_TEST_NPM_INSTALL=1 asks for the real one (it needs the npm registry).
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processRunner, type Outcome } from './support/processes.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'dist/cli/main.js');
const FILES = ['etl.config.json', 'readers/example.ts', 'jobs/example.ts', 'tsconfig.json', '.gitignore', 'package.json'];
const THIRD = 'npx etl read all && npx etl run users-by-plan';
let base: string;

const run = processRunner({ cwd: () => base, killAfterMs: 120_000 });
const etl = (args: readonly string[], cwd = base): Outcome => run.runSync(process.execPath, [bin, ...args], { cwd });
/** A shell command line, as a user types it (bash: `&&` and npx as they are). */
const shell = (line: string, cwd: string, env: Record<string, string> = {}): Promise<Outcome> => run.start('bash', ['-c', line], { cwd, env }).done;

/** The commands under "Next:", in order. */
function nextCommands(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.indexOf('Next:');
  expect(start, stdout).toBeGreaterThan(-1);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end).map((line) => line.trim());
}

/** What `npm install` of the scaffold's package.json puts in node_modules, as links to this clone's packages. */
function linkInstall(dir: string): void {
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@types'), { recursive: true });
  mkdirSync(join(modules, '.bin'));
  symlinkSync(root, join(modules, 'etl-metrics'), 'dir');
  symlinkSync(join(root, 'node_modules/typescript'), join(modules, 'typescript'), 'dir');
  symlinkSync(join(root, 'node_modules/@types/node'), join(modules, '@types/node'), 'dir');
  symlinkSync('../typescript/bin/tsc', join(modules, '.bin/tsc'));
  symlinkSync('../etl-metrics/dist/cli/main.js', join(modules, '.bin/etl'));
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'etl-init-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('etl init', () => {
  it('writes the project into a new directory and prints the next three commands', () => {
    const dir = join(base, 'metrics');
    const out = etl(['init', dir]);
    expect(out.code, out.stderr).toBe(0);
    for (const file of FILES) expect(existsSync(join(dir, file)), file).toBe(true);
    expect(readFileSync(join(dir, 'etl.config.json'), 'utf8')).toBe(readFileSync(join(root, 'examples/init/etl.config.json'), 'utf8'));
    expect(nextCommands(out.stdout)).toEqual([`cd ${dir}`, 'npm install && npm run build', THIRD]);
    expect(out.stdout).toContain(`by path (file:${root})`);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | string>;
    expect(pkg).toMatchObject({ name: 'metrics', type: 'module', scripts: { build: 'tsc' }, dependencies: { 'etl-metrics': `file:${root}` } });
    expect(Object.keys(pkg.devDependencies as object).sort()).toEqual(['@types/node', 'typescript']);
  });

  it('uses the current directory without a dir', () => {
    const cwd = mkdtempSync(join(base, 'here-'));
    const out = etl(['init'], cwd);
    expect(out.code, out.stderr).toBe(0);
    for (const file of FILES) expect(existsSync(join(cwd, file)), file).toBe(true);
    expect(nextCommands(out.stdout)).toEqual(['npm install', 'npm run build', THIRD]);
  });

  it('refuses to overwrite a file (exit 2, naming it; nothing written) unless --force', () => {
    const dir = join(base, 'existing');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), '{ "name": "mine" }\n');
    // An invalid configuration where etl runs must not stop init: it reads none.
    writeFileSync(join(base, 'etl.config.json'), '{ "not": "valid" ');
    const refused = etl(['init', 'existing']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('etl: UsageError: existing/package.json already exists: nothing written (etl init --force overwrites)\n');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe('{ "name": "mine" }\n');
    expect(existsSync(join(dir, 'etl.config.json'))).toBe(false);

    const forced = etl(['init', 'existing', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('  package.json (replaced)');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))).toMatchObject({ name: 'existing' });
    expect(etl(['init', 'existing']).stderr).toContain('existing/etl.config.json, existing/readers/example.ts');
    rmSync(join(base, 'etl.config.json'));
  });
});

describe('the printed commands, run in the new project', () => {
  let dir: string;
  let commands: string[];
  let server: Server;
  let api: string;
  const requests: Array<{ url: string | undefined; authorization: string | undefined }> = [];

  beforeAll(async () => {
    dir = join(base, 'project');
    const out = etl(['init', dir]);
    expect(out.code, out.stderr).toBe(0);
    commands = nextCommands(out.stdout);
    server = createServer((req, res) => {
      requests.push({ url: req.url, authorization: req.headers.authorization });
      if (req.url === '/broken') return void res.writeHead(503).end('down');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count: 7, other: 'x' }));
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((closed) => (server ? server.close(() => closed()) : closed())));

  it('cd, install and build: the reader and the job compile (strict)', async () => {
    expect(commands[0]).toBe(`cd ${dir}`);
    expect(commands[1]).toBe('npm install && npm run build');
    const real = process.env.ETL_TEST_NPM_INSTALL === '1';
    if (!real) linkInstall(dir);
    const built = await shell(real ? commands[1]! : 'npm run build', dir);
    expect(built.code, built.stdout + built.stderr).toBe(0);
    expect(existsSync(join(dir, 'dist/readers/example.js'))).toBe(true);
    expect(existsSync(join(dir, 'dist/jobs/example.js'))).toBe(true);
  }, 300_000);

  it('read all and the job: every enabled reader, yours included, and your job, on no server', async () => {
    const out = await shell(commands[2]!, dir);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/example\.things +42\n/);
    expect(out.stdout).toMatch(/objects\.users\.count +\d+\n/);
    expect(out.stdout).toMatch(/events\.signup\.count +\d+\n/);
    expect(out.stdout).toMatch(/^free: \d+ users$/m);
    expect(out.stderr).toContain("job 'all' succeeded");
    expect(out.stderr).toContain("job 'users-by-plan' succeeded");
    expect(out.stderr).toContain('skipped prometheus: disabled (readers.prometheus.enabled is false)');
    expect(out.stderr).toContain('skipped google-analytics: disabled (readers.googleAnalytics.enabled is false)');
  }, 120_000);

  it('config check passes and masks the reader token; the graph shows the reader', async () => {
    const config = join(dir, 'etl.config.json');
    writeFileSync(config, readFileSync(config, 'utf8').replace('"field": "count",', '"field": "count", "token": "${THINGS_API_TOKEN}",'));
    const check = await shell('npx etl config check', dir, { THINGS_API_TOKEN: 'tok-s3cret' });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).not.toContain('tok-s3cret');
    expect(check.stderr).toContain('configuration OK');
    const graph = await shell('npx etl inspect --graph all', dir, { THINGS_API_TOKEN: 'tok-s3cret' });
    expect(graph.code, graph.stderr).toBe(0);
    expect(graph.stdout).toContain('example-api');
  }, 60_000);

  it('the example reader reads an HTTP JSON API (bearer token, its field), fails on an error answer, reads nothing in the past', async () => {
    const config = join(dir, 'etl.config.json');
    const text = readFileSync(config, 'utf8');
    const pointed = (url: string): string => text.replace('"url": "data:application/json,{\\"count\\": 42}"', `"url": "${url}"`);
    expect(pointed('x')).not.toBe(text);
    writeFileSync(join(dir, 'api.config.json'), pointed(`${api}/things`));
    const env = { THINGS_API_TOKEN: 'tok-s3cret' };
    const read = await shell('npx etl --config api.config.json read example-api --json', dir, env);
    expect(read.code, read.stderr).toBe(0);
    const rows = JSON.parse(read.stdout) as Array<{ dims: { date: string; hour: number }; metrics: Record<string, number> }>;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.metrics).toEqual({ 'example.things': 7 });
    expect(rows[0]!.dims.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(requests.at(-1)).toEqual({ url: '/things', authorization: 'Bearer tok-s3cret' });

    writeFileSync(join(dir, 'broken.config.json'), pointed(`${api}/broken`));
    const broken = await shell('npx etl --config broken.config.json read example-api', dir, env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('example-api');
    expect(broken.stderr).toContain('the API answered 503');

    const past = await shell('npx etl --config api.config.json read example-api --from 2026-01-01 --to 2026-01-02 --json', dir, env);
    expect(past.code, past.stderr).toBe(0);
    expect(JSON.parse(past.stdout)).toEqual([]);
    expect(past.stderr).toContain('example-api reads current values only: nothing read for a past window');
  }, 120_000);
});
