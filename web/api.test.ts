// The web UI's server in-process (app.request) on a real run store (SqlRunStore on PGlite): the JSON API,
// auth and CSRF, masking, cron in words, and the SSE stream through a real HTTP server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../config/index.js';
import { graphBuilder, sink, source } from '../graph/index.js';
import { UsageError } from '../graph/errors.js';
import { defineJob } from '../jobs/job.js';
import { JobRegistry } from '../jobs/registry.js';
import type { EtlRuntime } from '../runtime/runtime.js';
import type { RunStorage } from '../runs/run-storage.js';
import type { RunRecord, RunStore } from '../runs/run-store.js';
import { sqlRunStorage } from '../runs/sql-run-storage.js';
import type { JobSchedule } from '../scheduler/schedule.js';
import { createTestMetricsDb, type TestMetricsDb } from '../test/writers-backends.js';
import type { JobSummary, UiDeps } from './contract.js';
import { cronText } from './cron-text.js';
import { createApp, createRunHere, isLoopback, startUi } from './server.js';

const PASSWORD = 'Sup3rSecretPw';
const ENV_SECRET = 'hunter2-env-secret';
const TOKEN = 'ui-token-0123456789';

function job(name: string, schedule?: string) {
  return defineJob({
    name,
    description: `test job ${name}`,
    services: [],
    ...(schedule === undefined ? {} : { schedule }),
    build: () => {
      const b = graphBuilder(name);
      b.source('read', source(async function* () {
        yield 1;
        yield 2;
      })).to('out', sink(() => undefined));
      return b.build();
    },
  });
}

const schedules: JobSchedule[] = [
  { job: 'quarter', cron: '*/15 * * * *', timeZone: 'UTC', retries: 0, retryDelayMs: 1000 },
  { job: 'nightly', cron: '0 3 * * *', timeZone: 'Europe/Paris', retries: 0, retryDelayMs: 1000 },
];

let metrics: TestMetricsDb;
let storage: RunStorage;
let store: RunStore;
let runtime: EtlRuntime;
let deps: UiDeps;

beforeAll(async () => {
  metrics = await createTestMetricsDb('pglite');
  storage = sqlRunStorage(metrics.db);
  store = storage.runs;
  const registry = new JobRegistry([job('quarter'), job('nightly'), job('adhoc')]);
  const config = { env: { WEBSITE_PASSWORD: ENV_SECRET }, file: {}, timeZone: 'UTC', database: {}, source: { file: 'test.json' }, dataDir: '/nonexistent', jobModules: [] } as unknown as LoadedConfig;
  runtime = {
    config,
    readers: async () => ({ enabled: [], skipped: [], names: [] }),
    registry: async () => registry,
    services: async () => ({}),
    metricsDb: async () => metrics.db,
    runStorage: async () => storage,
    close: async () => undefined,
  };
  deps = { runtime, schedules, runHere: createRunHere(runtime) };
}, 60_000);

afterAll(async () => {
  await metrics?.drop();
});

const action = { method: 'POST', headers: { 'X-ETL-UI': '1' } } as const;

async function json<T>(response: Response | Promise<Response>): Promise<{ status: number; body: T; text: string }> {
  const res = await response;
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as T, text };
}

/** Reads `event:` / `data:` blocks from an SSE response. */
function sseReader(res: Response): { next: <T>() => Promise<{ event: string; data: T }> } {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    async next<T>() {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) return { event, data: JSON.parse(data) as T };
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += value;
      }
    },
  };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('cron in words', () => {
  it.each([
    ['* * * * *', 'every minute'],
    ['*/15 * * * *', 'every 15 minutes'],
    ['0 * * * *', 'every hour'],
    ['0 */6 * * *', 'every 6 hours'],
    ['0 3 * * *', 'every day at 03:00'],
    ['30 2 * * 1', 'every Monday at 02:30'],
    ['0 9 * * 1-5', 'every weekday at 09:00'],
    ['*/2 * * * * *', 'every 2 seconds'],
    ['0 0 3 * * *', 'every day at 03:00'],
    ['@hourly', 'every hour'],
    ['@daily', 'every day at 00:00'],
    ['5 4 1,15 * *', '5 4 1,15 * *'],
  ])('%s -> %s', (cron, text) => expect(cronText(cron)).toBe(text));
});

