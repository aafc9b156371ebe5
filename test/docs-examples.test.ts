// Every example of README.md and docs/*.md is checked: JSON configuration blocks by the configuration schema,
// TypeScript blocks by the compiler against the package, curl blocks of the HTTP APIs against a real
// `etl scheduler` on the demo (UI + collector) with their answer's status, relative links, and the
// architecture table against the import rules. A failure names the file and line. The getting-started page's
// shell blocks run in test/docs-getting-started.test.ts; the generated pages are checked in test/docs-generated.test.ts.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpolateEnv } from '../config/interpolate.js';
import { formatIssues } from '../config/load.js';
import { configSchema } from '../config/schema.js';
import { MAY_IMPORT } from './support/architecture-map.js';
import { documentationFiles, markdownBlocks, where, type MarkdownBlock } from './support/markdown-blocks.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'dist/cli/main.js');

/** Pages other branches add (issue 22's coordination): linked already, present after the merge. Remove when merged. */

const files = documentationFiles(root);
const blocks = files.flatMap((file) => markdownBlocks(root, file));

/** Values for `${VAR}` in examples: URLs where a URL is expected, a plausible secret otherwise. */
const SAMPLE_ENV = new Proxy({} as Record<string, string>, {
  get: (_target, name: string) =>
    ({ DATABASE_URL: 'postgres://etl:secret@db.internal/metrics', REDIS_URL: 'redis://redis.internal:6379', ALERT_WEBHOOK: 'https://hooks.example.com/T000/B000' })[name] ??
    'sample-secret-value',
});

/** Why a JSON block is not valid configuration, or undefined. */
function configProblem(block: MarkdownBlock): string | undefined {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(block.text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) return `${where(block)}: not JSON (offset ${errors[0]!.offset})`;
  const key = /^fragment:\s*(\S+)$/.exec(block.marker ?? '')?.[1];
  const whole = key === undefined ? value : key.split('.').reduceRight<unknown>((inner, part) => ({ [part]: inner }), value);
  try {
    const parsed = configSchema.safeParse(interpolateEnv(whole, SAMPLE_ENV, where(block)));
    return parsed.success ? undefined : formatIssues(where(block), parsed.error.issues);
  } catch (error) {
    return (error as Error).message;
  }
}

describe('JSON examples', () => {
  const json = blocks.filter((b) => b.lang === 'json' || b.lang === 'jsonc');

  it('are there to check (fragments, whole files)', () => {
    expect(json.filter((b) => b.marker?.startsWith('fragment:')).length).toBeGreaterThanOrEqual(2);
    expect(json.length).toBeGreaterThanOrEqual(6);
  });

  it('each is valid configuration (a whole etl.config.json, or the value of its <!-- fragment: key -->)', () => {
    expect(json.filter((b) => b.marker !== 'not-config').map(configProblem).filter(Boolean)).toEqual([]);
  });

  it('the checker catches a wrong one (a default changed to a wrong type, an unknown key)', () => {
    const wrong = { file: 'x.md', line: 3, lang: 'json', text: '{ "dashboards": { "maxRows": "many" }, "colector": {} }' };
    expect(configProblem(wrong)).toMatch(/^x\.md:3: dashboards\.maxRows: .*\nx\.md:3: \(root\): .*'colector'/);
    expect(configProblem({ ...wrong, marker: 'fragment: readers.events', text: '{ "tabel": "events" }' })).toMatch(/x\.md:3: readers\.events: .*'tabel'/);
  });
});

