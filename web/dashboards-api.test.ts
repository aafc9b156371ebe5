// The dashboards API in-process (app.request) on a real PostgreSQL metrics database filled by the real writers:
// every panel of the shipped dashboard, values against SQL, ranges, 400/404, injection, public dashboards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../config/index.js';
import { allPanels, loadCatalog } from '../dashboards/index.js';
import { graphBuilder, runGraph, source } from '../graph/index.js';
import type { MetricRow } from '../metrics/row.js';
import type { EtlRuntime } from '../runtime/runtime.js';
import { createTestMetricsDb, type TestMetricsDb } from '../test/writers-backends.js';
import { dailyWriter, hourlyWriter, METRICS_DB_SERVICE } from '../writers/index.js';
import type { DashboardJson, PanelDataJson } from './client/view/dashboard-wire.js';
import type { UiDeps } from './contract.js';
import { createApp } from './server.js';

const UID = 'business-metrics';
const TOKEN = 'dashboards-test-token-1';
const DAY = 86_400_000;
const today = new Date(Math.floor(Date.now() / DAY) * DAY);
const date = (back: number) => new Date(today.getTime() - back * DAY).toISOString().slice(0, 10);
const BACK = [4, 3, 2, 1, 0];
const signups = (back: number) => 10 - back;
const newUsers = (back: number) => 40 + back;

let metrics: TestMetricsDb;
let open: UiDeps;
let guarded: UiDeps;

function depsWith(token: string | undefined, publicUids: readonly string[]): UiDeps {
  const config = {
    env: {}, file: {}, timeZone: 'UTC', database: {}, source: { file: 'test.json' }, dataDir: '/nonexistent', jobModules: [],
    dashboards: { dir: undefined, queryTimeoutMs: 5_000, maxRows: 10_000, public: publicUids },
  } as unknown as LoadedConfig;
  const runtime = { config, metricsDb: async () => metrics.db } as unknown as EtlRuntime;
  return { runtime, schedules: [], runHere: async () => 0, ...(token === undefined ? {} : { token }) };
}

async function fill(): Promise<void> {
  const rows: MetricRow[] = BACK.flatMap((back) => [
    { dims: { date: date(back) }, metrics: { 'events.signup.count': signups(back), 'ga.new_users': newUsers(back), 'events.page_view.users': 99 } },
    ...Array.from({ length: 24 }, (_, hour) => ({ dims: { date: date(back), hour }, metrics: { 'objects.users.count': 1000 + hour, 'objects.paying_users.count': 100 + back } })),
  ]);
  const b = graphBuilder('dashboards-api-fixture');
  const input = b.source('values', source(() => rows));
  input.to('hourly', hourlyWriter());
  input.to('daily', dailyWriter());
  const run = await runGraph(b.build(), { services: { [METRICS_DB_SERVICE]: metrics.db } });
  expect(run.status).toBe('succeeded');
}

const get = async <T>(deps: UiDeps, path: string, headers: Record<string, string> = {}) => {
  const res = await createApp(deps).request(path, { headers });
  const text = await res.text();
  return { status: res.status, text, body: ((res.headers.get('content-type') ?? '').startsWith('application/json') ? JSON.parse(text) : undefined) as T };
};
const panel = (id: number, query = '') => get<PanelDataJson>(open, `/api/dashboards/${UID}/panels/${id}${query}`);
const field = (data: PanelDataJson, name: string) => data.frames[0]!.fields.find((f) => f.name === name);

beforeAll(async () => {
  metrics = await createTestMetricsDb('postgres');
  await fill();
  open = depsWith(undefined, []);
  guarded = depsWith(TOKEN, [UID]);
}, 60_000);
afterAll(async () => metrics?.drop());

