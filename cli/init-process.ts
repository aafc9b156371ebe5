// `etl init [dir]`: a starter project for your own systems, copied from the templates in examples/init/ (shipped
// with the package): a commented etl.config.json, a reader and a job of your own, and the package.json and
// tsconfig.json that compile them. Existing files are never overwritten without `force`.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { packageRoot } from '../config/load.js';
import { UsageError } from '../graph/errors.js';

export interface InitOptions {
  /** The target directory (relative to `cwd`), as given; the current directory when undefined. */
  readonly dir: string | undefined;
  readonly cwd: string;
  /** Overwrite files that exist. */
  readonly force: boolean;
}

export interface InitResult {
  /** Absolute path of the project written. */
  readonly dir: string;
  /** Paths written, relative to `dir`. */
  readonly written: readonly string[];
  /** The ones that existed before (only with `force`). */
  readonly replaced: readonly string[];
  /** How the project depends on etl-metrics (`file:/path/of/this/clone`, or a registry range). */
  readonly dependency: string;
  /** The next three shell commands to run, in order. */
  readonly commands: readonly string[];
}

/** Template file (under examples/init/) -> path in the new project; package.json is made, not copied. */
const TEMPLATES: ReadonlyArray<readonly [from: string, to: string]> = [
  ['etl.config.json', 'etl.config.json'],
  ['readers/example.ts', 'readers/example.ts'],
  ['jobs/example.ts', 'jobs/example.ts'],
  ['tsconfig.json', 'tsconfig.json'],
  // npm leaves files named .gitignore out of a published package: the template goes without the dot.
  ['gitignore', '.gitignore'],
];
const PACKAGE_JSON = 'package.json';

interface OwnPackage {
  readonly name: string;
  readonly version: string;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

/** A shell word for `cd`: as it is when it needs no quoting, else single-quoted. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/** An npm package name from a directory name ('My Metrics' -> 'my-metrics'). */
function projectName(dir: string): string {
  const name = basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|-+$/g, '');
  return name === '' || name === 'node_modules' ? 'etl-project' : name.slice(0, 214);
}

/**
 * How the new project depends on this package: by path (`file:`) when it runs from a clone, so that no registry
 * publish is needed; by version when it was itself installed from a registry (its path is inside node_modules).
 */
function dependencyOn(root: string, own: OwnPackage): string {
  return root.split(sep).includes('node_modules') ? `^${own.version}` : `file:${root}`;
}

function packageJson(dir: string, dependency: string, own: OwnPackage): string {
  const dev = own.devDependencies ?? {};
  const pkg = {
    name: projectName(dir),
    version: '0.1.0',
    private: true,
    description: 'Business metrics: our readers and jobs for etl-metrics',
    type: 'module',
    engines: { node: '>=20' },
    scripts: { build: 'tsc', check: 'tsc --noEmit' },
    dependencies: { [own.name]: dependency },
    devDependencies: { '@types/node': dev['@types/node'] ?? '^20.19.0', typescript: dev.typescript ?? '^5.9.0' },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function nextCommands(dir: string, cwd: string): string[] {
  const check = 'npx etl read all && npx etl run users-by-plan';
  if (resolve(cwd) === dir) return ['npm install', 'npm run build', check];
  return [`cd ${shellWord(dir)}`, 'npm install && npm run build', check];
}

/** Writes the starter project; throws a UsageError naming the files that exist (without `force`: nothing is written). */
export function initProject(options: InitOptions): InitResult {
  const dir = resolve(options.cwd, options.dir ?? '.');
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${dir} exists and is not a directory`);
  const root = packageRoot();
  const templates = join(root, 'examples/init');
  const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as OwnPackage;
  const dependency = dependencyOn(root, own);
  const contents = new Map<string, string>(TEMPLATES.map(([from, to]) => [to, readFileSync(join(templates, from), 'utf8')]));
  contents.set(PACKAGE_JSON, packageJson(dir, dependency, own));

  const existing = [...contents.keys()].filter((file) => existsSync(join(dir, file)));
  if (existing.length > 0 && !options.force) {
    const named = existing.map((file) => join(options.dir ?? '.', file)).join(', ');
    throw new UsageError(`${named} already ${existing.length === 1 ? 'exists' : 'exist'}: nothing written (etl init --force overwrites)`);
  }
  for (const [file, text] of contents) {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return { dir, written: [...contents.keys()], replaced: existing, dependency, commands: nextCommands(dir, options.cwd) };
}
