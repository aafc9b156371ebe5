// The import rules of the architecture, checked on the real module graph (madge): they hold or the suite fails.
import madge from 'madge';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
let imports: Record<string, string[]>;

beforeAll(async () => {
  const result = await madge(root, {
    fileExtensions: ['ts'],
    tsConfig: resolve(root, 'tsconfig.json'),
    excludeRegExp: [/node_modules/, /^dist\//, /\.test\.ts$/, /^test\//, /^bench\//],
  });
  imports = result.obj();
}, 60_000);

const folder = (file: string): string => file.split('/')[0]!;

function violations(from: (f: string) => boolean, to: (f: string) => boolean): string[] {
  return Object.entries(imports).flatMap(([file, deps]) => (from(file) ? deps.filter(to).map((dep) => `${file} -> ${dep}`) : []));
}

/**
 * The house: each folder and the folders it may import (besides itself). The same map is in README.md.
 * Bottom: graph, metrics, sql, secrets. Storage (embedded, writers, runs) below execution; the scheduler and
 * the queue transport hand firings to execution; monitoring watches them; runtime wires configuration into
 * all of it; web and cli sit on top.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  secrets: [],
  dashboards: ['graph', 'metrics', 'secrets', 'sql', 'writers'],
  sql: [],
  metrics: [],
  graph: [],
  net: ['graph'],
  readers: ['graph', 'metrics', 'secrets', 'sql'],
  embedded: ['graph', 'secrets', 'sql'],
  writers: ['embedded', 'graph', 'metrics', 'secrets', 'sql'],
  jobs: ['graph', 'metrics', 'writers'],
  runs: ['embedded', 'graph', 'metrics', 'secrets', 'sql', 'writers'],
  execution: ['embedded', 'graph', 'jobs', 'metrics', 'runs', 'secrets', 'writers'],
  scheduler: ['embedded', 'execution', 'graph', 'jobs', 'metrics', 'runs', 'secrets'],
  queue: ['execution', 'graph', 'runs', 'secrets'],
  monitoring: ['execution', 'graph', 'queue', 'runs', 'secrets'],
  collector: ['graph', 'metrics', 'net', 'secrets', 'sql', 'writers'],
  checks: ['graph', 'jobs', 'metrics', 'secrets', 'sql', 'writers'],
  config: ['graph', 'metrics', 'readers', 'secrets'],
  runtime: ['checks', 'config', 'embedded', 'examples', 'execution', 'graph', 'jobs', 'metrics', 'monitoring', 'queue', 'readers', 'runs', 'scheduler', 'secrets', 'writers'],
  web: ['dashboards', 'embedded', 'execution', 'graph', 'jobs', 'metrics', 'monitoring', 'net', 'queue', 'runs', 'runtime', 'scheduler', 'secrets', 'writers'],
};

describe('architecture', () => {
  it('each folder imports only the folders the house allows it (MAY_IMPORT)', () => {
    const found = Object.entries(MAY_IMPORT).flatMap(([room, allowed]) =>
      violations((f) => folder(f) === room, (d) => folder(d) !== room && !allowed.includes(folder(d))),
    );
    expect(found).toEqual([]);
  });

  it('every folder of production code is a room of the house', () => {
    const rooms = new Set(Object.keys(imports).filter((f) => f.includes('/')).map(folder));
    const unknown = [...rooms].filter((r) => !(r in MAY_IMPORT) && !['cli', 'examples', 'tools'].includes(r));
    expect(unknown).toEqual([]);
  });

  it('sees the project', () => {
    expect(Object.keys(imports)).toEqual(expect.arrayContaining(['graph/executor.ts', 'cli/main.ts', 'readers/events.ts']));
  });

  it('sees the masker', () => {
    expect(Object.keys(imports)).toContain('secrets/mask.ts');
  });

  it('secrets imports nothing of the project (so anyone may import it)', () => {
    expect(violations((f) => folder(f) === 'secrets', (d) => folder(d) !== 'secrets')).toEqual([]);
  });

  it('graph imports no other project module', () => {
    expect(violations((f) => folder(f) === 'graph', (d) => folder(d) !== 'graph')).toEqual([]);
  });

  it('metrics imports only itself', () => {
    expect(violations((f) => folder(f) === 'metrics', (d) => folder(d) !== 'metrics')).toEqual([]);
  });

  it('sees the identifier quoting, and sql imports only itself', () => {
    expect(Object.keys(imports)).toContain('sql/identifiers.ts');
    expect(violations((f) => folder(f) === 'sql', (d) => folder(d) !== 'sql')).toEqual([]);
  });

  it('readers and writers never import each other, nor jobs, cli or config (graph, metrics, secrets and sql they may; writers the embedded server)', () => {
    const low = new Set(['graph', 'metrics', 'secrets', 'sql']);
    expect(violations((f) => folder(f) === 'readers', (d) => !low.has(folder(d)) && folder(d) !== 'readers')).toEqual([]);
    expect(violations((f) => folder(f) === 'writers', (d) => !low.has(folder(d)) && !['writers', 'embedded'].includes(folder(d)))).toEqual([]);
  });

  it('only cli and runtime (configuration turned into registry, services and stores) import config', () => {
    expect(violations((f) => !['cli', 'config', 'runtime'].includes(folder(f)), (d) => folder(d) === 'config')).toEqual([]);
  });

  it('runtime is imported by cli and web only, and imports neither', () => {
    expect(violations((f) => !['cli', 'runtime', 'web'].includes(folder(f)), (d) => folder(d) === 'runtime')).toEqual([]);
    expect(violations((f) => folder(f) === 'runtime', (d) => folder(d) === 'web')).toEqual([]);
    expect(violations((f) => folder(f) === 'runtime', (d) => folder(d) === 'cli')).toEqual([]);
  });

  it('the collector imports only graph, secrets, sql and writers; only cli (which hosts it) imports it', () => {
    const allowed = new Set(['collector', 'graph', 'net', 'secrets', 'sql', 'writers', 'metrics']);
    expect(violations((f) => folder(f) === 'collector', (d) => !allowed.has(folder(d)))).toEqual([]);
    expect(violations((f) => !['cli', 'collector'].includes(folder(f)), (d) => folder(d) === 'collector')).toEqual([]);
  });

  it('nothing imports cli', () => {
    expect(violations((f) => folder(f) !== 'cli', (d) => folder(d) === 'cli')).toEqual([]);
  });
});
