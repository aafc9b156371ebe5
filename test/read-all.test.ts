// `etl read all --write` end to end, as a user runs it: real PostgreSQL source and metrics databases, a real
// Prometheus with known history, GA through googleapis against the runReport stand-in, the compiled CLI.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGaStandIn, type GaStandIn } from './support/ga-stand-in.js';
import { createTestDatabase, type TestDatabase } from './support/pg.js';
import { openMetrics, startPrometheus, type Sample, type TestPrometheus } from './support/prometheus.js';

const bin = resolve(import.meta.dirname, '../dist/cli/main.js');
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 9); // history starts 2026-11-09 00:00 UTC
const TOKEN = 'ya29.test-token-never-printed';
const SOURCE_PASSWORD = 'source-pw-never-printed';

let dir: string;
let source: TestDatabase;
let metrics: TestDatabase;
let prom: TestPrometheus;
let ga: GaStandIn;
let configFile: string;

/** Runs the CLI without blocking this process: the GA stand-in answers from this process's event loop. */
function etl(args: string[], config = configFile): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, '--config', config, ...args],
      { encoding: 'utf8', env: { ...process.env, DATABASE_URL: metrics.url, ETL_DATA_DIR: join(dir, 'data'), ETL_TIMEZONE: '' }, timeout: 60_000 },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

