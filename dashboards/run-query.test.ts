// Panel queries on a real metrics database, PostgreSQL and PGlite: read-only, bounded in time and rows, and URL
// variable values that cannot reach the SQL as anything but text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMigrated } from '../writers/migrate.js';
import { BACKENDS, createTestMetricsDb, type TestMetricsDb } from '../test/writers-backends.js';
import type { DashboardFile } from './catalog.js';
import { BadVariableValue, DashboardQueryError } from './errors.js';
import { panelData, type DashboardContext } from './panel-data.js';
import { tableFrame } from './frames.js';
import { recordsOf, runReadOnly, wrapQuery } from './run-query.js';
import { DEFAULT_DASHBOARDS_SETTINGS } from './settings.js';

const LIMITS = { timeoutMs: 200, maxRows: 10 };
const EVIL = "'); DROP TABLE etl.metric; --";

function dashboard(rawSql: string, format = 'table'): DashboardFile {
  const json = {
    uid: 'probe', title: 'probe', time: { from: 'now-1d', to: 'now' },
    templating: { list: [
      { type: 'textbox', name: 'q', query: 'x', current: { value: 'x' } },
      { type: 'custom', name: 'site', query: 'shop,blog', current: { value: 'shop' } },
    ] },
    panels: [{ id: 1, type: 'table', targets: [{ refId: 'A', format, rawSql }] }],
  };
  return { uid: 'probe', title: 'probe', description: '', tags: [], source: 'user', file: '/tmp/probe.json', json };
}

describe('wrapQuery', () => {
  it('wraps a query for the row cap (a trailing semicolon and comment allowed) and refuses anything else', () => {
    expect(wrapQuery('SELECT 1 -- one\n;')).toBe('SELECT * FROM (\nSELECT 1 -- one\n) AS panel LIMIT $1');
    expect(wrapQuery('/* c */ WITH a AS (SELECT 1) SELECT * FROM a')).toContain('WITH a AS');
    for (const sql of ['DROP TABLE etl.metric', 'INSERT INTO x VALUES (1)', 'COMMIT', 'SET ROLE postgres', 'EXPLAIN SELECT 1']) {
      expect(() => wrapQuery(sql), sql).toThrow(DashboardQueryError);
    }
  });
});

