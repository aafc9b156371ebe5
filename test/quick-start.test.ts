// The quick start builds once: `prepare` (tools/build-if-stale.mjs) skips an up-to-date dist/, because npm runs it
// again when the first `npx etl` of a clone links the package into npx's cache. Checked on a small package that
// counts its builds: the script alone, then the real `npm ci` and `npx` (offline, with their own npm cache).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const helper = join(root, 'tools/build-if-stale.mjs');
let base: string;

/** This environment without npm's variables (an `npm test` sets them), npm offline with a cache of its own. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.toLowerCase().startsWith('npm_')) env[key] = value;
  return { ...env, npm_config_cache: join(base, 'npm-cache'), npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
}

function run(command: string, args: readonly string[], cwd: string, extra: Record<string, string> = {}): { code: number | null; out: string } {
  const result = spawnSync(command, args, { cwd, env: { ...npmEnv(), ...extra }, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

/** A package like this one: a `bin` in dist/, a `build` that counts its runs in builds.log, `prepare` = the helper. */
function fixture(name: string, prepare = `node ${JSON.stringify(helper)}`): string {
  const dir = join(base, name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  const pkg = { name, version: '1.0.0', type: 'module', bin: { [name]: 'dist/main.js' }, scripts: { build: 'node build.mjs', prepare } };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const lock = { name, version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name, version: '1.0.0', bin: pkg.bin } } };
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  writeFileSync(
    join(dir, 'build.mjs'),
    [
      "import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';",
      "mkdirSync('dist', { recursive: true });",
      `writeFileSync('dist/main.js', '#!/usr/bin/env node\\nconsole.log("${name} ran");\\n', { mode: 0o755 });`,
      "if (process.env.SAVE_DURING_BUILD) writeFileSync('src/during.ts', 'export const during = 1;\\n');",
      "appendFileSync('builds.log', 'built\\n');",
    ].join('\n'),
  );
  writeFileSync(join(dir, 'src/index.ts'), 'export const x = 1;\n');
  return dir;
}

const builds = (dir: string): number => readFileSync(join(dir, 'builds.log'), 'utf8').split('\n').filter(Boolean).length;
const prepare = (dir: string, extra: Record<string, string> = {}) => run(process.execPath, [helper], dir, extra);
const touchLater = (path: string): void => utimesSync(path, new Date(Date.now() + 2000), new Date(Date.now() + 2000));

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'etl-quick-start-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('quick start', () => {
  it("this package's prepare is tools/build-if-stale.mjs, and build always builds", () => {
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.prepare).toBe('node tools/build-if-stale.mjs');
    expect(scripts.build).not.toContain('build-if-stale');
  });

  it('prepare builds when there is no stamp or a build input changed, and not for files outside the inputs', () => {
    const dir = fixture('qs-unit');
    expect(prepare(dir).out).toContain('building (no dist/.build-stamp)');
    expect(builds(dir)).toBe(1);
    expect(prepare(dir).out).toContain('dist/ is up to date');
    expect(builds(dir)).toBe(1);

    for (const ignored of ['node_modules/dep/index.ts', 'dist/extra.json', '.etl/state.json', 'notes.md']) {
      mkdirSync(join(dir, ignored, '..'), { recursive: true });
      writeFileSync(join(dir, ignored), '{}\n');
      touchLater(join(dir, ignored));
    }
    expect(prepare(dir).out).toContain('dist/ is up to date');
    expect(builds(dir)).toBe(1);

    touchLater(join(dir, 'src/index.ts'));
    expect(prepare(dir).out).toContain('building (src/index.ts changed since the last build)');
    expect(builds(dir)).toBe(2);

    rmSync(join(dir, 'dist/main.js'));
    expect(prepare(dir).out).toContain('building (dist/main.js is missing)');
    expect(builds(dir)).toBe(3);
  });

  it('a file saved while the build runs makes the next prepare build again', () => {
    const dir = fixture('qs-during');
    prepare(dir, { SAVE_DURING_BUILD: '1' });
    expect(prepare(dir).out).toContain('building (src/during.ts changed since the last build)');
    expect(builds(dir)).toBe(2);
  });

  it('a failed build leaves no stamp and fails prepare', () => {
    const dir = fixture('qs-fails');
    writeFileSync(join(dir, 'build.mjs'), 'process.exit(3);\n');
    const outcome = prepare(dir);
    expect(outcome.code).toBe(3);
    expect(outcome.out).toContain('npm run build failed');
    expect(prepare(dir).out).toContain('building (no dist/.build-stamp)');
  });

  it('`npm ci` then the first `npx <bin>`: npx runs prepare again, which builds only with a prepare that always builds', () => {
    const fast = fixture('qs-fast');
    const always = fixture('qs-always', 'npm run build');
    for (const [dir, name, expected] of [[fast, 'qs-fast', 1], [always, 'qs-always', 2]] as const) {
      const ci = run('npm', ['ci'], dir);
      expect(ci.code, ci.out).toBe(0);
      expect(builds(dir)).toBe(1);
      const npx = run('npx', [name], dir);
      expect(npx.code, npx.out).toBe(0);
      expect(npx.out).toContain(`${name} ran`);
      expect(builds(dir), name).toBe(expected);
    }
  });
});