async function values(kind: 'hourly' | 'daily'): Promise<Record<string, number>> {
  const table = kind === 'hourly' ? 'etl.hourly_value' : 'etl.daily_value';
  const hour = kind === 'hourly' ? `|| 'T' || lpad(v.hour::text, 2, '0')` : '';
  const { rows } = await metrics.pool.query<{ key: string; value: number }>(
    `SELECT m.name || '@' || v.date::text ${hour} AS key, v.value FROM ${table} v JOIN etl.metric m ON m.id = v.metric_id`,
  );
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

async function dump(): Promise<string> {
  const { rows } = await metrics.pool.query<{ t: string }>(
    `SELECT string_agg(x, ';' ORDER BY x) AS t FROM (
       SELECT m.name || v.date || v.hour || '=' || v.value AS x FROM etl.hourly_value v JOIN etl.metric m ON m.id = v.metric_id
       UNION ALL SELECT m.name || v.date || '=' || v.value FROM etl.daily_value v JOIN etl.metric m ON m.id = v.metric_id) s`,
  );
  return rows[0]!.t;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'etl-read-all-'));
  [source, metrics] = await Promise.all([createTestDatabase('etl_src'), createTestDatabase('etl_metrics')]);
  await source.pool.query(`CREATE ROLE etl_reader LOGIN PASSWORD '${SOURCE_PASSWORD}'`).catch(() => undefined);
  await source.pool.query(`
    CREATE TABLE users (id int PRIMARY KEY, plan text NOT NULL);
    INSERT INTO users SELECT g, CASE WHEN g % 3 = 0 THEN 'pro' ELSE 'free' END FROM generate_series(1, 7) g;
    CREATE TABLE spider_status (spider text PRIMARY KEY, status text NOT NULL, updated_at timestamptz NOT NULL);
    INSERT INTO spider_status VALUES ('a', 'active', now()), ('b', 'idle', now()), ('c', 'active', now() - interval '2 hours');
    CREATE TABLE events (id serial PRIMARY KEY, created_at timestamptz NOT NULL, event text NOT NULL, user_id int, duration_ms int);
    INSERT INTO events (created_at, event, user_id, duration_ms) VALUES
      ('2026-11-10 09:15Z', 'signup', 1, NULL), ('2026-11-10 09:40Z', 'signup', 2, NULL),
      ('2026-11-10 09:50Z', 'login', 1, 100), ('2026-11-10 10:05Z', 'login', 1, 300),
      ('2026-11-11 23:59Z', 'signup', 3, NULL), ('2026-11-12 00:01Z', 'signup', 4, NULL);
    GRANT SELECT ON ALL TABLES IN SCHEMA public TO etl_reader;
  `);
  // http_requests_total{site="shop"} grows by 15 every 15 minutes: 60 an hour, 1440 a day.
  const samples: Sample[] = [];
  for (let t = T0; t <= T0 + 4 * 24 * HOUR; t += HOUR / 4) samples.push([t, ((t - T0) / (HOUR / 4)) * 15]);
  prom = await startPrometheus({ history: openMetrics([{ name: 'http_requests_total', labels: { site: 'shop' }, samples }], 'counter') });
  ga = await startGaStandIn({
    property: '1234',
    accessToken: TOKEN,
    metricTypes: { activeUsers: 'TYPE_INTEGER', sessions: 'TYPE_INTEGER' },
    data: {
      date: { '20261110': { activeUsers: 42, sessions: 50 }, '20261111': { activeUsers: 40, sessions: 45 } },
      dateHour: { '2026111009': { activeUsers: 5, sessions: 6 }, '2026111123': { activeUsers: 1, sessions: 1 } },
    },
  });
  const sourceUrl = source.url.replace('postgres://postgres@', `postgres://etl_reader:${SOURCE_PASSWORD}@`);
  configFile = join(dir, 'etl.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      timeZone: 'UTC',
      sources: { website: { url: sourceUrl } },
      readers: {
        objects: { source: 'website', tables: [{ name: 'users', table: 'users' }, { name: 'pro_users', table: 'users', where: 'plan = $1', params: ['pro'] }] },
        spiders: { source: 'website', table: 'spider_status', minutes: 10 },
        events: { source: 'website', table: 'events', columns: { time: 'created_at', event: 'event', user: 'user_id', duration: 'duration_ms' } },
        prometheus: { url: prom.url, metrics: [{ name: 'http.requests.{site}', query: 'sum by (site) (increase(http_requests_total[{range}]))' }] },
        googleAnalytics: { propertyId: '1234', metrics: { activeUsers: 'ga.active_users', sessions: 'ga.sessions' }, accessToken: TOKEN, rootUrl: ga.rootUrl },
      },
    }),
  );
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([prom?.stop(), ga?.close(), source?.drop(), metrics?.drop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('etl read all --write', () => {
  it('backfills two days from every history source with exact values; snapshot sources say they read only now', async () => {
    const run = await etl(['read', 'all', '--write', '--from', '2026-11-10', '--to', '2026-11-12']);
    expect(run.stderr).toContain("warning: reader 'objects' reads current values only");
    expect(run.stderr).toContain("warning: reader 'spiders' reads current values only");
    expect(run.code).toBe(0);
    const hourly = await values('hourly');
    const daily = await values('daily');
    expect(hourly['events.signup.count@2026-11-10T09']).toBe(2);
    expect(hourly['events.signup.users@2026-11-10T09']).toBe(2);
    expect(hourly['events.login.count@2026-11-10T09']).toBe(1);
    expect(hourly['events.login.duration_avg@2026-11-10T10']).toBe(300);
    expect(hourly['events.signup.count@2026-11-11T23']).toBe(1);
    expect(hourly['events.signup.count@2026-11-12T00']).toBeUndefined();
    expect(daily['events.login.count@2026-11-10']).toBe(2);
    expect(daily['events.login.users@2026-11-10']).toBe(1);
    expect(daily['events.login.duration_avg@2026-11-10']).toBe(200);
    expect(daily['events.signup.count@2026-11-11']).toBe(1);
    expect(hourly['http.requests.shop@2026-11-10T00']).toBe(60);
    expect(hourly['http.requests.shop@2026-11-11T23']).toBe(60);
    expect(daily['http.requests.shop@2026-11-10']).toBe(1440);
    expect(daily['http.requests.shop@2026-11-11']).toBe(1440);
    expect(Object.keys(hourly).filter((k) => k.startsWith('http.requests.shop@'))).toHaveLength(48);
    expect(daily['ga.active_users@2026-11-10']).toBe(42);
    expect(daily['ga.sessions@2026-11-11']).toBe(45);
    expect(hourly['ga.active_users@2026-11-10T09']).toBe(5);
    expect(hourly['ga.sessions@2026-11-11T23']).toBe(1);
    expect(Object.keys(hourly).some((k) => k.startsWith('objects.') || k.startsWith('spider.'))).toBe(false);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    expect(run.stdout + run.stderr).not.toContain(SOURCE_PASSWORD);

    const before = await dump();
    const again = await etl(['read', 'all', '--write', '--from', '2026-11-10', '--to', '2026-11-12']);
    expect(again.code).toBe(0);
    expect(await dump()).toBe(before);
  });

  it('reads snapshot sources into the current hour', async () => {
    const run = await etl(['read', 'all', '--write']);
    expect(run.code).toBe(0);
    const now = new Date();
    const key = `${now.toISOString().slice(0, 10)}T${String(now.getUTCHours()).padStart(2, '0')}`;
    const hourly = await values('hourly');
    expect(hourly[`objects.users.count@${key}`]).toBe(7);
    expect(hourly[`objects.pro_users.count@${key}`]).toBe(2);
    expect(hourly[`spider.total@${key}`]).toBe(2);
    expect(hourly[`spider.active@${key}`]).toBe(1);
    expect(hourly[`spider.idle@${key}`]).toBe(1);
  });

  it('keeps the other readers\' values when one fails, exits 1 and names the reader and the cause', async () => {
    await metrics.pool.query('TRUNCATE etl.hourly_value, etl.daily_value');
    ga.failWith(403);
    const broken = join(dir, 'broken.json');
    const config = JSON.parse((await import('node:fs')).readFileSync(configFile, 'utf8')) as { readers: { prometheus: { metrics: Array<{ query: string }> } } };
    config.readers.prometheus.metrics[0]!.query = 'sum by (site) (increase(http_requests_total[{range}])'; // unbalanced
    writeFileSync(broken, JSON.stringify(config));
    const run = await etl(['read', 'all', '--write', '--from', '2026-11-10', '--to', '2026-11-11'], broken);
    ga.failWith(null);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/node 'prometheus' failed: .*parse error/);
    expect(run.stderr).toContain("'google-analytics'");
    expect(run.stderr).toContain('User does not have sufficient permissions for this property');
    const daily = await values('daily');
    expect(daily['events.login.count@2026-11-10']).toBe(2);
    expect(Object.keys(daily).some((k) => k.startsWith('http.') || k.startsWith('ga.'))).toBe(false);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it('backfills a week of events; running it again changes nothing', async () => {
    await metrics.pool.query('TRUNCATE etl.hourly_value, etl.daily_value');
    const first = await etl(['read', 'events', '--write', '--from', '2026-11-06', '--to', '2026-11-13']);
    expect(first.code).toBe(0);
    const daily = await values('daily');
    expect(Object.keys(daily).filter((k) => k.startsWith('events.signup.count@'))).toHaveLength(7);
    expect(daily['events.signup.count@2026-11-12']).toBe(1);
    expect(Object.keys(await values('hourly')).filter((k) => k.startsWith('events.signup.count@'))).toHaveLength(7 * 24);
    const before = await dump();
    expect((await etl(['read', 'events', '--write', '--from', '2026-11-06', '--to', '2026-11-13'])).code).toBe(0);
    expect(await dump()).toBe(before);
  });
});

describe('etl read events --write: names and durations from data (issue 18)', () => {
  let config: string;

  beforeAll(async () => {
    // 2026-12-01 09h: one event under three spellings of one metric name; 2026-12-02 10h: non-finite durations.
    await source.pool.query(`
      CREATE TABLE named_events (created_at timestamptz NOT NULL, event text NOT NULL, user_id int, duration_ms float8);
      INSERT INTO named_events VALUES
        ('2026-12-01 09:10Z', 'Sign Up', 1, 100), ('2026-12-01 09:20Z', 'sign_up', 2, 300), ('2026-12-01 09:30Z', 'sign_up', 1, NULL),
        ('2026-12-02 10:00Z', 'search', 1, 10), ('2026-12-02 10:01Z', 'search', 2, 'Infinity'), ('2026-12-02 10:02Z', 'search', 1, 'NaN'),
        ('2026-12-02 10:03Z', 'search', 3, 30), ('2026-12-02 10:04Z', 'search', 1, '-Infinity');
      GRANT SELECT ON named_events TO etl_reader;
    `);
    const base = JSON.parse((await import('node:fs')).readFileSync(configFile, 'utf8')) as { sources: unknown; timeZone: string };
    config = join(dir, 'named-events.json');
    const events = { source: 'website', table: 'named_events', columns: { duration: 'duration_ms' } };
    writeFileSync(config, JSON.stringify({ timeZone: base.timeZone, sources: base.sources, readers: { events } }));
  });

  it('adds up events whose names become one metric name, counts users and durations over both, and says so', async () => {
    const run = await etl(['read', 'events', '--write', '--from', '2026-12-01', '--to', '2026-12-02'], config);
    expect(run.stderr).toContain("reader 'events': events 'Sign Up' and 'sign_up' are one metric name, events.sign_up");
    expect(run.code).toBe(0);
    const hourly = await values('hourly');
    const daily = await values('daily');
    for (const [at, all] of [['2026-12-01T09', hourly], ['2026-12-01', daily]] as const) {
      expect(all[`events.sign_up.count@${at}`]).toBe(3);
      expect(all[`events.sign_up.users@${at}`]).toBe(2); // user 1 under both names counts once
      expect(all[`events.sign_up.duration_avg@${at}`]).toBe(200);
    }
  });

  it('reports each non-finite duration as a row error, exits 1, and writes the event\'s other values', async () => {
    const run = await etl(['read', 'events', '--write', '--from', '2026-12-02', '--to', '2026-12-03'], config);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/node 'events' had 3 row errors; first: ReaderError: reader 'events': event 'search' on 2026-12-02: duration: not a finite number \((-?Infinity|NaN)\)/);
    const hourly = await values('hourly');
    const daily = await values('daily');
    for (const [at, all] of [['2026-12-02T10', hourly], ['2026-12-02', daily]] as const) {
      expect(all[`events.search.count@${at}`]).toBe(5);
      expect(all[`events.search.users@${at}`]).toBe(3);
      expect(all[`events.search.duration_avg@${at}`]).toBe(20);
      expect(all[`events.search.duration_p50@${at}`]).toBe(20);
      expect(all[`events.search.duration_p95@${at}`]).toBe(29);
    }
  });
});
