// The embedded database through the real `etl` binary: a data directory holds its databases alone (the template
// lives in the user's cache, else falls back to it), 0700; the share asks for the password kept beside the lock.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processRunner, type RunOptions } from './support/processes.js';
import { waitFor } from './support/wait.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'dist/cli/main.js');
const TEMPLATE = /^\.pglite-template-\d+\.\d+\.\d+$/;

let scratch: string;
const runner = processRunner({ cwd: () => scratch, killAfterMs: 120_000 });

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'etl-embedded-cli-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A directory to run in, with its own data directory and XDG_CACHE_HOME (no test touches ~/.cache). */
function place(name: string, cache?: string): { dir: string; data: string; cache: string; options: RunOptions } {
  const dir = join(scratch, name);
  mkdirSync(dir);
  const data = join(dir, 'data');
  const xdg = cache ?? join(dir, 'xdg');
  return { dir, data, cache: xdg, options: { cwd: dir, env: { ETL_DATA_DIR: data, XDG_CACHE_HOME: xdg } } };
}

const etl = (args: readonly string[], options: RunOptions) => runner.start(process.execPath, [bin, ...args], options).done;
const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

/** psql as another local user would run it: `-U anyone`, never prompting, no ~/.pgpass, PGPASSWORD as given. */
function psql(port: number, password?: string): Promise<{ code: number | null; out: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('PG')) env[key] = value;
  if (password !== undefined) env.PGPASSWORD = password;
  const args = ['-h', '127.0.0.1', '-p', String(port), '-U', 'anyone', '-w', '-At', '-c', 'select 1'];
  const options = { encoding: 'utf8' as const, env: { ...env, PGPASSFILE: join(scratch, 'no-pgpass'), PGCONNECT_TIMEOUT: '5' }, timeout: 20_000 };
  return new Promise((done) => {
    execFile('psql', args, options, (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, out: `${stdout}${stderr}` }));
  });
}

describe('a data directory costs its databases, not a template', () => {
  it('after `etl read all --write` (demo) it holds the databases alone, 0700; the template is under XDG_CACHE_HOME', async () => {
    const { data, cache, options } = place('fresh');
    const run = await etl(['read', 'all', '--write'], options);
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(data).filter((name) => !name.endsWith('.lock')).sort()).toEqual(['demo-website', 'metrics-db']);
    expect(readdirSync(join(cache, 'etl-metrics')).filter((name) => TEMPLATE.test(name))).toHaveLength(1);
    expect([mode(data), mode(join(data, 'metrics-db')), mode(join(data, 'demo-website'))]).toEqual(['700', '700', '700']);
  }, 180_000);

  it('falls back to the data directory when the cache directory cannot be written', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, ''); // XDG_CACHE_HOME below a file: ENOTDIR, even for root
    const { data, options } = place('fallback', join(file, 'cache'));
    const run = await etl(['runs', '--json'], options);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`the template cache ${join(file, 'cache', 'etl-metrics')} is not writable (ENOTDIR)`);
    expect(readdirSync(data).filter((name) => TEMPLATE.test(name))).toHaveLength(1);
    expect(existsSync(join(data, 'metrics-db', 'PG_VERSION'))).toBe(true);
  }, 180_000);
});

describe('the embedded database shared by `etl scheduler`', () => {
  it('refuses psql without the password or with a wrong one; takes it with the password; `etl runs` goes through', async () => {
    const { dir, data, options } = place('shared');
    const demo = JSON.parse(readFileSync(join(root, 'examples/demo/etl.config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'etl.config.json'), JSON.stringify({ ...demo, schedules: { clean: { cron: '0 3 * * *' } } }));
    const scheduler = runner.start(process.execPath, [bin, 'scheduler'], { ...options, killAfterMs: 120_000 });
    const socket = join(data, 'metrics-db.socket');
    await waitFor('the scheduler to share the embedded database', () => {
      if (scheduler.exited()) throw new Error(`etl scheduler exited; stderr:\n${scheduler.stderr()}`);
      return existsSync(socket) ? true : undefined;
    }, 90_000);
    const { port } = JSON.parse(readFileSync(socket, 'utf8')) as { port: number };
    const password = readFileSync(join(data, 'metrics-db.password'), 'utf8').trim();
    expect(mode(data)).toBe('700');
    expect(mode(join(data, 'metrics-db.password'))).toBe('600');
    expect(mode(socket)).toBe('600');

    const none = await psql(port);
    expect(none.code).not.toBe(0);
    expect(none.out).toContain('no password supplied');
    const wrong = await psql(port, 'wrong');
    expect(wrong.code).not.toBe(0);
    expect(wrong.out).toContain('password authentication failed for user "anyone"');
    expect(await psql(port, password)).toEqual({ code: 0, out: '1\n' });

    const runs = await etl(['runs', '--json'], options);
    expect(runs.code, runs.stderr).toBe(0);
    expect(runs.stderr).not.toContain('waiting for embedded metrics database');
    expect(JSON.parse(runs.stdout)).toEqual([]);

    scheduler.kill('SIGTERM');
    const stopped = await scheduler.done;
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(`${stopped.stdout}${stopped.stderr}${runs.stdout}${runs.stderr}`).not.toContain(password);
  }, 180_000);

  it('a command started while the scheduler has locked the database but not shared it yet joins the share once offered', async () => {
    const { dir, data, cache, options } = place('joining');
    const demo = JSON.parse(readFileSync(join(root, 'examples/demo/etl.config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'etl.config.json'), JSON.stringify({ ...demo, schedules: { clean: { cron: '0 3 * * *' } } }));
    // A fresh data directory and template cache: the scheduler holds the lock for the seconds it creates the database.
    const scheduler = runner.start(process.execPath, [bin, 'scheduler'], { ...options, killAfterMs: 120_000 });
    await waitFor('the scheduler to lock the embedded database', () => {
      if (scheduler.exited()) throw new Error(`etl scheduler exited; stderr:\n${scheduler.stderr()}`);
      return existsSync(join(data, 'metrics-db.lock')) ? true : undefined;
    }, 60_000);
    expect(existsSync(join(data, 'metrics-db.socket'))).toBe(false);
    // Its lock wait is longer than the creation: it used to wait out all of it on the lock, then fail.
    const runs = await etl(['runs', '--json'], { ...options, env: { ...options.env, ETL_LOCK_WAIT: '30s', XDG_CACHE_HOME: cache } });
    expect(runs.code, runs.stderr).toBe(0);
    expect(runs.stderr).toContain('waiting for embedded metrics database');
    expect(JSON.parse(runs.stdout)).toEqual([]);
    expect(existsSync(join(data, 'metrics-db.socket'))).toBe(true);
    scheduler.kill('SIGTERM');
    await scheduler.done;
  }, 180_000);
});
