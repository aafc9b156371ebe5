// The partition calendar, backfill and re-run API and the job page's calendar, in-process (app.request) on a
// real metrics database (PGlite: run store and partition store) with an events reader configured in
// Europe/Paris: a day with a success and a failed hour, the 23-hour DST day, 400/404/409, CSRF, masking, SSE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../config/index.js';
import { HOUR_MS as HOUR, startOfDay } from '../metrics/time.js';
import { wireReaders } from '../runtime/readers.js';
import { buildRegistry } from '../runtime/registry.js';
import type { PartitionCalendar } from '../runtime/partitions.js';
import type { EtlRuntime } from '../runtime/runtime.js';
import { PartitionStore } from '../runs/partition-store.js';
import { dayPartitions, hourPartition } from '../runs/partitions.js';
import type { RunStorage } from '../runs/run-storage.js';
import type { RunStore } from '../runs/run-store.js';
import { sqlRunStorage } from '../runs/sql-run-storage.js';
import { currentProcess } from '../embedded/index.js';
import { createTestMetricsDb, type TestMetricsDb } from '../test/writers-backends.js';
import type { UiDeps } from './contract.js';
import { createApp, createRunHere, startUi } from './server.js';

const ZONE = 'Europe/Paris';
const PASSWORD = 'Ev3ntsSourcePw';

let metrics: TestMetricsDb;
let storage: RunStorage;
let store: RunStore;
let parts: PartitionStore;
let deps: UiDeps;
let failedRunId: number;
let successRunId: number;