describe.each(BACKENDS)('panel queries on %s', (backend) => {
  let metrics: TestMetricsDb;
  let ctx: DashboardContext;
  const metricCount = async () => Number((await metrics.db.query<{ n: string }>('SELECT count(*) AS n FROM etl.metric')).rows[0]!.n);

  beforeAll(async () => {
    metrics = await createTestMetricsDb(backend);
    await ensureMigrated(metrics.db);
    await metrics.db.query("INSERT INTO etl.metric (name) VALUES ('events.signup.count'), ('x')");
    ctx = { db: metrics.db, settings: { ...DEFAULT_DASHBOARDS_SETTINGS, queryTimeoutMs: 200, maxRows: 10 }, timeZone: 'UTC' };
  }, 60_000);
  afterAll(async () => metrics?.drop());

  it('refuses every write: a data-modifying CTE, a sequence, turning read-only off', async () => {
    await expect(runReadOnly(metrics.db, 'WITH d AS (DELETE FROM etl.metric RETURNING 1) SELECT * FROM d', LIMITS)).rejects.toThrow(DashboardQueryError);
    await expect(runReadOnly(metrics.db, "SELECT nextval('etl.metric_id_seq')", LIMITS)).rejects.toThrow(/read-only transaction/);
    await expect(runReadOnly(metrics.db, "SELECT set_config('transaction_read_only', 'off', true)", LIMITS)).rejects.toThrow(/read-write mode/);
    await expect(runReadOnly(metrics.db, 'SELECT 1; DROP TABLE etl.metric', LIMITS)).rejects.toThrow(/syntax error/);
    expect(await metricCount()).toBe(2);
  });

  it('gives columns in order, times as Dates; a repeated name: its last column, as a record keeps it', async () => {
    const { table } = await runReadOnly(metrics.db, "SELECT timestamptz '2026-11-06 13:00:00.25+01' AS time, 1 AS a, 'x' AS a", LIMITS);
    const time = new Date('2026-11-06T12:00:00.250Z');
    // PostgreSQL's read-only connections give rows as arrays (both columns); PGlite's transaction gives records.
    expect(table).toEqual(backend === 'postgres' ? { names: ['time', 'a', 'a'], rows: [[time, 1, 'x']] } : { names: ['time', 'a'], rows: [[time, 'x']] });
    expect(recordsOf(table)).toEqual([{ time, a: 'x' }]);
    expect(tableFrame(table, 'A').fields.map((f) => [f.name, f.values])).toEqual([['time', [time.getTime()]], ['a', ['x']]]);
  });

  it('keeps the first maxRows rows and says it cut', async () => {
    const { table, truncated } = await runReadOnly(metrics.db, 'SELECT n FROM generate_series(1, 50) AS n ORDER BY n', LIMITS);
    expect(table).toEqual({ names: ['n'], rows: [[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]] });
    expect(truncated).toBe(true);
    expect((await runReadOnly(metrics.db, 'SELECT 1 AS one', LIMITS)).truncated).toBe(false);
  });

  if (backend === 'postgres') {
    it('cancels a query longer than queryTimeout with a clear error', async () => {
      const started = Date.now();
      const data = await panelData(dashboard('SELECT pg_sleep(5) AS slept'), 1, { variables: {}, public: false }, ctx);
      expect(data.error).toBe('A: the query ran longer than 200ms (dashboards.queryTimeout) and was cancelled');
      expect(Date.now() - started).toBeLessThan(3_000);
    });
  } else {
    it('cannot interrupt a statement on PGlite (statement_timeout has no effect there): a short sleep completes', async () => {
      const { table } = await runReadOnly(metrics.db, 'SELECT 1 AS one FROM pg_sleep(0.3)', { timeoutMs: 100, maxRows: 10 });
      expect(recordsOf(table)).toEqual([{ one: 1 }]);
    });
  }

  it('keeps a URL value inert: quoted text in every format, never run, the table still there', async () => {
    const variables = { q: [EVIL] };
    for (const sql of ["SELECT name FROM etl.metric WHERE name = '$q'", "SELECT name FROM etl.metric WHERE name = '${q:raw}'", "SELECT name FROM etl.metric WHERE name IN (${q:sqlstring})"]) {
      const data = await panelData(dashboard(sql), 1, { variables, public: false }, ctx);
      expect(data.error, sql).toBeUndefined();
      expect(data.frames[0]!.fields, sql).toEqual([]); // no rows
    }
    const unquoted = await panelData(dashboard('SELECT name FROM etl.metric WHERE name = ${q:raw}'), 1, { variables, public: false }, ctx);
    // Unquoted, the text breaks the statement (a syntax error, or its `)` closes the cap's subquery): it fails, nothing runs.
    expect(unquoted.error).toMatch(/^A: error: (syntax error|subquery in FROM must have an alias)/);
    const hit = await panelData(dashboard("SELECT name FROM etl.metric WHERE name = '$q'"), 1, { variables: { q: ['x'] }, public: false }, ctx);
    expect(hit.frames[0]!.fields).toEqual([{ name: 'name', type: 'string', values: ['x'] }]);
    expect(await metricCount()).toBe(2);
  });

  it('refuses a value that is not one of a variable\'s options (400), and a free text on a public view', async () => {
    const view = dashboard("SELECT '$site' AS site");
    await expect(panelData(view, 1, { variables: { site: [EVIL] }, public: false }, ctx)).rejects.toThrow(new BadVariableValue('site', `'${EVIL}' is not one of its options`));
    await expect(panelData(view, 1, { variables: { q: ['y'] }, public: true }, ctx)).rejects.toThrow(BadVariableValue);
    const blog = await panelData(view, 1, { variables: { site: ['blog'] }, public: false }, ctx);
    expect(blog.frames[0]!.fields).toEqual([{ name: 'site', type: 'string', values: ['blog'] }]);
  });
});
