// `prepare`: runs `npm run build` unless dist/ was built by this script after the last change to any build input.
// Why: npm runs `prepare` twice on a fresh clone. `npm ci` runs it; then the first `npx etl` finds `etl` in this
// package's own "bin", so npm links the package into its npx cache (~/.npm/_npx/<hash of this path>/) and runs
// `prepare` of the link target again (npm's libnpmexec: "we have to install the local package into the npx cache
// so that its bin links get set up"; arborist runs `prepare` for links). That second tsc found nothing to do
// but took 20+ s. The same happens on `npm install` in a project that depends on this clone by `file:`.
// Build inputs: every .ts/.mts/.cts/.tsx/.json/.css file outside node_modules/, dist/ and dot-directories
// (sources, tsconfigs, package.json and its lock, the CSS the build copies). dist/.build-stamp records the time
// the last build *started*, so a file saved during a build makes the next `prepare` build again.
// `npm run build` always builds (CI and `npm test` use it); it does not touch the stamp, which only makes the
// next `prepare` build once more.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';

const INPUTS = new Set(['.ts', '.mts', '.cts', '.tsx', '.json', '.css']);
const SKIPPED = new Set(['node_modules', 'dist']);

/** The most recently modified build input under dir, or undefined when there is none. */
function newestInput(dir) {
  let newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    let found;
    if (entry.isDirectory()) {
      if (entry.name.startsWith('.') || SKIPPED.has(entry.name)) continue;
      found = newestInput(path);
    } else if (entry.isFile() && INPUTS.has(extname(entry.name))) {
      found = { path, mtimeMs: statSync(path).mtimeMs };
    }
    if (found && (!newest || found.mtimeMs > newest.mtimeMs)) newest = found;
  }
  return newest;
}

/** Why dist/ must be built, or undefined when it is up to date. */
function staleReason(root, stamp) {
  if (!existsSync(stamp)) return 'no dist/.build-stamp';
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {});
  const missing = bins.find((bin) => !existsSync(join(root, bin)));
  if (missing) return `${missing} is missing`;
  const built = statSync(stamp).mtimeMs;
  const newest = newestInput(root);
  if (newest && newest.mtimeMs >= built) return `${relative(root, newest.path)} changed since the last build`;
  return undefined;
}

const root = process.cwd();
const stamp = join(root, 'dist', '.build-stamp');
const reason = staleReason(root, stamp);
if (reason === undefined) {
  console.error('build-if-stale: dist/ is up to date (no build input changed since dist/.build-stamp); `npm run build` builds anyway');
  process.exit(0);
}
console.error(`build-if-stale: building (${reason})`);
const started = new Date();
const npm = process.env.npm_execpath;
const build = npm
  ? spawnSync(process.execPath, [npm, 'run', 'build'], { stdio: 'inherit' })
  : spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
if (build.status !== 0) {
  console.error(`build-if-stale: npm run build failed (${build.error?.message ?? `exit ${build.status ?? build.signal}`})`);
  process.exit(build.status || 1);
}
mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(stamp, `written by tools/build-if-stale.mjs; its mtime is when the build started (${started.toISOString()})\n`);
utimesSync(stamp, started, started);
