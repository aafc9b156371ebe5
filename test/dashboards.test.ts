// The Grafana dashboard and provisioning files: what widening hides from the tsc check (test/dashboards-types.ts),
// every panel's SQL expanded as Grafana does and run on a real metrics database filled by the real writers,
// the macro-argument gotcha, and the provisioning YAML.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  BigValueColorMode, BigValueGraphMode, BigValueJustifyMode, BigValueTextMode, GraphDrawStyle, MappingType, PercentChangeColorMode,
  SortOrder, StackingMode, TableCellDisplayMode, ThresholdsMode, TooltipDisplayMode, VizOrientation,
  type FieldTextAlignment, type LegendPlacement, type VariableType,
} from '@grafana/schema';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphBuilder, runGraph, source } from '../graph/index.js';
import type { MetricRow } from '../metrics/row.js';
import { dailyWriter, hourlyWriter, METRICS_DB_SERVICE, openMetricsDb } from '../writers/index.js';
import { businessMetricsDashboard as dashboard } from './dashboards-types.js';
import { expandMacros, grafanaSql, interpolateVariables, macroCalls, rfc3339Nano, type TimeRange, type VariableValue } from './dashboards-grafana.js';
import { createTestDatabase, type TestDatabase } from './support/pg.js';

const root = resolve(import.meta.dirname, '..');
const DATASOURCE = { type: 'grafana-postgresql-datasource', uid: 'etl-metrics' };

// ---------------------------------------------------------------------------------------------------------------
// Where the dashboard holds SQL: panel targets (rows' nested panels included), annotation targets, query variables.

type Panels = typeof dashboard.panels;
interface SqlSite {
  readonly kind: 'panel' | 'annotation' | 'variable';
  readonly title: string;
  readonly rawSql: string;
  readonly format: string;
}

function allPanels(panels: Panels = dashboard.panels): Panels {
  return panels.flatMap((p) => [p, ...('collapsed' in p && Array.isArray(p.panels) ? p.panels : [])]);
}

function sqlSites(): SqlSite[] {
  const sites: SqlSite[] = [];
  for (const p of allPanels()) {
    if (!('targets' in p)) continue;
    for (const t of p.targets) sites.push({ kind: 'panel', title: p.title ?? '', rawSql: t.rawSql, format: t.format });
  }
  for (const a of dashboard.annotations.list) {
    if (a.target !== undefined) sites.push({ kind: 'annotation', title: a.name, rawSql: a.target.rawSql, format: a.target.format });
  }
  for (const v of dashboard.templating?.list ?? []) {
    if (v.type === 'query') sites.push({ kind: 'variable', title: v.name, rawSql: String(v.query), format: 'table' });
  }
  return sites;
}