describe('web UI API', () => {
  const app = () => createApp(deps);

  it('lists the jobs with their schedule in words, next firing, paused state and recent runs', async () => {
    const id = (await store.create({ job: 'quarter', trigger: 'schedule' }))!;
    const { status, body } = await json<JobSummary[]>(app().request('/api/jobs'));
    expect(status).toBe(200);
    expect(body.map((j) => j.name)).toEqual(['quarter', 'nightly', 'adhoc']);
    const quarter = body[0]!;
    expect(quarter.description).toBe('test job quarter');
    expect(quarter.schedule).toMatchObject({ cron: '*/15 * * * *', timeZone: 'UTC', text: 'every 15 minutes' });
    expect(quarter.schedule!.next).toBeGreaterThan(Date.now());
    expect(quarter.schedule!.next % (15 * 60_000)).toBe(0);
    expect(body[1]!.schedule!.text).toBe('every day at 03:00');
    expect(body[2]!.schedule).toBeNull();
    expect(quarter.paused).toBe(false);
    expect(quarter.lastRun?.id).toBe(id);
    expect(quarter.recent[0]).toEqual({ id, status: 'queued' });
  });

  it('pages the runs newest first by cursor (220 runs, pages of 100), with filters; limit default 50, max 200', async () => {
    for (let i = 0; i < 220; i++) await store.create({ job: 'adhoc', trigger: i % 2 === 0 ? 'manual' : 'backfill' });
    const seen: number[] = [];
    let before: number | null = null;
    let pages = 0;
    do {
      const page: { body: { runs: RunRecord[]; next: number | null } } = await json(app().request(`/api/runs?job=adhoc&limit=100${before === null ? '' : `&before=${before}`}`));
      seen.push(...page.body.runs.map((r) => r.id));
      before = page.body.next;
      pages += 1;
    } while (before !== null && pages < 10);
    expect(seen).toHaveLength(220);
    expect(new Set(seen).size).toBe(220);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    expect(pages).toBe(3);
    const manual = await json<{ runs: RunRecord[] }>(app().request('/api/runs?job=adhoc&trigger=manual&limit=200'));
    expect(manual.body.runs).toHaveLength(110);
    expect(manual.body.runs.every((r) => r.trigger === 'manual')).toBe(true);
    expect((await json<{ runs: RunRecord[] }>(app().request('/api/runs?limit=1000'))).body.runs).toHaveLength(200);
    expect((await json<{ runs: RunRecord[] }>(app().request('/api/runs'))).body.runs).toHaveLength(50);
    expect((await app().request('/api/runs?status=nope')).status).toBe(400);
    const badTrigger = await json<{ error: string }>(app().request('/api/runs?trigger=cron'));
    expect(badTrigger.status).toBe(400);
    expect(badTrigger.body.error).toBe("trigger: 'cron' is not a run trigger (manual, schedule, backfill, retry)");
    expect((await app().request('/api/runs?before=abc')).status).toBe(400);
  });

  it('answers a run by id, and 404 JSON for an unknown run, job or API', async () => {
    const id = (await store.create({ job: 'nightly', trigger: 'manual' }))!;
    const found = await json<RunRecord>(app().request(`/api/runs/${id}`));
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id, job: 'nightly', status: 'queued', trigger: 'manual' });
    const missing = await json<{ error: string }>(app().request('/api/runs/999999'));
    expect(missing).toMatchObject({ status: 404, body: { error: 'no run 999999' } });
    const noJob = await json<{ error: string }>(app().request('/api/jobs/nosuch/trigger', action));
    expect(noJob.status).toBe(404);
    expect(noJob.body.error).toContain("'nosuch'");
    expect((await app().request('/api/nothing')).status).toBe(404);
    expect((await app().request('/api/nothing')).headers.get('content-type')).toContain('application/json');
  });

  it("gives a job's DOT", async () => {
    const { body } = await json<{ dot: string }>(app().request('/api/jobs/quarter/dot'));
    expect(body.dot).toContain('digraph');
    expect(body.dot).toContain('"read"');
  });

  it('triggers a run here when no scheduler or worker would take it; it ends succeeded', async () => {
    const { status, body } = await json<{ runId: number; by: string }>(app().request('/api/jobs/adhoc/trigger', action));
    expect(status).toBe(200);
    expect(body.by).toBe('here');
    const run = await until(
      async () => (await json<RunRecord>(app().request(`/api/runs/${body.runId}`))).body,
      (r) => r.status === 'succeeded' || r.status === 'failed',
    );
    expect(run.status).toBe('succeeded');
    expect(run.trigger).toBe('manual');
  });

  it('pauses and resumes a job, shown in /api/jobs', async () => {
    expect((await json(app().request('/api/jobs/nightly/pause', action))).body).toEqual({ job: 'nightly', paused: true });
    let jobs = (await json<JobSummary[]>(app().request('/api/jobs'))).body;
    expect(jobs.find((j) => j.name === 'nightly')!.paused).toBe(true);
    expect((await json(app().request('/api/jobs/nightly/resume', action))).body).toEqual({ job: 'nightly', paused: false });
    jobs = (await json<JobSummary[]>(app().request('/api/jobs'))).body;
    expect(jobs.find((j) => j.name === 'nightly')!.paused).toBe(false);
  });

  it('cancels a queued run; an unknown run is 404', async () => {
    const id = (await store.create({ job: 'adhoc', trigger: 'manual' }))!;
    expect((await json(app().request(`/api/runs/${id}/cancel`, action))).body).toEqual({ result: 'cancelled' });
    expect((await store.get(id))!.status).toBe('cancelled');
    expect((await json(app().request(`/api/runs/${id}/cancel`, action))).body).toEqual({ result: 'finished' });
    expect((await app().request('/api/runs/999999/cancel', action)).status).toBe(404);
  });

  it('refuses an action without X-ETL-UI or from another origin (403)', async () => {
    expect((await app().request('/api/jobs/nightly/pause', { method: 'POST' })).status).toBe(403);
    const crossSite = await app().request('http://localhost/api/jobs/nightly/pause', { method: 'POST', headers: { 'X-ETL-UI': '1', Origin: 'http://evil.example' } });
    expect(crossSite.status).toBe(403);
    const sameSite = await app().request('http://localhost/api/jobs/nightly/resume', { method: 'POST', headers: { 'X-ETL-UI': '1', Origin: 'http://localhost' } });
    expect(sameSite.status).toBe(200);
  });

  it('sends secure headers', async () => {
    const res = await app().request('/api/jobs');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('never shows a password or secret, even when a record holds one', async () => {
    const id = (await store.create({ job: 'adhoc', trigger: 'manual' }))!;
    await store.finish(id, 'failed', `<script>alert(1)</script> could not reach postgres://etl:${PASSWORD}@db:5432/site (password ${ENV_SECRET})`);
    await store.setLog(id, [`connecting to https://api:${PASSWORD}@example.com/x`, `env secret ${ENV_SECRET}`]);
    for (const path of [`/api/runs/${id}`, '/api/runs?job=adhoc', '/api/jobs']) {
      const { text } = await json(app().request(path));
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(ENV_SECRET);
    }
    const { body } = await json<RunRecord>(app().request(`/api/runs/${id}`));
    expect(body.error).toContain('<script>alert(1)</script>');
    expect(body.error).toContain('postgres://etl:***@db:5432/site');
  });
});

