// Grafana over the embedded database: the held PGlite served on a fixed port with a password, and every SQL of
// the dashboard (panels, annotations, query variables), expanded as Grafana does, run through that port as
// prepared statements (the extended protocol, as Grafana's driver) returns what the holder reads itself.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../embedded/open-pglite.js';
import { findSharedPglite, type PgliteShare } from '../embedded/pglite-share.js';
import { passwordFile } from '../embedded/share-password.js';
import { exitCodeFor } from '../cli/exit-codes.js';
import { UsageError } from '../graph/errors.js';
import { graphBuilder, runGraph, source } from '../graph/index.js';
import type { MetricRow } from '../metrics/row.js';
import { dailyWriter, hourlyWriter, METRICS_DB_SERVICE, metricsDbSettings, openMetricsDb, pgliteDir, pgliteMetricsDb } from '../writers/index.js';
import { serveEmbedded } from '../writers/serve-embedded.js';
import { openSharedMetricsDb } from '../writers/shared-metrics-db.js';
import { grafanaSql, type TimeRange, type VariableValue } from './dashboards-grafana.js';
import { businessMetricsDashboard as dashboard } from './dashboards-types.js';

const root = mkdtempSync(join(tmpdir(), 'etl-grafana-embedded-'));
const PASSWORD = 'grafana-Pa55word-not-in-logs';
const RANGE: TimeRange = { from: new Date('2026-01-03T00:00:00Z'), to: new Date('2026-01-05T23:59:59.999Z') };
const VARIABLES: Record<string, VariableValue> = { tz: { value: 'UTC' }, metric: { value: 'events' } };
const DATES = ['2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05', '2026-01-06'];
const SIGNUPS = [7, 2, 8, 4, 9];
const notices: string[] = [];

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A port free now (the test serves on it next: a fixed port, as metricsDatabase.serve.port). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

interface SqlSite {
  readonly name: string;
  readonly rawSql: string;
}

/** Every SQL of the dashboard: panel targets (rows' nested panels too), annotation targets, query variables. */
function sqlSites(): SqlSite[] {
  const panels = dashboard.panels.flatMap((p) => [p, ...('collapsed' in p && Array.isArray(p.panels) ? p.panels : [])]);
  const sites: SqlSite[] = panels.flatMap((p) => ('targets' in p ? p.targets.map((t) => ({ name: `panel ${p.title ?? p.id}`, rawSql: t.rawSql })) : []));
  for (const a of dashboard.annotations.list) if (a.target !== undefined) sites.push({ name: `annotation ${a.name}`, rawSql: a.target.rawSql });
  for (const v of dashboard.templating?.list ?? []) if (v.type === 'query') sites.push({ name: `variable ${v.name}`, rawSql: String(v.query) });
  return sites;
}

/** Hourly and daily values written by the real writers, and job runs (annotations, run panels). */
async function fill(pglite: PGlite): Promise<void> {
  const db = pgliteMetricsDb({ pglite, settings: metricsDbSettings({ timeZone: 'UTC' }), target: 'test', ownsInstance: false });
  const rows: MetricRow[] = DATES.flatMap((date, d) => [
    ...Array.from({ length: 24 }, (_, hour) => ({ dims: { date, hour }, metrics: { 'objects.paying_users.count': 100 + d, 'spider.active': hour % 5, 'events.page_view.count': 20 + hour } })),
    { dims: { date }, metrics: { 'events.signup.count': SIGNUPS[d]!, 'events.signup.users': d + 1, 'ga.sessions': 200 + d, 'events.page_view.by_campaign.spring.count': 10 + d } },
  ]);
  const b = graphBuilder('grafana-embedded-fixture');
  const input = b.source('values', source(() => rows));
  input.to('hourly', hourlyWriter());
  input.to('daily', dailyWriter());
  expect((await runGraph(b.build(), { services: { [METRICS_DB_SERVICE]: db } })).status).toBe('succeeded');
  await db.query(`INSERT INTO etl.job_run (id, job, trigger, status, started_at, finished_at, error, created_at) VALUES
    (1, 'all', 'schedule', 'failed', '2026-01-04T10:00:00Z', '2026-01-04T10:01:30Z', 'connection refused', '2026-01-04T10:00:00Z'),
    (2, 'all', 'schedule', 'succeeded', '2026-01-05T10:00:00Z', '2026-01-05T10:00:42Z', NULL, '2026-01-05T10:00:00Z')`);
}

const asText = { getTypeParser: () => (value: string) => value };