describe('dashboards API', () => {
  it('lists the shipped dashboard', async () => {
    const { status, body } = await get<{ dashboards: unknown[] }>(open, '/api/dashboards');
    expect(status).toBe(200);
    expect(body.dashboards).toEqual([{ uid: UID, title: 'Business metrics', description: expect.any(String), tags: ['etl', 'business'], source: 'shipped', public: false }]);
  });

  it('gives the dashboard with its range and variables resolved ($tz from the configuration, $metric from its query)', async () => {
    const { status, body } = await get<DashboardJson>(open, `/api/dashboards/${UID}`);
    expect(status).toBe(200);
    expect(body.range).toMatchObject({ from: 'now-30d', to: 'now' });
    expect(body.range.toMs - body.range.fromMs).toBe(30 * DAY);
    expect(body.refreshMs).toBe(15 * 60_000);
    const [tz, metric] = body.variables;
    expect(tz).toMatchObject({ name: 'tz', type: 'textbox', current: ['UTC'] });
    expect(metric).toMatchObject({ name: 'metric', type: 'query', current: ['events'] });
    expect(metric!.options.map((o) => o.value)).toEqual(expect.arrayContaining(['events', 'events.signup', 'ga', 'ga.new_users', 'objects']));
    expect(JSON.stringify(body.dashboard)).toContain('rawSql');
  });

  it('answers every panel of the shipped dashboard without an error', async () => {
    const file = (await loadCatalog(undefined)).dashboards.find((d) => d.uid === UID)!;
    const ids = allPanels(file.json).filter((p) => p.type !== 'row').map((p) => p.id as number);
    expect(ids.length).toBeGreaterThan(15);
    for (const id of ids) {
      const { status, body } = await panel(id);
      expect(status, `panel ${id}`).toBe(200);
      expect(body.error, `panel ${id}`).toBeUndefined();
      expect(body.intervalMs, `panel ${id}`).toBeGreaterThan(0);
    }
  });

  it("gives a stat the value of its SQL computed directly (sign-up conversion over the range's days)", async () => {
    const { body } = await panel(27);
    const direct = (await metrics.db.query<{ rate: number }>(
      `SELECT 100.0 * sum(v.value) FILTER (WHERE m.name = 'events.signup.count') / sum(v.value) FILTER (WHERE m.name = 'ga.new_users') AS rate
       FROM etl.daily_value v JOIN etl.metric m ON m.id = v.metric_id`,
    )).rows[0]!.rate;
    expect(field(body, 'sign-up conversion')!.values).toEqual([direct]);
    expect(direct).toBeCloseTo((100 * BACK.reduce((s, b) => s + signups(b), 0)) / BACK.reduce((s, b) => s + newUsers(b), 0), 10);
  });

  it('shapes a long time series as one series per metric, and the range changes the data', async () => {
    const { body } = await panel(7);
    expect(body.frames[0]!.fields.map((f) => [f.name, f.type])).toEqual([['Time', 'time'], ['paying_users', 'number'], ['users', 'number']]);
    const all = await panel(3);
    expect(field(all.body, 'sign-ups')!.values).toEqual(BACK.map(signups));
    expect(field(all.body, 'Time')!.values).toEqual(BACK.map((b) => Date.parse(date(b))));
    const recent = await panel(3, '?from=now-2d&to=now');
    expect(field(recent.body, 'sign-ups')!.values).toEqual([1, 0].map(signups));
  });

  it("gives a page's panels in one answer, one NDJSON line each, the same as each panel's own answer", async () => {
    const file = (await loadCatalog(undefined)).dashboards.find((d) => d.uid === UID)!;
    const ids = allPanels(file.json).filter((p) => p.type !== 'row' && p.type !== 'text').map((p) => p.id as number);
    const res = await createApp(open).request(`/api/dashboards/${UID}/panels?${ids.map((id) => `id=${id}`).join('&')}&from=now-2d&to=now`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const lines = (await res.text()).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as PanelDataJson);
    expect(lines.map((l) => l.panelId).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    for (const line of lines) expect(line, `panel ${line.panelId}`).toEqual((await panel(line.panelId, '?from=now-2d&to=now')).body);
    expect(field(lines.find((l) => l.panelId === 3)!, 'sign-ups')!.values).toEqual([1, 0].map(signups));
    // `id=3,7` and a repeated id: each panel once.
    const twice = await get(open, `/api/dashboards/${UID}/panels?id=3,7&id=3`);
    expect(twice.text.trim().split('\n').map((l) => (JSON.parse(l) as PanelDataJson).panelId).sort()).toEqual([3, 7]);
  });

  it('answers the batch 404 for an unknown panel, 400 for no id, a bad range or value, before any line', async () => {
    expect(await get(open, `/api/dashboards/${UID}/panels?id=3&id=999`)).toMatchObject({ status: 404, body: { error: "dashboard 'business-metrics' has no panel 999" } });
    expect(await get(open, `/api/dashboards/${UID}/panels`)).toMatchObject({ status: 400, body: { error: 'id: name the panels (?id=1&id=2)' } });
    expect((await get(open, `/api/dashboards/${UID}/panels?id=3&from=yesterday`)).status).toBe(400);
    expect(await get(open, `/api/dashboards/${UID}/panels?id=19&var-metric=nope`)).toMatchObject({ status: 400, body: { error: "variable 'metric': 'nope' is not one of its options" } });
    expect((await get(open, '/api/dashboards/nope/panels?id=3')).status).toBe(404);
  });

  it('answers 404 for an unknown dashboard or panel, 400 for a value not among the options', async () => {
    expect((await get(open, '/api/dashboards/nope')).status).toBe(404);
    expect((await get(open, `/api/dashboards/${UID}/panels/999`)).status).toBe(404);
    expect((await get(open, `/api/dashboards/${UID}/panels/abc`)).status).toBe(404);
    const bad = await get<{ error: string }>(open, `/api/dashboards/${UID}/panels/19?var-metric=nope`);
    expect(bad).toMatchObject({ status: 400, body: { error: "variable 'metric': 'nope' is not one of its options" } });
    expect((await get(open, `/api/dashboards/${UID}/panels/3?from=yesterday`)).status).toBe(400);
  });

  it('keeps an injected value inert: the panel fails on the bad zone, the table is still there', async () => {
    const evil = encodeURIComponent("'); DROP TABLE etl.metric; --");
    const { status, body } = await panel(3, `?var-tz=${evil}`);
    expect(status).toBe(200);
    expect(body.error).toMatch(/time zone .* not recognized/);
    expect((await metrics.db.query('SELECT count(*)::int AS n FROM etl.metric')).rows[0]).toEqual({ n: 5 });
  });
});

describe('public dashboards', () => {
  it('serve a public uid without the token, without SQL; everything else stays behind the token', async () => {
    const data = await get<PanelDataJson>(guarded, `/api/public/dashboards/${UID}/panels/3`);
    expect(data.status).toBe(200);
    expect(data.body.frames[0]!.fields.length).toBe(2);
    const view = await get<DashboardJson>(guarded, `/api/public/dashboards/${UID}`);
    expect(view.status).toBe(200);
    expect(view.text).not.toMatch(/rawSql|SELECT/);
    expect((await get(guarded, `/api/public/dashboards/${UID}/panels/3?var-tz=Europe/Paris`)).status).toBe(400);
    const batch = await get(guarded, `/api/public/dashboards/${UID}/panels?id=3&id=7`);
    expect(batch.status).toBe(200);
    expect(batch.text.trim().split('\n')).toHaveLength(2);
    expect(batch.text).not.toMatch(/rawSql|SELECT/);
    for (const path of ['/api/dashboards', `/api/dashboards/${UID}`, `/api/dashboards/${UID}/panels?id=3`, '/api/runs', '/api/public/dashboards/other', '/api/public/dashboards/other/panels/3', '/api/public/dashboards/other/panels?id=3']) {
      expect((await get(guarded, path)).status, path).toBe(401);
    }
    for (const path of ['/jobs', `/public/${UID}/panels`]) expect((await get(guarded, path)).status, path).toBe(302); // to /login
    expect((await get(guarded, `/api/dashboards/${UID}/panels/3`, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it('are off by default: no public route answers', async () => {
    expect((await get(open, `/api/public/dashboards/${UID}/panels/3`)).status).toBe(404);
  });
});