describe('web UI with a token', () => {
  const app = () => createApp({ ...deps, token: TOKEN });

  it('answers 401 without it, 200 with the bearer, redirects pages to the login form', async () => {
    expect((await app().request('/api/jobs')).status).toBe(401);
    expect((await app().request('/api/jobs', { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await app().request('/api/jobs', { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await app().request('/api/events?view=jobs')).status).toBe(401);
    const page = await app().request('/jobs');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toMatch(/^\/login/);
    const form = await app().request('/login?next=%22%3E%3Cscript%3E');
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('name="token"');
    expect(html).not.toContain('<script>');
  });

  it('logs in with the form: an HttpOnly SameSite=Strict cookie that then works', async () => {
    const wrong = await app().request('/login', { method: 'POST', body: new URLSearchParams({ token: 'nope' }) });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const res = await app().request('/login', { method: 'POST', body: new URLSearchParams({ token: TOKEN, next: '/runs' }) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/runs');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^etl_ui=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(';')[0]!;
    expect((await app().request('/api/jobs', { headers: { Cookie: session } })).status).toBe(200);
    expect((await app().request('/api/jobs/nightly/pause', { method: 'POST', headers: { Cookie: session } })).status).toBe(403);
    expect((await app().request('/api/jobs/nightly/resume', { method: 'POST', headers: { Cookie: session, 'X-ETL-UI': '1' } })).status).toBe(200);
    expect((await app().request('/api/jobs', { headers: { Cookie: 'etl_ui=forged' } })).status).toBe(401);
  });

  it('does not show the token in any answer', async () => {
    const id = (await store.create({ job: 'adhoc', trigger: 'manual' }))!;
    await store.finish(id, 'failed', `token was ${TOKEN}`);
    const { text } = await json(app().request(`/api/runs/${id}`, { headers: { Authorization: `Bearer ${TOKEN}` } }));
    expect(text).not.toContain(TOKEN);
  });
});

describe('startUi', () => {
  it('refuses a non-loopback address without a token, naming ETL_UI_TOKEN', async () => {
    const error = await startUi({ deps, host: '0.0.0.0', port: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain('ETL_UI_TOKEN');
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('127.1.2.3')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopback('192.168.1.10')).toBe(false);
    expect(isLoopback('::')).toBe(false);
  });

  it('says which port is taken', async () => {
    const ui = await startUi({ deps, host: '127.0.0.1', port: 0 });
    try {
      const error = await startUi({ deps, host: '127.0.0.1', port: ui.port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toContain(`port ${ui.port}`);
    } finally {
      await ui.close();
    }
  });

  it('streams a run over SSE: the record at connect, then its change within 1.5 s', async () => {
    const id = (await store.create({ job: 'adhoc', trigger: 'manual' }))!;
    const ui = await startUi({ deps, host: '127.0.0.1', port: 0 });
    const controller = new AbortController();
    try {
      expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${ui.url}/api/events?run=${id}`, { signal: controller.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const stream = sseReader(res);
      const nextEvent = () => stream.next<RunRecord>();
      const first = await nextEvent();
      expect(first.event).toBe('run');
      expect(first.data).toMatchObject({ id, status: 'queued' });
      const changedAt = Date.now();
      await store.setLog(id, ['step one']);
      const second = await nextEvent();
      expect(Date.now() - changedAt).toBeLessThan(1_500);
      expect(second.event).toBe('run');
      expect(second.data.logTail).toEqual(['step one']);
      const missing = await fetch(`${ui.url}/api/events?run=999999`);
      expect(missing.status).toBe(404);
    } finally {
      controller.abort();
      await ui.close();
    }
  });

  it('masks what it streams', async () => {
    const id = (await store.create({ job: 'adhoc', trigger: 'manual' }))!;
    await store.finish(id, 'failed', `<script>alert(1)</script> postgres://etl:${PASSWORD}@db/site ${ENV_SECRET}`);
    const ui = await startUi({ deps, host: '127.0.0.1', port: 0 });
    const controller = new AbortController();
    try {
      const first = await sseReader(await fetch(`${ui.url}/api/events?run=${id}`, { signal: controller.signal })).next<RunRecord>();
      const text = JSON.stringify(first.data);
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(ENV_SECRET);
      expect(first.data.error).toContain('<script>alert(1)</script>');
    } finally {
      controller.abort();
      await ui.close();
    }
  });

  it('streams the jobs view: the summaries at connect, then a pause', async () => {
    const ui = await startUi({ deps, host: '127.0.0.1', port: 0 });
    const controller = new AbortController();
    try {
      const stream = sseReader(await fetch(`${ui.url}/api/events?view=jobs`, { signal: controller.signal }));
      const first = await stream.next<JobSummary[]>();
      expect(first.event).toBe('jobs');
      expect(first.data.find((j) => j.name === 'quarter')!.paused).toBe(false);
      await storage.jobs.setPaused('quarter', true);
      const second = await stream.next<JobSummary[]>();
      expect(second.event).toBe('jobs');
      expect(second.data.find((j) => j.name === 'quarter')!.paused).toBe(true);
    } finally {
      await storage.jobs.setPaused('quarter', false);
      controller.abort();
      await ui.close();
    }
  });

  it('reads the store once per tick for all the streams of a run, and stops when they close', async () => {
    const id = (await store.create({ job: 'adhoc', trigger: 'manual' }))!;
    let gets = 0;
    const counting = new Proxy(store, {
      get(target, key, receiver) {
        if (key === 'get') return (runId: number) => ((gets += 1), target.get(runId));
        const value = Reflect.get(target, key, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const counted: UiDeps = { ...deps, runtime: { ...runtime, runStorage: async () => ({ ...storage, runs: counting }) } };
    const ui = await startUi({ deps: counted, host: '127.0.0.1', port: 0 });
    const controllers = [new AbortController(), new AbortController(), new AbortController()];
    try {
      const streams = await Promise.all(controllers.map(async (c) => sseReader(await fetch(`${ui.url}/api/events?run=${id}`, { signal: c.signal }))));
      await Promise.all(streams.map((s) => s.next()));
      const before = gets;
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      const ticks = gets - before;
      // At most ~3 ticks in 1.6 s at 500 ms, one get each: three streams would make ~9 if each polled.
      expect(ticks).toBeGreaterThanOrEqual(1);
      expect(ticks).toBeLessThanOrEqual(4);
      for (const c of controllers) c.abort();
      await new Promise((resolve) => setTimeout(resolve, 700));
      const after = gets;
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(gets).toBe(after);
    } finally {
      for (const c of controllers) c.abort();
      await ui.close();
    }
  });
});