describe('dashboard JSON: what the type check cannot see', () => {
  const LEGEND_PLACEMENTS = ['bottom', 'right'] as const satisfies readonly LegendPlacement[];
  const ALIGNMENTS = ['auto', 'left', 'right', 'center'] as const satisfies readonly FieldTextAlignment[];
  const VARIABLE_TYPES = ['query', 'textbox'] as const satisfies readonly VariableType[];
  const values = (e: object): unknown[] => Object.values(e);
  const at = (value: unknown, ...path: string[]): unknown => path.reduce((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);

  it('uses only row, timeseries, stat and table panels; rows hold panels, panels hold SQL on the provisioned datasource', () => {
    for (const p of dashboard.panels) {
      expect(['row', 'timeseries', 'stat', 'table']).toContain(p.type);
      if (p.type === 'row') {
        expect(p).toMatchObject({ collapsed: expect.any(Boolean), panels: expect.any(Array) });
        if ('collapsed' in p && !p.collapsed) expect(p.panels).toEqual([]);
      }
    }
    for (const p of allPanels()) {
      if (p.type === 'row') continue;
      expect('targets' in p && p.targets.length).toBeGreaterThan(0);
      if (!('targets' in p)) continue;
      expect(p.datasource).toEqual(DATASOURCE);
      for (const t of p.targets) {
        expect(t).toMatchObject({ datasource: DATASOURCE, editorMode: 'code', rawQuery: true, refId: expect.any(String) });
        // Stats of one computed value read a table; every other non-table panel a time series.
        expect(t.format).toBe(p.type === 'table' || ['Failed job runs', 'Sign-up conversion'].includes(p.title ?? '') ? 'table' : 'time_series');
      }
    }
    expect(dashboard.annotations.list.filter((a) => a.target !== undefined).every((a) => JSON.stringify(a.datasource) === JSON.stringify(DATASOURCE))).toBe(true);
  });

  it('holds literal values Grafana accepts in its literal-typed fields', () => {
    const check = (what: string, value: unknown, allowed: readonly unknown[]) => expect(allowed, `${what} = ${String(value)}`).toContain(value);
    for (const v of dashboard.templating?.list ?? []) check('variable type', v.type, VARIABLE_TYPES);
    for (const p of allPanels()) {
      if (!('options' in p)) continue;
      const o = (...path: string[]) => at(p.options, ...path);
      const custom = (...path: string[]) => at(p.fieldConfig.defaults.custom, ...path);
      check('thresholds.mode', p.fieldConfig.defaults.thresholds?.mode, values(ThresholdsMode));
      for (const m of p.fieldConfig.defaults.mappings ?? []) check('mapping type', m.type, values(MappingType));
      if (p.type === 'timeseries') {
        check('legend.placement', o('legend', 'placement'), LEGEND_PLACEMENTS);
        check('tooltip.mode', o('tooltip', 'mode'), values(TooltipDisplayMode));
        check('tooltip.sort', o('tooltip', 'sort'), values(SortOrder));
        check('drawStyle', custom('drawStyle'), values(GraphDrawStyle));
        check('stacking.mode', custom('stacking', 'mode'), values(StackingMode));
      }
      if (p.type === 'stat') {
        check('colorMode', o('colorMode'), values(BigValueColorMode));
        check('graphMode', o('graphMode'), values(BigValueGraphMode));
        check('justifyMode', o('justifyMode'), values(BigValueJustifyMode));
        check('textMode', o('textMode'), values(BigValueTextMode));
        check('orientation', o('orientation'), values(VizOrientation));
        check('percentChangeColorMode', o('percentChangeColorMode'), values(PercentChangeColorMode));
      }
      if (p.type === 'table') {
        check('align', custom('align'), ALIGNMENTS);
        check('cellOptions.type', custom('cellOptions', 'type'), values(TableCellDisplayMode));
        for (const override of p.fieldConfig.overrides) {
          for (const prop of override.properties) {
            if (prop.id === 'custom.cellOptions') check('override cellOptions.type', (prop.value as { type: string }).type, values(TableCellDisplayMode));
            if (prop.id === 'mappings') for (const m of prop.value as { type: string }[]) check('override mapping type', m.type, values(MappingType));
          }
        }
      }
    }
  });

  it('has unique panel ids and a grid without overlaps, 24 columns wide', () => {
    const panels = allPanels();
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    const boxes = panels.map((p) => ({ id: p.id, ...p.gridPos! }));
    for (const a of boxes) {
      expect(a.x + a.w, `panel ${a.id}`).toBeLessThanOrEqual(24);
      for (const b of boxes) {
        if (a.id === b.id) continue;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `panels ${a.id} and ${b.id} overlap`).toBe(false);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The macro expansion itself, on examples from Grafana's own tests, and the nested-parenthesis gotcha.

describe('Grafana macro expansion (as pkg/tsdb/grafana-postgresql-datasource/macros.go)', () => {
  const range: TimeRange = { from: new Date('2018-04-12T18:00:00Z'), to: new Date('2018-04-12T18:05:00.250Z') };

  it('expands the time macros with RFC3339 times and the group macros with Go float seconds', () => {
    expect(expandMacros('WHERE $__timeFilter(time_column)', range)).toBe("WHERE time_column BETWEEN '2018-04-12T18:00:00Z' AND '2018-04-12T18:05:00.25Z'");
    expect(expandMacros('select $__time(time_column)', range)).toBe('select time_column AS "time"');
    expect(expandMacros('$__timeFrom() $__timeTo()', range)).toBe("'2018-04-12T18:00:00Z' '2018-04-12T18:05:00.25Z'");
    expect(expandMacros("GROUP BY $__timeGroup(time_column,'5m')", range)).toBe('GROUP BY floor(extract(epoch from time_column)/300)*300');
    expect(expandMacros("SELECT $__timeGroup(time_column, '1d'), value", range)).toBe('SELECT floor(extract(epoch from time_column)/86400)*86400 AS "time", value');
    expect(expandMacros("$__timeGroupAlias(t,'2w')", range)).toBe('floor(extract(epoch from t)/1.2096e+06)*1.2096e+06 AS "time"');
    expect(expandMacros('$__unixEpochFilter(t) $__unixEpochFrom()', range)).toBe('t >= 1523556000 AND t <= 1523556300 1523556000');
    expect(() => expandMacros('$__nope(x)', range)).toThrow(/unknown macro/);
  });

  it('cuts a macro argument at its first ")" as Grafana does (what the gotcha test guards against)', () => {
    const sql = "$__timeFilter((v.date + make_interval(hours => v.hour)) AT TIME ZONE 'UTC')";
    expect(macroCalls(sql)).toEqual([{ name: '__timeFilter', args: '(v.date + make_interval(hours => v.hour' }]);
    expect(expandMacros(sql, range)).toMatch(/^\(v\.date \+ make_interval\(hours => v\.hour BETWEEN .*\) AT TIME ZONE 'UTC'\)$/);
  });

  it('interpolates variables like the SQL datasources: single values unquoted with quotes doubled, lists quoted', () => {
    const vars: Record<string, VariableValue> = { tz: { value: "Europe/Paris'; DROP TABLE x; --" }, m: { value: ['a', "b'c"], multi: true } };
    expect(interpolateVariables("AT TIME ZONE '$tz' AND n IN ($m) AND ${m} AND [[tz]] AND $__timeFilter(t)", vars)).toBe(
      "AT TIME ZONE 'Europe/Paris''; DROP TABLE x; --' AND n IN ('a','b''c') AND 'a','b''c' AND Europe/Paris''; DROP TABLE x; -- AND $__timeFilter(t)",
    );
  });

  it('no macro in the dashboard has a parenthesis in its argument (Grafana would cut it at the first ")")', () => {
    const sites = sqlSites();
    expect(sites.length).toBeGreaterThan(10);
    for (const site of sites) {
      const openings = [...site.rawSql.matchAll(/\$__\w+\(/g)].length;
      const calls = macroCalls(site.rawSql);
      expect(calls, `${site.title}: every $__macro( is a complete call`).toHaveLength(openings);
      for (const call of calls) expect(call.args, `${site.title}: $${call.name}(${call.args}`).not.toMatch(/[()]/);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Every SQL site run on a real metrics database with known values.

const RANGE: TimeRange = { from: new Date('2026-01-03T00:00:00Z'), to: new Date('2026-01-05T23:59:59.999Z') };
const VARIABLES: Record<string, VariableValue> = { tz: { value: 'UTC' }, metric: { value: 'events' } };
const DATES = ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05', '2026-01-06', '2026-01-07'];
const IN_RANGE = [2, 3, 4]; // indexes of the dates whose midnight (UTC) is in RANGE
const HOURS = Array.from({ length: 24 }, (_, h) => h);

const HOURLY: Record<string, (d: number, h: number) => number> = {
  'objects.users.count': (d, h) => 1000 + 24 * d + h,
  'objects.paying_users.count': (d, h) => 100 + 2 * d + (h >= 12 ? 1 : 0),
  'spider.total': () => 10,
  'spider.active': (_, h) => h % 5,
  'spider.idle': (_, h) => 10 - (h % 5),
  'http.requests.shop': (d, h) => 100 * h + d,
  'http.requests.blog': () => 24,
  'events.search.duration_p95': (_, h) => 200.5 + h,
  'events.export.duration_p95': (d) => 1500 + d,
  'events.search.duration_p50': () => 50, // not a p95
  'events.x.durationXp95': () => 1, // '_' in LIKE matches any character unless escaped
  'events.signup.count': () => 1, // hourly sign-ups: the daily panels must not read them
  'events.page_view.count': (d, h) => 20 + h + d,
  'events.page_view.by_campaign.spring.count': (_, h) => h % 3, // a dimension's metric: not an event's count
  'eventsother.count': () => 5, // not under the prefix "events"
};
const HOURLY_DATES = [1, 2, 3, 4, 5];

const DAILY: Record<string, (d: number) => number> = {
  'events.signup.count': (d) => [3, 5, 2, 8, 4, 6, 1][d]!,
  'events.signup.users': (d) => [3, 4, 2, 7, 4, 5, 1][d]!,
  'events.login.users': (d) => [10, 12, 11, 15, 14, 9, 13][d]!,
  'events.login.count': (d) => 40 + d,
  'events.page_view.users': (d) => 50 + d,
  // Dimension metrics (readers.events.dimensions): only the campaign panel reads them.
  'events.page_view.by_campaign.spring.count': (d) => 10 + d,
  'events.page_view.by_campaign.winter.count': () => 15,
  'events.page_view.by_campaign.none.count': () => 40,
  'events.page_view.by_plan.pro.count': () => 100, // another dimension: not a campaign
  'events.signup.by_campaign.summer_sale.count': () => 2,
  'events.signup.by_campaign.spring.count': (d) => 1 + (d % 2),
  'events.signup.by_campaign.spring.users': () => 1, // not an event's users
  'events.signup.by_campaign.other.count': () => 3,
  'events.signup.by_campaign.none.count': (d) => d,
  'ga.sessions': (d) => 200 + 10 * d,
  'ga.new_users': (d) => 20 + d,
  'eventsother.count': () => 7,
};
const LEGACY = 'legacy.count'; // one daily value before the range: listed with no latest values

const utc = (d: number, h = 0) => new Date(`${DATES[d]}T${String(h).padStart(2, '0')}:00:00Z`);
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Long time-series rows (time, metric, value) of hourly metrics, ordered by time then label. */
function hourlyRows(names: string[], label: (name: string) => string, days = IN_RANGE) {
  return days.flatMap((d) => HOURS.flatMap((h) =>
    names.map((n) => ({ time: utc(d, h), metric: label(n), value: HOURLY[n]!(d, h) })).sort((a, b) => byName(a.metric, b.metric))));
}
function dailyRows(names: string[], label: (name: string) => string) {
  return IN_RANGE.flatMap((d) => names.map((n) => ({ time: utc(d), metric: label(n), value: DAILY[n]!(d) })).sort((a, b) => byName(a.metric, b.metric)));
}
const part = (i: number) => (name: string) => name.split('.')[i]!;
/** Per event and campaign, daily by_campaign counts summed over the range, with their share of all the event's values. */
function topCampaigns() {
  const rows = Object.keys(DAILY)
    .filter((name) => /^events\.[^.]+\.by_campaign\.[^.]+\.count$/.test(name))
    .map((name) => ({ campaign: name.split('.')[3]!, event: name.split('.')[1]!, events: IN_RANGE.reduce((sum, d) => sum + DAILY[name]!(d), 0) }));
  const total = (event: string) => rows.filter((r) => r.event === event).reduce((sum, r) => sum + r.events, 0);
  return rows
    .filter((r) => r.campaign !== 'other' && r.campaign !== 'none')
    .map((r) => ({ ...r, share: r.events / total(r.event) }))
    .sort((a, b) => b.events - a.events || byName(a.campaign, b.campaign) || byName(a.event, b.event))
    .slice(0, 20);
}
const itself = (name: string) => name;

const RUNS = [
  { id: 1, job: 'all', trigger: 'schedule', status: 'failed', started: '2026-01-01T10:00:00Z', finished: '2026-01-01T10:00:05Z', created: '2026-01-01T10:00:00Z', error: 'too early' },
  { id: 2, job: 'all', trigger: 'schedule', status: 'succeeded', started: '2026-01-04T10:00:00Z', finished: '2026-01-04T10:00:42.5Z', created: '2026-01-04T10:00:00Z', error: null },
  { id: 3, job: 'all', trigger: 'schedule', status: 'failed', started: '2026-01-05T10:00:00Z', finished: '2026-01-05T10:01:30Z', created: '2026-01-05T10:00:00Z', error: "node 'prometheus': connection refused" },
  { id: 4, job: 'clean', trigger: 'manual', status: 'queued', started: null, finished: null, created: '2026-01-05T12:00:00Z', error: null },
] as const;
const runRow = (r: (typeof RUNS)[number], duration: number | null) => ({
  run: String(r.id), job: r.job, trigger: r.trigger, status: r.status,
  started: r.started === null ? null : new Date(r.started), finished: r.finished === null ? null : new Date(r.finished), duration, error: r.error,
});

const allNames = [...new Set([...Object.keys(HOURLY), ...Object.keys(DAILY), LEGACY])].sort(byName);
const prefixes = [...new Set(allNames.flatMap((n) => n.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'))))].sort(byName);

/** What each SQL site must return for RANGE and VARIABLES. Every site of the dashboard must be listed. */
const signups = (d: number) => DAILY['events.signup.count']!(d);
const visitors = (d: number) => DAILY['ga.new_users']!(d); // GA's figure wins over the events' distinct visitors
const EXPECTED: Record<string, unknown[]> = {
  'Sign-up conversion': [{ 'sign-up conversion': (100 * IN_RANGE.reduce((sum, d) => sum + signups(d), 0)) / IN_RANGE.reduce((sum, d) => sum + visitors(d), 0) }],
  'Visitors and sign-ups per day': IN_RANGE.map((d) => ({ time: utc(d), visitors: visitors(d), 'sign-ups': signups(d) })),
  'Conversion per day': IN_RANGE.map((d) => ({ time: utc(d), conversion: (100 * signups(d)) / visitors(d) })),
  'Sign-ups in range': IN_RANGE.map((d) => ({ time: utc(d), 'sign-ups': DAILY['events.signup.count']!(d) })),
  'Sign-ups per day': IN_RANGE.map((d) => ({ time: utc(d), 'sign-ups': DAILY['events.signup.count']!(d) })),
  'Google Analytics per day': dailyRows(['ga.sessions', 'ga.new_users'], itself),
  'Paying users': IN_RANGE.flatMap((d) => HOURS.map((h) => ({ time: utc(d, h), 'paying users': HOURLY['objects.paying_users.count']!(d, h) }))),
  'Users and paying users': hourlyRows(['objects.users.count', 'objects.paying_users.count'], part(1)),
  'Active users per day, by event': dailyRows(['events.login.users', 'events.page_view.users', 'events.signup.users'], part(1)),
  'Events per hour, by event': hourlyRows(['events.page_view.count', 'events.signup.count'], part(1)),
  'Distinct users per day, by event': dailyRows(['events.login.users', 'events.page_view.users', 'events.signup.users'], part(1)),
  'Sign-ups per day: events and distinct users': dailyRows(['events.signup.count', 'events.signup.users'], (n) => (n.endsWith('.count') ? 'sign-ups' : 'users who signed up')),
  'Top campaigns': topCampaigns(),
  'Active spiders': IN_RANGE.flatMap((d) => HOURS.map((h) => ({ time: utc(d, h), active: h % 5 }))),
  Spiders: hourlyRows(['spider.active', 'spider.idle', 'spider.total'], part(1)),
  'HTTP requests per hour, by site': hourlyRows(['http.requests.shop', 'http.requests.blog'], part(2)),
  'Event duration p95, by event': hourlyRows(['events.search.duration_p95', 'events.export.duration_p95'], part(1)),
  'Failed job runs': [{ 'failed runs': 1 }],
  'Latest job runs': [runRow(RUNS[3], null), runRow(RUNS[2], 90), runRow(RUNS[1], 42.5)],
  'Latest value of every metric': allNames.map((name) => ({
    metric: name,
    unit: null,
    'last hourly value': HOURLY[name]?.(4, 23) ?? null,
    hour: HOURLY[name] === undefined ? null : utc(4, 23),
    'last daily value': DAILY[name]?.(4) ?? null,
    day: DAILY[name] === undefined ? null : DATES[4],
  })),
  'Hourly values under $metric': hourlyRows(Object.keys(HOURLY).filter((n) => n.startsWith('events.')), itself),
  'Daily values under $metric': dailyRows(Object.keys(DAILY).filter((n) => n.startsWith('events.')), itself),
  // annotation
  'Failed job runs (annotation)': [{ time: new Date(RUNS[2].started), timeend: new Date(RUNS[2].finished), text: `all: ${RUNS[2].error}`, tags: 'all' }],
  // variable
  metric: prefixes.map((prefix) => ({ prefix })),
};
const expectationKey = (site: SqlSite) => (site.kind === 'annotation' ? `${site.title} (annotation)` : site.title);

async function writeValues(url: string): Promise<void> {
  const rows: MetricRow[] = [];
  for (const d of HOURLY_DATES) {
    for (const h of HOURS) rows.push({ dims: { date: DATES[d]!, hour: h }, metrics: Object.fromEntries(Object.entries(HOURLY).map(([n, f]) => [n, f(d, h)])) });
  }
  DATES.forEach((date, d) => rows.push({ dims: { date }, metrics: Object.fromEntries(Object.entries(DAILY).map(([n, f]) => [n, f(d)])) }));
  rows.push({ dims: { date: DATES[0]! }, metrics: { [LEGACY]: 99 } });
  const db = await openMetricsDb({ databaseUrl: url, dataDir: '/nonexistent', timeZone: 'UTC' });
  try {
    const b = graphBuilder('dashboard-fixture');
    const input = b.source('values', source(() => rows));
    input.to('hourly', hourlyWriter());
    input.to('daily', dailyWriter());
    const run = await runGraph(b.build(), { services: { [METRICS_DB_SERVICE]: db } });
    expect(run.status).toBe('succeeded');
    for (const r of RUNS) {
      await db.query(
        `INSERT INTO etl.job_run (id, job, trigger, status, started_at, finished_at, error, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [r.id, r.job, r.trigger, r.status, r.started, r.finished, r.error, r.created],
      );
    }
  } finally {
    await db.close();
  }
}

describe('every SQL of the dashboard, as Grafana sends it, on a metrics database with known values', () => {
  let database: TestDatabase;
  let grafana: pg.Pool; // Grafana's connection: a session zone unrelated to the data, to show the SQL does not depend on it

  beforeAll(async () => {
    database = await createTestDatabase('etl_dashboards');
    await writeValues(database.url);
    grafana = new pg.Pool({ connectionString: database.url, max: 2, options: '-c TimeZone=America/Anchorage' });
  });
  afterAll(async () => {
    await grafana?.end();
    await database?.drop();
  });

  const run = async (rawSql: string, variables = VARIABLES, range = RANGE) => {
    const sql = grafanaSql(rawSql, range, variables);
    expect(sql, 'no variable or macro left').not.toMatch(/\$/);
    return (await grafana.query(sql)).rows as Record<string, unknown>[];
  };

  it('lists an expectation for every SQL site of the dashboard (panels, annotations, variables)', () => {
    expect(sqlSites().map(expectationKey).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(sqlSites().map((site) => [expectationKey(site), site] as const))('%s returns exactly the values written', async (key, site) => {
    const rows = await run(site.rawSql);
    expect(rows.length).toBeGreaterThan(0);
    if (site.format === 'time_series') {
      // Grafana's time series format: a "time" column first, rows ascending in time.
      expect(Object.keys(rows[0]!)[0]).toBe('time');
      const times = rows.map((r) => (r.time as Date).getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    if (site.kind === 'variable') rows.sort((a, b) => byName(String(a.prefix), String(b.prefix)));
    expect(rows).toEqual(EXPECTED[key]);
  });

  it('reads dates and hours in the zone of the tz variable (Europe/Paris: local hours are one hour ahead of UTC in January)', async () => {
    const paying = allPanels().find((p) => p.title === 'Paying users');
    const rawSql = paying !== undefined && 'targets' in paying ? paying.targets[0]!.rawSql : '';
    const rows = await run(rawSql, { ...VARIABLES, tz: { value: 'Europe/Paris' } });
    // The instants in RANGE are the local hours 2026-01-03 01:00 .. 2026-01-06 00:00 in Paris.
    const expected = [2, 3, 4, 5].flatMap((d) => HOURS
      .filter((h) => (d === 2 ? h >= 1 : d === 5 ? h === 0 : true))
      .map((h) => ({ time: new Date(utc(d, h).getTime() - 3_600_000), 'paying users': HOURLY['objects.paying_users.count']!(d, h) })));
    expect(rows).toEqual(expected);
  });

  it('counts visitors from the events (distinct page viewers) where Google Analytics has no figure', async () => {
    const panel = allPanels().find((p) => p.title === 'Visitors and sign-ups per day');
    const rawSql = panel !== undefined && 'targets' in panel ? panel.targets[0]!.rawSql : '';
    const rows = await run(rawSql.replaceAll("'ga.new_users'", "'ga.absent'"));
    expect(rows).toEqual(IN_RANGE.map((d) => ({ time: utc(d), visitors: DAILY['events.page_view.users']!(d), 'sign-ups': signups(d) })));
  });

  it('uses the time range to the millisecond, as Grafana formats it', async () => {
    const signups = allPanels().find((p) => p.title === 'Sign-ups per day');
    const rawSql = signups !== undefined && 'targets' in signups ? signups.targets[0]!.rawSql : '';
    expect(rfc3339Nano(RANGE.to)).toBe('2026-01-05T23:59:59.999Z');
    const oneDay = await run(rawSql, VARIABLES, { from: new Date('2026-01-03T00:00:00.001Z'), to: new Date('2026-01-04T00:00:00Z') });
    expect(oneDay).toEqual([{ time: utc(3), 'sign-ups': 8 }]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Provisioning files (no YAML library here: the files are kept simple and read line by line).

describe('provisioning files', () => {
  const read = (path: string) => readFileSync(resolve(root, path), 'utf8');
  const datasource = read('dashboards/provisioning/datasources/metrics.yaml');
  const provider = read('dashboards/provisioning/dashboards/etl.yaml');
  const keyLine = (text: string, key: string) => text.split('\n').find((l) => new RegExp(`^\\s*(- )?${key}:`).test(l))?.replace(/^\s*(- )?[\w]+:\s*/, '');

  it('are plain YAML: spaces only, no tabs, every line a comment, a key, a list item or blank', () => {
    for (const text of [datasource, provider]) {
      expect(text).not.toMatch(/\t/);
      for (const line of text.split('\n')) expect(line).toMatch(/^(\s*#.*|\s*(- )?[A-Za-z]\w*:( .*)?|\s*)$/);
    }
  });

  it('provision the PostgreSQL datasource the dashboard uses, from the environment', () => {
    expect(datasource).toMatch(/^apiVersion: 1$/m);
    expect(datasource).toMatch(/^datasources:$/m);
    expect(keyLine(datasource, 'uid')).toBe(DATASOURCE.uid);
    expect(keyLine(datasource, 'type')).toBe(DATASOURCE.type);
    expect(keyLine(datasource, 'url')).toBe('$__env{ETL_GRAFANA_DB_HOST}');
    expect(keyLine(datasource, 'user')).toBe('$__env{ETL_GRAFANA_DB_USER}');
    expect(datasource).toMatch(/^ {4}jsonData:\n(?: {6}\w+: .*\n)*? {6}database: \$__env\{ETL_GRAFANA_DB_NAME\}$/m);
    expect(datasource).toMatch(/^ {6}timescaledb: false$/m); // with TimescaleDB, Grafana expands $__timeGroup differently
    expect(datasource).toMatch(/^ {4}secureJsonData:\n {6}password: \$__env\{ETL_GRAFANA_DB_PASSWORD\}$/m);
  });

  it('hold no literal secret: every password-like value comes from the environment', () => {
    for (const text of [datasource, provider]) {
      for (const line of text.split('\n').filter((l) => /pass|secret|token/i.test(l) && !/^\s*#/.test(l))) {
        expect(line).toMatch(/:\s*\$__env\{[A-Z0-9_]+\}\s*$/);
      }
    }
  });

  it('provide the dashboards folder through a file provider', () => {
    expect(provider).toMatch(/^apiVersion: 1$/m);
    expect(provider).toMatch(/^providers:$/m);
    expect(keyLine(provider, 'type')).toBe('file');
    expect(keyLine(provider, 'name')).toBeTruthy();
    expect(provider).toMatch(/^ {4}options:\n {6}path: \/\S+$/m);
  });
});