const action = { method: 'POST', headers: { 'X-ETL-UI': '1', 'Content-Type': 'application/json' } } as const;
const post = (path: string, body?: unknown) => createApp(deps).request(path, { ...action, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
const get = (path: string) => createApp(deps).request(path);

async function json<T>(response: Response | Promise<Response>): Promise<{ status: number; body: T; text: string }> {
  const res = await response;
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as T, text };
}

/** The hour partition of local `date` starting `hours` after its midnight. */
const hourOf = (date: string, hours: number) => hourPartition(startOfDay(date, ZONE) + hours * HOUR, ZONE);

beforeAll(async () => {
  metrics = await createTestMetricsDb('pglite');
  storage = sqlRunStorage(metrics.db);
  store = storage.runs;
  parts = new PartitionStore(metrics.db);
  const config = {
    env: {},
    file: { sources: { website: { url: `postgres://etl:${PASSWORD}@127.0.0.1:1/site` } }, readers: { events: { source: 'website', table: 'events' } } },
    timeZone: ZONE,
    database: {},
    source: { file: 'test.json' },
    dataDir: '/nonexistent',
    jobModules: [],
  } as unknown as LoadedConfig;
  const readers = await wireReaders(config, () => undefined);
  const registry = await buildRegistry(config, readers);
  const runtime: EtlRuntime = { config, readers: async () => readers, registry: async () => registry, services: async () => ({}), metricsDb: async () => metrics.db, runStorage: async () => storage, close: async () => undefined };
  deps = { runtime, schedules: [], runHere: createRunHere(runtime) };
  // 2026-03-28: the day failed; its 10:00 hour was re-run and succeeded. 2026-03-30: 05:00 success, 06:00 failed.
  successRunId = (await store.create({ job: 'events', trigger: 'backfill' }))!;
  failedRunId = (await store.create({ job: 'events', trigger: 'backfill' }))!;
  await parts.set('events', dayPartitions('2026-03-28', '2026-03-28', ZONE)[0]!, 'failed', { runId: failedRunId, reason: `cannot reach postgres://etl:${PASSWORD}@127.0.0.1:1/site`, attempt: true });
  await parts.set('events', hourOf('2026-03-28', 10), 'success', { runId: successRunId, attempt: true });
  await parts.set('events', hourOf('2026-03-30', 5), 'success', { runId: successRunId });
  await parts.set('events', hourOf('2026-03-30', 6), 'failed', { runId: failedRunId, reason: 'source query failed: <script>x</script>' });
}, 60_000);

afterAll(async () => {
  await metrics?.drop();
});

describe('partition API', () => {
  it('gives the calendar: a day per row, 23 hours on the DST day, hour states over the day status, counts', async () => {
    const { status, body, text } = await json<PartitionCalendar>(get('/api/jobs/events/partitions?from=2026-03-28&to=2026-03-30'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ job: 'events', timeZone: ZONE, from: '2026-03-28', to: '2026-03-30' });
    expect(body.days.map((d) => [d.date, d.hours.length])).toEqual([['2026-03-28', 24], ['2026-03-29', 23], ['2026-03-30', 24]]);
    const [first, dst, third] = body.days as [PartitionCalendar['days'][number], PartitionCalendar['days'][number], PartitionCalendar['days'][number]];
    expect(first.day).toMatchObject({ grain: 'day', key: '2026-03-28', status: 'failed', runId: failedRunId, attempts: 1 });
    expect(first.hours[10]).toMatchObject({ grain: 'hour', key: '2026-03-28T10:00+01:00', status: 'success', runId: successRunId });
    expect(first.hours[9]).toMatchObject({ key: '2026-03-28T09:00+01:00', status: 'failed', runId: failedRunId });
    expect(dst.hours.map((h) => h.key.slice(11))).toContain('03:00+02:00');
    expect(dst.hours.map((h) => h.key.slice(11))).not.toContain('02:00+01:00');
    expect(dst.hours.every((h) => h.status === 'missing')).toBe(true);
    expect(third.day.status).toBe('missing');
    expect(third.hours[5]).toMatchObject({ key: '2026-03-30T05:00+02:00', status: 'success' });
    expect(third.hours[6]).toMatchObject({ key: '2026-03-30T06:00+02:00', status: 'failed', reason: 'source query failed: <script>x</script>' });
    expect(third.hours.filter((h) => h.status === 'missing')).toHaveLength(22);
    expect(body.counts).toEqual({ missing: 2, queued: 0, running: 0, success: 0, failed: 1, skipped: 0 });
    expect(text).not.toContain(PASSWORD);
    expect(first.day.reason).toContain('postgres://etl:***@127.0.0.1:1/site');
  });

  it('answers 404 for a job without partitions or none, 400 naming the bad parameter', async () => {
    const plain = await json<{ error: string }>(get('/api/jobs/example/partitions'));
    expect(plain.status).toBe(404);
    expect(plain.body.error).toContain('has no partitions');
    expect((await get('/api/jobs/nosuch/partitions')).status).toBe(404);
    const badDate = await json<{ error: string }>(get('/api/jobs/events/partitions?from=2026-02-30'));
    expect(badDate).toMatchObject({ status: 400, body: { error: "from: '2026-02-30' is not a date (YYYY-MM-DD)" } });
    const reversed = await json<{ error: string }>(get('/api/jobs/events/partitions?from=2026-03-10&to=2026-03-01'));
    expect(reversed.status).toBe(400);
    expect(reversed.body.error).toMatch(/^from 2026-03-10 is after to 2026-03-01/);
    const long = await json<{ error: string }>(get('/api/jobs/events/partitions?from=2025-01-01&to=2026-03-01'));
    expect(long.status).toBe(400);
    expect(long.body.error).toMatch(/^from: .* at most 93/);
    expect((await json<PartitionCalendar>(get('/api/jobs/events/partitions'))).body.days).toHaveLength(21);
  });

  it('refuses a backfill with 409 and what to start when no scheduler or worker runs; nothing is recorded', async () => {
    const before = (await store.list({ trigger: 'backfill', limit: 200 })).length;
    const { status, body } = await json<{ error: string }>(post('/api/jobs/events/backfill', { from: '2026-03-01', to: '2026-03-03', grain: 'day' }));
    expect(status).toBe(409);
    expect(body.error).toContain('etl scheduler');
    expect(body.error).toContain('etl backfill events --from 2026-03-01 --to 2026-03-03');
    expect((await store.list({ trigger: 'backfill', limit: 200 })).length).toBe(before);
    const rerun = await json<{ error: string }>(post('/api/jobs/events/partitions/2026-03-02/run'));
    expect(rerun.status).toBe(409);
  });

  it('answers 400 naming the bad field, 404 for a job without partitions, 403 without the action header', async () => {
    const cases: Array<[unknown, string]> = [
      ['not json', 'body: not JSON'],
      [[1], 'body: expected a JSON object'],
      [{ to: '2026-03-03' }, 'from: missing'],
      [{ from: '2026-03-01' }, 'to: missing'],
      [{ from: '2026-03-01', to: '2026-03-03', grain: 'week' }, "grain: 'week' is not day or hour"],
      [{ from: '2026-03-01', to: '2026-03-03', only: 'broken' }, "only: 'broken' is not all, failed or missing"],
      [{ from: '2026-13-01', to: '2026-03-03' }, "from: '2026-13-01' is not a date"],
      [{ from: 5, to: '2026-03-03' }, 'from: expected a string'],
    ];
    for (const [body, error] of cases) {
      const answer = await json<{ error: string }>(post('/api/jobs/events/backfill', body));
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error).toContain(error);
    }
    expect((await post('/api/jobs/example/backfill', { from: '2026-03-01', to: '2026-03-03' })).status).toBe(404);
    expect((await post('/api/jobs/example/partitions/2026-03-01/run')).status).toBe(404);
    const badKey = await json<{ error: string }>(post('/api/jobs/events/partitions/2026-03-29T02:00+01:00/run'.replace('+', '%2B')));
    expect(badKey.status).toBe(400);
    expect(badKey.body.error).toMatch(/^key: '2026-03-29T02:00\+01:00' is not a partition key/);
    expect((await createApp(deps).request('/api/jobs/events/backfill', { method: 'POST', body: '{}' })).status).toBe(403);
  });

  it('queues one backfill run per partition for a live scheduler (202), only the failed ones with only=failed', async () => {
    await storage.scheduler.beat(currentProcess());
    const all = await json<{ queued: number; runIds: number[]; by: string }>(post('/api/jobs/events/backfill', { from: '2026-03-01', to: '2026-03-03', grain: 'day', only: 'all' }));
    expect(all.status).toBe(202);
    expect(all.body).toMatchObject({ queued: 3, by: 'scheduler' });
    const runs = await Promise.all(all.body.runIds.map((id) => store.get(id)));
    expect(runs.map((r) => [r!.job, r!.trigger, r!.status])).toEqual(Array(3).fill(['events', 'backfill', 'queued']));
    const calendar = (await json<PartitionCalendar>(get('/api/jobs/events/partitions?from=2026-03-01&to=2026-03-03'))).body;
    expect(calendar.days.map((d) => [d.day.status, d.day.runId])).toEqual(all.body.runIds.map((id) => ['queued', id]));
    expect(calendar.days[0]!.hours.every((h) => h.status === 'queued')).toBe(true);
    // Queued already: not queued twice.
    const again = await json<{ queued: number; reason: string }>(post('/api/jobs/events/backfill', { from: '2026-03-01', to: '2026-03-03', grain: 'day' }));
    expect(again).toMatchObject({ status: 200, body: { queued: 0, reason: 'no partition in that range' } });
    const failed = await json<{ runIds: number[] }>(post('/api/jobs/events/backfill', { from: '2026-03-27', to: '2026-03-30', grain: 'day', only: 'failed' }));
    expect(failed.status).toBe(202);
    expect(failed.body.runIds).toHaveLength(1);
    expect((await store.get(failed.body.runIds[0]!))!.scheduledFor).toBe(startOfDay('2026-03-28', ZONE));
    const hours = await json<{ runIds: number[] }>(post('/api/jobs/events/backfill', { from: '2026-03-29', to: '2026-03-29', grain: 'hour', only: 'missing' }));
    expect(hours.body.runIds).toHaveLength(23);
  });

  it('re-runs one partition: a day, or an hour (grain from the key)', async () => {
    const hourKey = '2026-03-30T06:00+02:00';
    const hour = await json<{ queued: number; runIds: number[] }>(post(`/api/jobs/events/partitions/${encodeURIComponent(hourKey)}/run`));
    expect(hour).toMatchObject({ status: 202, body: { queued: 1 } });
    const state = (await parts.states('events', [hourOf('2026-03-30', 6)]))[0]!;
    expect(state).toMatchObject({ status: 'queued', runId: hour.body.runIds[0] });
    const day = await json<{ runIds: number[] }>(post('/api/jobs/events/partitions/2026-03-20/run'));
    expect(day.status).toBe(202);
    expect((await parts.states('events', dayPartitions('2026-03-20', '2026-03-20', ZONE)))[0]).toMatchObject({ grain: 'day', status: 'queued', runId: day.body.runIds[0] });
    expect((await json<{ queued: number }>(post('/api/jobs/events/partitions/2026-03-20/run'))).body.queued).toBe(0);
  });
});