describe('TypeScript examples', () => {
  it('compile against the package (strict), as a user would write them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'etl-doc-ts-'));
    try {
      mkdirSync(join(dir, 'node_modules/@segment'), { recursive: true });
      mkdirSync(join(dir, 'node_modules/@rudderstack'), { recursive: true });
      symlinkSync(root, join(dir, 'node_modules/etl-metrics'), 'dir');
      for (const pkg of ['@segment/analytics-node', '@rudderstack/rudder-sdk-node', '@types']) symlinkSync(join(root, 'node_modules', pkg), join(dir, 'node_modules', pkg), 'dir');
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      const tsBlocks = blocks.filter((b) => b.lang === 'ts' || b.lang === 'typescript');
      expect(tsBlocks.length).toBeGreaterThanOrEqual(3);
      const sources = new Map(tsBlocks.map((b, i) => [join(dir, `example-${i}.ts`), b]));
      for (const [file, block] of sources) writeFileSync(file, block.text);
      const program = ts.createProgram([...sources.keys()], {
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2022,
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
      });
      const problems = ts.getPreEmitDiagnostics(program).map((d) => {
        const block = d.file === undefined ? undefined : sources.get(resolve(d.file.fileName));
        const line = d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
        const at = block === undefined ? '?' : `${block.file}:${block.line + line}`;
        return `${at}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
      expect(problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** GitHub's anchor of a heading: lower-case, punctuation dropped, spaces as '-'. */
const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

function anchors(file: string): Set<string> {
  const text = readFileSync(join(root, file), 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.*)$/gm)].map((m) => slug(m[1]!)));
}

describe('links', () => {
  it('every relative link of README.md and docs/ reaches a file (and its heading)', () => {
    const broken: string[] = [];
    for (const file of files) {
      const lines = readFileSync(join(root, file), 'utf8').split('\n');
      lines.forEach((text, i) => {
        for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
          if (/^(https?:|mailto:|#)/.test(target!)) continue;
          const [path, anchor] = target!.split('#') as [string, string | undefined];
          const resolved = join(dirname(file), path).replace(/\\/g, '/');
          if (!existsSync(join(root, resolved))) broken.push(`${file}:${i + 1}: ${target} (no such file)`);
          else if (anchor !== undefined && resolved.endsWith('.md') && !anchors(resolved).has(anchor)) broken.push(`${file}:${i + 1}: ${target} (no such heading)`);
        }
      });
    }
    expect(broken).toEqual([]);
  });

  it('the README links every page of the manual', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const pages = files.filter((f) => f.startsWith('docs/')).map((f) => f.slice('docs/'.length));
    expect(pages.filter((page) => !readme.includes(`](docs/${page}`))).toEqual([]);
  });
});

describe('architecture page', () => {
  it('its table says what MAY_IMPORT says, folder by folder', () => {
    const text = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
    const rows = [...text.matchAll(/^\| `([a-z]+)\/` \| .* \| (.*) \|$/gm)].map(([, room, deps]) => [room!, deps!] as const);
    const documented = Object.fromEntries(
      rows.filter(([room]) => room in MAY_IMPORT).map(([room, deps]) => [room, deps === '(nothing)' ? [] : [...deps.matchAll(/`([a-z]+)\/`/g)].map((m) => m[1]!).sort()]),
    );
    expect(documented).toEqual(Object.fromEntries(Object.entries(MAY_IMPORT).map(([room, deps]) => [room, [...deps].sort()])));
  });
});

describe('curl examples of the HTTP APIs', () => {
  const curls = blocks.filter((b) => (b.lang === 'sh' || b.lang === 'bash') && /(^|\s)curl\s/.test(b.text) && b.file !== 'docs/getting-started.md' && b.marker !== 'acceptance');
  let dir: string;
  let scheduler: ChildProcess;
  let ui = '';
  let collector = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'etl-doc-curl-'));
    const demo = JSON.parse(readFileSync(join(root, 'examples/demo/etl.config.json'), 'utf8')) as { collector: Record<string, unknown> };
    demo.collector = { ...demo.collector, port: 0, page: join(root, 'examples/demo/page.html') };
    writeFileSync(join(dir, 'etl.config.json'), JSON.stringify(demo));
    const env: NodeJS.ProcessEnv = { ...process.env, ETL_DATA_DIR: join(dir, '.etl') };
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'ETL_CONFIG', 'ETL_UI_TOKEN']) delete env[name];
    scheduler = spawn(process.execPath, [bin, 'scheduler', '--port', '0'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`etl scheduler did not start:\n${log}`)), 120_000);
      scheduler.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        ui ||= /web UI on (http:\/\/\S+)/.exec(log)?.[1] ?? '';
        collector ||= /collector on (http:\/\/[\d.:]+)/.exec(log)?.[1] ?? '';
        if (ui && collector) {
          clearTimeout(timer);
          ready();
        }
      });
      scheduler.on('exit', (code) => fail(new Error(`etl scheduler exited ${code}:\n${log}`)));
    });
  }, 150_000);

  afterAll(async () => {
    if (scheduler?.exitCode === null) {
      const exited = new Promise((done) => scheduler.on('exit', done));
      scheduler.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('each names the status it expects (<!-- expect: N -->)', () => {
    expect(curls.length).toBeGreaterThanOrEqual(10);
    expect(curls.filter((b) => !/^expect: \d{3}$/.test(b.marker ?? '')).map(where)).toEqual([]);
  });

  it('each answers that status from a server on the demo', async () => {
    const wrong: string[] = [];
    for (const block of curls) {
      const expected = /^expect: (\d{3})$/.exec(block.marker ?? '')?.[1];
      const script = block.text.replaceAll('http://127.0.0.1:8080', ui).replaceAll('http://127.0.0.1:8081', collector);
      // Each curl prints its status last (and its body before it, for the message).
      const shell = `curl() { command curl -sS -w '\\n%{http_code}' "$@"; }\n${script}`;
      const run = await new Promise<{ stdout: string; stderr: string }>((done) =>
        execFile('bash', ['-c', shell], { encoding: 'utf8', timeout: 30_000 }, (_error, stdout, stderr) => done({ stdout, stderr })),
      );
      const status = run.stdout.trim().split('\n').at(-1);
      if (status !== expected) wrong.push(`${where(block)}: expected ${expected}, got ${status} (${run.stdout.trim().slice(0, 300)}${run.stderr.slice(0, 300)})`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