describe('Grafana reads the embedded database through metricsDatabase.serve', () => {
  const dataDir = join(root, 'data');
  const dir = pgliteDir(dataDir);
  let pglite: PGlite;
  let share: PgliteShare;
  let port: number;
  const connect = async (options: pg.ClientConfig = {}): Promise<pg.Client> => {
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'grafana', database: 'postgres', password: PASSWORD, connectionTimeoutMillis: 5_000, ...options });
    await client.connect();
    return client;
  };
  /** What the holder reads itself, every value as PostgreSQL's text. */
  const direct = async (sql: string): Promise<{ fields: string[]; rows: unknown[][] }> => {
    const first = await pglite.query(sql, [], { rowMode: 'array' });
    const parsers = Object.fromEntries(first.fields.map((f) => [f.dataTypeID, (value: string) => value]));
    const res = await pglite.query<unknown[]>(sql, [], { rowMode: 'array', parsers });
    return { fields: res.fields.map((f) => f.name), rows: res.rows };
  };

  beforeAll(async () => {
    port = await freePort();
    pglite = await openPglite(dir);
    await fill(pglite);
    ({ share } = await serveEmbedded(pglite, dir, { port, password: PASSWORD, user: 'grafana' }, (m) => notices.push(m)));
  }, 120_000);
  afterAll(async () => {
    await share?.close();
    await pglite?.close();
  });

  it('serves on the fixed port, says where (not the password), keeps the password 0600, advertises the port to etl commands', async () => {
    expect(share.port).toBe(port);
    expect(notices).toEqual([`metrics database served for Grafana at postgres://grafana@127.0.0.1:${port}/postgres (password: metricsDatabase.serve.password)`]);
    expect(readFileSync(passwordFile(dir), 'utf8').trim()).toBe(PASSWORD);
    expect((statSync(passwordFile(dir)).mode & 0o777).toString(8)).toBe('600');
    const found = findSharedPglite(dir);
    expect(found).toMatchObject({ host: '127.0.0.1', port, user: 'grafana', pid: process.pid });
    const viaShare = openSharedMetricsDb(found!, metricsDbSettings({ timeZone: 'UTC' })); // as `etl runs` would, with the user it must give
    try {
      expect((await viaShare.query('SELECT count(*)::int AS n FROM etl.job_run')).rows).toEqual([{ n: 2 }]);
    } finally {
      await viaShare.close();
    }
  });

  it('runs every panel, annotation and variable SQL as a prepared statement, twice, with the rows the holder reads', async () => {
    const sites = sqlSites();
    expect(sites.length).toBeGreaterThan(15);
    const client = await connect();
    try {
      for (const [i, site] of sites.entries()) {
        const text = grafanaSql(site.rawSql, RANGE, VARIABLES);
        expect(text, `${site.name}: no variable or macro left`).not.toMatch(/\$/);
        const expected = await direct(text);
        for (let round = 0; round < 2; round += 1) {
          const res = await client.query({ name: `panel-${i}`, text, values: [], rowMode: 'array', types: asText });
          expect({ fields: res.fields.map((f) => f.name), rows: res.rows }, `${site.name} (run ${round + 1})`).toEqual(expected);
        }
      }
      const nonEmpty = await Promise.all(sites.map(async (s) => (await direct(grafanaSql(s.rawSql, RANGE, VARIABLES))).rows.length > 0));
      expect(nonEmpty.filter(Boolean).length, 'sites that return rows for the filled data').toBeGreaterThan(8);
    } finally {
      await client.end();
    }
  }, 120_000);

  it('returns the values written (read as Grafana reads them: parsed by the driver)', async () => {
    const client = await connect();
    const sql = (title: string): string => {
      const panel = dashboard.panels.flatMap((p) => [p, ...('panels' in p && Array.isArray(p.panels) ? p.panels : [])]).find((p) => p.title === title);
      return grafanaSql(panel !== undefined && 'targets' in panel ? panel.targets[0]!.rawSql : '', RANGE, VARIABLES);
    };
    try {
      const signups = await client.query({ name: 'signups', text: sql('Sign-ups per day'), values: [] });
      expect(signups.rows).toEqual([1, 2, 3].map((d) => ({ time: new Date(`${DATES[d]}T00:00:00Z`), 'sign-ups': SIGNUPS[d] })));
      const paying = await client.query({ name: 'paying', text: sql('Paying users'), values: [] });
      expect(paying.rows).toHaveLength(3 * 24);
      expect(paying.rows[0]).toEqual({ time: new Date('2026-01-03T00:00:00Z'), 'paying users': 101 });
      expect(paying.rows.at(-1)).toEqual({ time: new Date('2026-01-05T23:00:00Z'), 'paying users': 103 });
      expect((await client.query({ name: 'failed', text: sql('Failed job runs'), values: [] })).rows).toEqual([{ 'failed runs': 1 }]);
    } finally {
      await client.end();
    }
  });

  it('gives each connection its own statement names, and closes them when it leaves', async () => {
    const count = async (): Promise<number> => Number((await pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements')).rows[0]!.n);
    const before = await count();
    const [a, b] = await Promise.all([connect(), connect()]);
    for (const client of [a, b, a]) expect((await client.query({ name: 'panel-0', text: 'SELECT 1 AS one', values: [] })).rows).toEqual([{ one: 1 }]);
    expect(await count()).toBe(before + 2);
    await Promise.all([a.end(), b.end()]);
    await expect.poll(count, { timeout: 5_000 }).toBe(before);
    const again = await connect(); // a reconnecting client prepares its names anew: no "already exists"
    expect((await again.query({ name: 'panel-0', text: 'SELECT 2 AS two', values: [] })).rows).toEqual([{ two: 2 }]);
    await again.end();
  });

  it('refuses a wrong password and a wrong user (28P01), naming neither password', async () => {
    await expect(connect({ password: 'wrong' })).rejects.toMatchObject({ code: '28P01' });
    await expect(connect({ user: 'postgres' })).rejects.toMatchObject({ code: '28P01' });
    expect(notices.join('\n')).not.toContain(PASSWORD);
  });
});