describe('job page calendar', () => {
  it('shows a row per day, a lettered cell per hour (25 on the fall-back day), the day status, re-run buttons, form and stream', async () => {
    await parts.set('events', dayPartitions('2026-10-24', '2026-10-24', ZONE)[0]!, 'failed', { runId: failedRunId, reason: `cannot reach postgres://etl:${PASSWORD}@127.0.0.1:1/site` });
    await parts.set('events', hourOf('2026-10-24', 10), 'success', { runId: successRunId });
    await parts.set('events', hourOf('2026-10-26', 6), 'failed', { runId: failedRunId, reason: 'source query failed: <script>x</script>' });
    const res = await get('/jobs/events?from=2026-10-24&to=2026-10-26');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('data-stream="/api/events?view=partitions&amp;job=events&amp;from=2026-10-24&amp;to=2026-10-26"');
    const rows = [...page.matchAll(/<tr data-day="([\d-]+)">(.*?)<\/tr>/g)].map((m) => ({ date: m[1], cells: [...m[2]!.matchAll(/<td class="pc ps-(\w+)" data-key="([^"]+)"/g)].map((c) => [c[2], c[1]]) }));
    expect(rows.map((r) => [r.date, r.cells.length])).toEqual([['2026-10-24', 24], ['2026-10-25', 25], ['2026-10-26', 24]]);
    expect(rows[0]!.cells[10]).toEqual(['2026-10-24T10:00+02:00', 'success']);
    expect(rows[0]!.cells[11]).toEqual(['2026-10-24T11:00+02:00', 'failed']);
    expect(rows[1]!.cells.slice(2, 4).map((c) => c[0])).toEqual(['2026-10-25T02:00+02:00', '2026-10-25T02:00+01:00']);
    expect(rows[2]!.cells[6]).toEqual(['2026-10-26T06:00+01:00', 'failed']);
    expect(page).toContain(`<td class="pc ps-success" data-key="2026-10-24T10:00+02:00" data-run="${successRunId}" title="2026-10-24T10:00+02:00 · success · run #${successRunId}">S</td>`);
    expect(page).toMatch(/<tr data-day="2026-10-25"><th class="pc-date">2026-10-25 <span class="muted small">25 h<\/span><\/th>(<td class="pc ps-missing"[^>]*>\.<\/td>){25}<td class="pc-day"/);
    expect(page).toMatch(/<tr data-day="2026-10-26"><th class="pc-date">2026-10-26<\/th>(<td [^>]*>.<\/td>){24}<td class="pc-gap" colspan="1"><\/td>/);
    expect(page).toContain(`<span class="badge ps-failed">failed</span> <a href="/runs/${failedRunId}">#${failedRunId}</a>`);
    expect(page).toContain('data-post="/api/jobs/events/partitions/2026-10-24/run" data-kind="rerun"');
    expect(page).toContain('<form id="backfill"');
    expect(page).toContain('<input type="date" name="from" value="2026-10-24" required>');
    expect(page).toContain('<li data-status="failed"><span class="pc ps-failed">F</span> failed <b>1</b></li>');
    expect(page).toContain('<li data-status="missing"><span class="pc ps-missing">.</span> missing <b>2</b></li>');
    expect(page).toContain('href="/jobs/events?from=2026-10-21&amp;to=2026-10-23">← earlier</a>');
    expect(page).toContain('href="/jobs/events?from=2026-10-27&amp;to=2026-10-29">later →</a>');
    expect(page).toContain('source query failed: &lt;script&gt;x&lt;/script&gt;');
    expect(page).not.toContain('<script>x</script>');
    expect(page).not.toContain(PASSWORD);
    for (const row of page.match(/<tr data-day=.*?<\/tr>/g)!) expect(row.match(/<td/g)!.length).toBeLessThanOrEqual(90);
  });

  it('shows no calendar for a job without partitions, and the default range with the error for a bad one', async () => {
    const plain = await (await get('/jobs/example')).text();
    expect(plain).not.toContain('id="partitions"');
    expect(plain).not.toContain('data-stream');
    const bad = await get('/jobs/events?from=2026-02-30');
    expect(bad.status).toBe(200);
    const page = await bad.text();
    expect(page).toContain('<p class="error-text" role="alert">from: &#39;2026-02-30&#39; is not a date (YYYY-MM-DD)</p>');
    expect(page.match(/<tr data-day=/g)).toHaveLength(21);
    // The default range ends today: no later page.
    expect(page).not.toContain('rel="next"');
    expect(page).toContain('rel="prev"');
  });

  it('needs the token like every other route, and the action header for a backfill', async () => {
    const app = createApp({ ...deps, token: 'partition-token-0123' });
    expect((await app.request('/api/jobs/events/partitions')).status).toBe(401);
    expect((await app.request('/api/events?view=partitions&job=events')).status).toBe(401);
    const bearer = { Authorization: 'Bearer partition-token-0123' };
    expect((await app.request('/api/jobs/events/partitions', { headers: bearer })).status).toBe(200);
    expect((await app.request('/api/jobs/events/backfill', { method: 'POST', headers: { ...bearer, 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(403);
    expect((await app.request('/api/jobs/events/partitions/2026-03-02/run', { method: 'POST', headers: { ...bearer, 'X-ETL-UI': '1', Origin: 'http://evil.example' } })).status).toBe(403);
  });

  it('streams the calendar: at connect, then on a partition change', async () => {
    const ui = await startUi({ deps, host: '127.0.0.1', port: 0 });
    const controller = new AbortController();
    try {
      const bad = await fetch(`${ui.url}/api/events?view=partitions&job=example`);
      expect(bad.status).toBe(404);
      const res = await fetch(`${ui.url}/api/events?view=partitions&job=events&from=2026-03-10&to=2026-03-11`, { signal: controller.signal });
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      const next = async (): Promise<PartitionCalendar> => {
        for (;;) {
          const match = /event: partitions\ndata: (.*)\n\n/.exec(buffer);
          if (match !== null) {
            buffer = buffer.slice(match.index + match[0].length);
            return JSON.parse(match[1]!) as PartitionCalendar;
          }
          const { value, done } = await reader.read();
          if (done) throw new Error('stream ended');
          buffer += value;
        }
      };
      expect((await next()).days.map((d) => d.day.status)).toEqual(['missing', 'missing']);
      const changedAt = Date.now();
      await parts.set('events', dayPartitions('2026-03-11', '2026-03-11', ZONE)[0]!, 'success', { runId: successRunId });
      const second = await next();
      expect(Date.now() - changedAt).toBeLessThan(1_500);
      expect(second.days.map((d) => d.day.status)).toEqual(['missing', 'success']);
      expect(second.days[1]!.hours.every((h) => h.status === 'success')).toBe(true);
    } finally {
      controller.abort();
      await ui.close();
    }
  });
});
