// The `etl` binary as a user runs it: compiled JavaScript, real processes, exit codes and messages.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createTestDatabase } from './support/pg.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'dist/cli/main.js');
const graphModule = pathToFileURL(join(root, 'dist/graph/index.js')).href;
const jobsModule = pathToFileURL(join(root, 'dist/jobs/job.js')).href;
let dir: string;
let userJobs: string;

function etl(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ETL_JOBS: userJobs, ...env },
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'etl-cli-'));
  userJobs = join(dir, 'user-jobs.mjs');
  writeFileSync(
    userJobs,
    `
import { graphBuilder, source, map, sink, UnrecoverableError } from ${JSON.stringify(graphModule)};
import { defineJob } from ${JSON.stringify(jobsModule)};

export const failing = defineJob({
  name: 'failing', description: 'a node fails on some rows', services: [],
  build: () => {
    const b = graphBuilder('failing');
    b.source('read', source(() => [1, 2, 3, 4])).to('parse', map((n) => { if (n % 2 === 0) throw new RangeError('even value ' + n); return n; })).to('out', sink(() => {}));
    return b.build();
  },
});

export const crashing = defineJob({
  name: 'crashing', description: 'unrecoverable error in the middle of 1M rows', services: [],
  build: () => {
    const b = graphBuilder('crashing');
    b.source('read', source(function* () { for (let i = 0; i < 1e6; i++) yield i; }))
      .to('check', map((n) => { if (n === 300000) throw new UnrecoverableError('schema changed under us'); return n; }))
      .to('out', sink(() => {}));
    return b.build();
  },
});

export const needsDb = defineJob({
  name: 'needs-db', description: 'declares a service nobody provides', services: ['warehouse'],
  build: () => { const b = graphBuilder('needs-db'); b.source('read', source(() => [1])).to('out', sink(() => {})); return b.build(); },
});

export const cyclic = defineJob({
  name: 'cyclic', description: 'an invalid graph', services: [],
  build: () => {
    const b = graphBuilder('cyclic');
    const a = b.source('read', source(() => [1])).to('a', map((n) => n));
    a.to('b', map((n) => n)).into(a);
    return b.build();
  },
});
`,
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('etl CLI', () => {
  it('prints help and lists jobs', () => {
    const help = etl(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: etl');
    const jobs = etl(['jobs', '--json']);
    expect(jobs.code).toBe(0);
    expect(JSON.parse(jobs.stdout).map((j: { name: string }) => j.name)).toEqual(expect.arrayContaining(['example', 'failing', 'crashing']));
  });

  it('runs the example job: exit 0, rows on stdout, one status line per node on stderr', () => {
    const run = etl(['run', 'example']);
    expect(run.code).toBe(0);
    const rows = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(rows).toHaveLength(72);
    expect(rows.reduce((sum, r) => sum + r.metrics['example.visits'], 0)).toBe(27_000);
    expect(run.stderr).toContain('- page-views in=30000 out=30000 err=0 [done]');
    expect(run.stderr).toContain('- drop-bots in=30000 out=27000 err=0 [done]');
    expect(run.stderr).toMatch(/job 'example' succeeded in \d+\.\d\ds/);
  });

  it('exits 1 when a node has row errors, naming the node and the first error', () => {
    const run = etl(['run', 'failing']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('- parse in=4 out=2 err=2 [failed]');
    expect(run.stderr).toContain("job 'failing': node 'parse' had 2 row errors; first at row 2: RangeError: even value 2 (row: 2)");
  });

  it('exits 1 without hanging when a node dies while upstream still produces', () => {
    const run = etl(['run', 'crashing', '--json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("job 'crashing': node 'check' failed: UnrecoverableError: schema changed under us");
    const record = JSON.parse(run.stdout);
    expect(record.nodes.find((n: { name: string }) => n.name === 'read').status).toBe('cancelled');
    expect(record.nodes.find((n: { name: string }) => n.name === 'read').out).toBeLessThan(1_000_000);
  });

  it('exits 2 on bad usage and configuration', () => {
    const unknown = etl(['run', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("etl: UsageError: unknown job 'nope' (known jobs: example");
    expect(etl(['frobnicate']).code).toBe(2);
    expect(etl(['run']).stderr).toContain("missing required argument 'job'");
    const missing = etl(['run', 'needs-db']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("job 'needs-db': missing service 'warehouse'");
    const cyclic = etl(['inspect', 'cyclic']);
    expect(cyclic.code).toBe(2);
    expect(cyclic.stderr).toContain("graph 'cyclic' is invalid: it has a cycle through 'a', 'b'");
    const badModule = etl(['jobs'], { ETL_JOBS: join(dir, 'missing.mjs') });
    expect(badModule.code).toBe(2);
    expect(badModule.stderr).toContain('jobs module');
  });

  it('inspects a job: nodes, edges, services; --graph prints DOT that dot accepts', () => {
    const text = etl(['inspect', 'example']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('services: (none)');
    expect(text.stdout).toContain('  drop-bots [transform: filter] <- fields');
    expect(text.stdout).toContain('  per-hour -> to-metrics');
    const dot = etl(['inspect', '--graph', 'example']);
    expect(dot.code).toBe(0);
    const svg = spawnSync('dot', ['-Tsvg'], { input: dot.stdout, encoding: 'utf8' });
    expect(svg.status).toBe(0);
    expect(svg.stdout).toContain('<svg');
  });

  it('config check prints the effective configuration with secrets masked; a bad one exits 2 naming the key', () => {
    const file = join(dir, 'etl.config.json');
    writeFileSync(file, JSON.stringify({ sources: { website: { url: 'postgres://etl:${SITE_PW}@127.0.0.1:1/site' } }, readers: { events: { source: 'website' } } }));
    const check = etl(['--config', file, 'config', 'check'], { SITE_PW: 'hunter2-secret' });
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout).sources.website.url).toBe('postgres://etl:***@127.0.0.1:1/site');
    expect(check.stdout + check.stderr).not.toContain('hunter2-secret');
    expect(check.stderr).toContain('reader events: enabled (reads website)');
    expect(check.stderr).toContain('reader prometheus: skipped, not configured (set readers.prometheus.url and readers.prometheus.metrics in etl.config.json)');
    writeFileSync(file, JSON.stringify({ readers: { events: { source: 'nowhere' } } }));
    const bad = etl(['--config', file, 'read', 'events']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("readers.events.source: 'nowhere' is not a configured source (sources: none)");
  });

  it('a source that cannot be reached fails its reader: exit 1, the reader and the cause named, no password', () => {
    const file = join(dir, 'unreachable.json');
    writeFileSync(file, JSON.stringify({ sources: { website: { url: 'postgres://etl:pw-should-not-leak@127.0.0.1:1/site' } }, readers: { events: { source: 'website' } } }));
    const run = etl(['--config', file, 'read', 'events']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("node 'events' failed");
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stdout + run.stderr).not.toContain('pw-should-not-leak');
  });
});

describe('etl CLI (issue 18)', () => {
  /** etl without blocking this process, for the servers this test file runs itself. */
  function etlAsync(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((done) => {
      execFile(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ETL_JOBS: userJobs, ...env }, timeout: 30_000 }, (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
    });
  }

  it('a server echoing the Authorization header leaks neither the password nor its base64 into stderr or the run record', async () => {
    const password = 'Pr0m/s3cret pw';
    const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
    // Posing as Prometheus: every query is refused with the header it was sent, and its credentials alone.
    const server = createServer((req, res) => {
      const auth = req.headers.authorization ?? '';
      res.writeHead(401, { 'content-type': 'text/plain' }).end(`unauthorized: Authorization: ${auth} (credentials ${auth.replace(/^Basic /, '')})`);
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const metrics = await createTestDatabase('etl_cli_echo');
    onTestFinished(async () => {
      server.close();
      await metrics.drop();
    });
    const file = join(dir, 'echo-prometheus.json');
    const url = `http://etl:${encodeURIComponent(password)}@127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(file, JSON.stringify({ timeZone: 'UTC', readers: { prometheus: { url, metrics: [{ name: 'up', query: 'up' }] } } }));
    const run = await etlAsync(['--config', file, 'read', 'prometheus', '--write'], { DATABASE_URL: metrics.url, ETL_DATA_DIR: join(dir, 'echo-data') });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("node 'prometheus' failed");
    expect(run.stderr).toContain('unauthorized: Authorization: Basic ***');
    const { rows } = await metrics.pool.query<{ status: string; row: string }>('SELECT status, row_to_json(j)::text AS row FROM etl.job_run j');
    expect(rows.map((r) => r.status)).toEqual(['failed']);
    for (const secret of [password, encodeURIComponent(password), base64(password), base64(`etl:${password}`)]) {
      expect(run.stdout + run.stderr, secret).not.toContain(secret);
      expect(rows[0]!.row, secret).not.toContain(secret);
    }
  });

  it('inspect --graph without a job prints the DOT of `all`', () => {
    const all = etl(['inspect', '--graph', 'all']);
    expect(all.code).toBe(0);
    const plain = etl(['inspect', '--graph']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toBe(all.stdout);
    expect(plain.stdout).toContain('digraph "all"');
  });
});