describe('metricsDatabase.serve wired by openMetricsDb', () => {
  it('serves on the port with the generated password (said to be in its file), and a port in use is a usage error naming the option', async () => {
    const dataDir = join(root, 'wired');
    const said: string[] = [];
    const port = await freePort();
    const db = await openMetricsDb({ dataDir, serve: { port } }, { share: true, onNotice: (m) => said.push(m) });
    try {
      const file = passwordFile(pgliteDir(dataDir));
      const generated = readFileSync(file, 'utf8').trim();
      expect(said.at(-1)).toBe(`metrics database served for Grafana at postgres://etl@127.0.0.1:${port}/postgres (password: the file ${file})`);
      expect(said.join('\n')).not.toContain(generated);
      expect(db.secrets).toContain(generated);
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'anyone', database: 'postgres', password: generated });
      client.on('error', () => undefined); // ended by the share's close if a check fails first
      await client.connect();
      try {
        expect((await client.query({ name: 'db', text: 'SELECT current_database() AS db', values: [] })).rows).toEqual([{ db: 'postgres' }]);
      } finally {
        await client.end();
      }
    } finally {
      await db.close();
    }
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(port, '127.0.0.1', done));
    try {
      const opening = openMetricsDb({ dataDir, serve: { port, password: PASSWORD } }, { share: true, onNotice: (m) => said.push(m) });
      await expect(opening).rejects.toBeInstanceOf(UsageError);
      expect(exitCodeFor(await opening.catch((error: unknown) => error))).toBe(2);
      await expect(opening).rejects.toThrow(`metricsDatabase.serve.port: port ${port} on 127.0.0.1 is in use`);
      await opening.catch((error: Error) => expect(error.message).not.toContain(PASSWORD));
    } finally {
      await new Promise((done) => taken.close(done));
    }
    const reopened = await openMetricsDb({ dataDir }); // the failed start let go of the database
    await reopened.close();
    expect(said.join('\n')).not.toContain(PASSWORD);
  }, 120_000);
});

it('the documented provisioning matches what is served: host, user, database, sslmode, password from the environment', () => {
  const yaml = readFileSync(resolve(import.meta.dirname, '../dashboards/provisioning/datasources/metrics.yaml'), 'utf8');
  expect(yaml).toMatch(/metricsDatabase\.serve/);
  expect(yaml).toMatch(/ETL_GRAFANA_DB_HOST=127\.0\.0\.1:5433/);
  expect(yaml).toMatch(/ETL_GRAFANA_DB_USER=etl\b/);
  expect(yaml).toMatch(/ETL_GRAFANA_DB_NAME=postgres\b/);
  expect(yaml).toMatch(/ETL_GRAFANA_DB_SSLMODE=disable\b/);
  expect(yaml).toMatch(/ETL_GRAFANA_DB_PASSWORD=.*metrics-db\.password/);
});
