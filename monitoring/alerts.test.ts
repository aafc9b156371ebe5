// Failure and recovery alerts through the shared firing handler, posted to a real local HTTP listener: one
// message per transition (retried attempts send nothing), a failing or hanging webhook neither fails nor
// delays the run, and no password reaches a body.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { graphBuilder, sink, source, UnrecoverableError } from '../graph/index.js';
import { defineJob, type Job } from '../jobs/job.js';
import { JobRegistry } from '../jobs/registry.js';
import type { AlertSink } from '../execution/final-outcome.js';
import { alertBody, webhookAlerts, type AlertBody } from './alerts.js';
import type { FiringOutcome, FiringHandler } from '../execution/firing.js';
import { MemoryJobStateStore } from '../test/support/memory-job-state.js';
import { MemoryRunStore } from '../test/support/memory-run-store.js';
import { createFiringHandler, type FiringLog } from '../execution/run-firing.js';
import type { JobSchedule } from '../scheduler/schedule.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`still waiting for ${what} after ${timeoutMs} ms`);
    await sleep(5);
  }
}

type Mode = 'ok' | 'fail' | 'hang';

interface Listener {
  readonly url: string;
  readonly bodies: AlertBody[];
  readonly contentTypes: string[];
  /** Requests received and not answered yet. */
  open: number;
  mode: Mode;
  close(): Promise<void>;
}

const listeners: Listener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((l) => l.close()));
});

async function listener(mode: Mode): Promise<Listener> {
  const pending: ServerResponse[] = [];
  const state: Listener = {
    url: '',
    bodies: [],
    contentTypes: [],
    open: 0,
    mode,
    close: async () => {
      for (const res of pending) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    state.open += 1;
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      state.bodies.push(JSON.parse(text) as AlertBody);
      state.contentTypes.push(req.headers['content-type'] ?? '');
      if (state.mode === 'hang') {
        pending.push(res);
        return;
      }
      state.open -= 1;
      res.statusCode = state.mode === 'ok' ? 200 : 500;
      res.end(state.mode === 'ok' ? 'ok' : 'boom');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  (state as { url: string }).url = `http://127.0.0.1:${port}/services/T000/B000/s3cr3tpath`;
  listeners.push(state);
  return state;
}

interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** A job whose source fails while `behaviour.error` is set (with that message). */
function job(name: string, behaviour: { error?: string; unrecoverable?: boolean }, windowed = false): Job {
  return defineJob({
    name,
    description: `test job ${name}`,
    services: [],
    ...(windowed ? { windowed: true } : {}),
    build: () => {
      const b = graphBuilder(name);
      b.source('read', source(async function* () {
        if (behaviour.error !== undefined) throw behaviour.unrecoverable ? new UnrecoverableError(behaviour.error) : new Error(behaviour.error);
        yield 1;
      })).to('out', sink(() => undefined));
      return b.build();
    },
  });
}

function setup(options: { readonly jobs: readonly Job[]; readonly retries?: number; readonly alerts: (store: MemoryRunStore) => AlertSink; readonly store?: MemoryRunStore }): {
  readonly handler: FiringHandler;
  readonly store: MemoryRunStore;
  readonly logs: LogLine[];
  fire(jobName: string, attempt?: number): Promise<FiringOutcome>;
} {
  const logs: LogLine[] = [];
  const log: FiringLog = {
    info: (fields, message) => void logs.push({ level: 'info', fields, message }),
    warn: (fields, message) => void logs.push({ level: 'warn', fields, message }),
    error: (fields, message) => void logs.push({ level: 'error', fields, message }),
  };
  const store = options.store ?? new MemoryRunStore();
  const schedules = new Map<string, JobSchedule>(
    options.jobs.map((j) => [j.name, { job: j.name, cron: '0 * * * *', timeZone: 'UTC', retries: options.retries ?? 0, retryDelayMs: 10 }]),
  );
  const handler = createFiringHandler({ registry: new JobRegistry(options.jobs), services: {}, store, jobs: new MemoryJobStateStore(), schedules, timeZone: 'UTC', log, alerts: options.alerts(store) });
  let scheduledFor = Date.parse('2026-12-01T10:00:00Z');
  return {
    handler,
    store,
    logs,
    fire: (jobName, attempt = 1) => {
      if (attempt === 1) scheduledFor += 3_600_000;
      return handler({ job: jobName, trigger: attempt === 1 ? 'schedule' : 'retry', scheduledFor, attempt }, new AbortController().signal);
    },
  };
}

/** All attempts of one firing (up to retries + 1), as the scheduler would run them. */
async function fireWithRetries(fire: (job: string, attempt?: number) => Promise<FiringOutcome>, jobName: string, retries: number): Promise<FiringOutcome> {
  let outcome!: FiringOutcome;
  for (let attempt = 1; attempt <= retries + 1; attempt += 1) {
    outcome = await fire(jobName, attempt);
    if (outcome.kind !== 'failed' || !outcome.retry) break;
  }
  return outcome;
}

const warnings = (logs: readonly LogLine[]): LogLine[] => logs.filter((l) => l.level === 'warn' && l.message.startsWith('alert not sent'));

describe('webhook alerts through the firing handler', () => {
  it('sends one failure and one recovery across fail, fail, succeed, succeed (retried attempts send nothing)', async () => {
    const hook = await listener('ok');
    const behaviour: { error?: string } = {};
    const h = setup({ jobs: [job('all', behaviour, true)], retries: 2, alerts: (store) => webhookAlerts({ webhook: hook.url, store, publicUrl: 'https://etl.example.com/' }) });

    behaviour.error = 'source query failed: relation "events" does not exist\n    at reader';
    const first = await fireWithRetries(h.fire, 'all', 2);
    expect(first).toMatchObject({ kind: 'failed', retry: true });
    await waitFor('the failure alert', () => hook.bodies.length === 1);
    expect(await fireWithRetries(h.fire, 'all', 2)).toMatchObject({ kind: 'failed' });

    // The third firing fails once (retried: no alert), then its retry succeeds: the recovery.
    const third1 = await h.fire('all', 1);
    expect(third1).toMatchObject({ kind: 'failed', retry: true });
    behaviour.error = undefined;
    const third2 = await h.fire('all', 2);
    expect(third2.kind).toBe('succeeded');
    await waitFor('the recovery alert', () => hook.bodies.length === 2);
    expect(await fireWithRetries(h.fire, 'all', 2)).toMatchObject({ kind: 'succeeded' });
    await sleep(100);

    expect(hook.bodies).toHaveLength(2);
    expect(hook.contentTypes.every((t) => t.startsWith('application/json'))).toBe(true);
    const failedRun = first.kind === 'failed' ? first.runId! : -1;
    const [failure, recovery] = hook.bodies;
    expect(failure).toEqual({
      text: `:red_circle: etl job 'all' failed (run ${failedRun}, attempt 3 of 3): job 'all': node 'read' failed: source query failed: relation "events" does not exist`,
      job: 'all',
      runId: failedRun,
      status: 'failed',
      window: { from: '2026-12-01T11:00:00.000Z', to: '2026-12-01T12:00:00.000Z' },
      error: `job 'all': node 'read' failed: source query failed: relation "events" does not exist`,
      url: `https://etl.example.com/runs/${failedRun}`,
    });
    const recoveredRun = third2.kind === 'succeeded' ? third2.runId : -1;
    expect(recovery).toMatchObject({ text: `:large_green_circle: etl job 'all' recovered (run ${recoveredRun})`, job: 'all', runId: recoveredRun, status: 'recovered', url: `https://etl.example.com/runs/${recoveredRun}` });
    expect(recovery).not.toHaveProperty('error');
    expect(warnings(h.logs)).toEqual([]);
  });

  it('a failure that is not retryable alerts on its first attempt', async () => {
    const hook = await listener('ok');
    const h = setup({ jobs: [job('all', { error: 'bad query', unrecoverable: true })], retries: 2, alerts: (store) => webhookAlerts({ webhook: hook.url, store }) });
    const outcome = await h.fire('all');
    expect(outcome).toMatchObject({ kind: 'failed', retry: false });
    await waitFor('the failure alert', () => hook.bodies.length === 1);
    expect(hook.bodies[0]!.text).toMatch(/^:red_circle: etl job 'all' failed \(run \d+, attempt 1 of 3, not retryable\): .*bad query/);
  });

  it('`on: ["recovery"]` sends only recoveries', async () => {
    const hook = await listener('ok');
    const behaviour: { error?: string } = { error: 'broken' };
    const h = setup({ jobs: [job('all', behaviour)], retries: 2, alerts: (store) => webhookAlerts({ webhook: hook.url, store, on: ['recovery'] }) });
    await fireWithRetries(h.fire, 'all', 2);
    behaviour.error = undefined;
    await h.fire('all');
    await waitFor('the recovery alert', () => hook.bodies.length === 1);
    await sleep(50);
    expect(hook.bodies.map((b) => b.status)).toEqual(['recovered']);
    expect(hook.bodies[0]).not.toHaveProperty('url');
    expect(hook.bodies[0]).not.toHaveProperty('window');
  });

  it('derives the last state from the run store: a new process does not re-alert a failure, and sends the recovery', async () => {
    const hook = await listener('ok');
    const behaviour: { error?: string } = { error: 'down' };
    const store = new MemoryRunStore();
    const before = setup({ jobs: [job('all', behaviour)], store, alerts: (s) => webhookAlerts({ webhook: hook.url, store: s }) });
    await before.fire('all');
    await waitFor('the failure alert', () => hook.bodies.length === 1);

    // A restarted process: its memory is empty, the store says the job failed.
    const after = setup({ jobs: [job('all', behaviour)], store, alerts: (s) => webhookAlerts({ webhook: hook.url, store: s }) });
    await after.fire('all');
    behaviour.error = undefined;
    await after.fire('all');
    await waitFor('the recovery alert', () => hook.bodies.length === 2);
    await sleep(50);
    expect(hook.bodies.map((b) => b.status)).toEqual(['failed', 'recovered']);
  });

  it('a webhook answering 500 is logged as a warning; the run is not failed', async () => {
    const hook = await listener('fail');
    const behaviour: { error?: string } = { error: 'down' };
    const h = setup({ jobs: [job('all', behaviour)], alerts: (store) => webhookAlerts({ webhook: hook.url, store }) });
    const outcome = await h.fire('all');
    expect(outcome).toMatchObject({ kind: 'failed', error: expect.stringContaining('down') });
    await waitFor('the warning', () => warnings(h.logs).length === 1);
    const [warning] = warnings(h.logs);
    expect(warning!.message).toMatch(/alert webhook http:\/\/127\.0\.0\.1:\d+ answered 500/);
    expect(warning!.message).not.toContain('s3cr3tpath');
    behaviour.error = undefined;
    expect((await h.fire('all')).kind).toBe('succeeded');
    expect((await h.store.list({ job: 'all' })).map((r) => r.status)).toEqual(['succeeded', 'failed']);
  });

  it('a webhook that refuses connections is logged, the URL masked', async () => {
    const hook = await listener('ok');
    const url = hook.url;
    await hook.close();
    listeners.splice(listeners.indexOf(hook), 1);
    const behaviour: { error?: string } = { error: 'down' };
    const h = setup({ jobs: [job('all', behaviour)], alerts: (store) => webhookAlerts({ webhook: url, store }) });
    expect((await h.fire('all')).kind).toBe('failed');
    await waitFor('the warning', () => warnings(h.logs).length === 1);
    expect(warnings(h.logs)[0]!.message).not.toContain('s3cr3tpath');
    expect(warnings(h.logs)[0]!.message).toMatch(/alert webhook http:\/\/127\.0\.0\.1:\d+: /);
  });

  it('a hanging webhook neither delays the run nor the next one; it times out with a warning', async () => {
    const hook = await listener('hang');
    const behaviour: { error?: string } = { error: 'down' };
    const timeoutMs = 1_000;
    const h = setup({ jobs: [job('all', behaviour)], alerts: (store) => webhookAlerts({ webhook: hook.url, store, timeoutMs }) });
    const started = Date.now();
    expect((await h.fire('all')).kind).toBe('failed');
    await waitFor('the hanging request', () => hook.bodies.length === 1);
    // The recovery's run finishes while the failure's request is still open (unanswered).
    behaviour.error = undefined;
    const outcome = await h.fire('all');
    expect(outcome.kind).toBe('succeeded');
    expect(hook.open).toBeGreaterThanOrEqual(1);
    expect(warnings(h.logs)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(timeoutMs);
    await waitFor('the timeout warnings', () => warnings(h.logs).length === 2, 5_000);
    expect(warnings(h.logs)[0]!.message).toContain(`no answer within ${timeoutMs} ms`);
  });

  it('never puts a password from an error text in the body', async () => {
    const hook = await listener('ok');
    const behaviour: { error?: string } = { error: 'connect failed: postgres://u:hunter2@h/db refused (password hunter2)' };
    const h = setup({ jobs: [job('all', behaviour)], alerts: (store) => webhookAlerts({ webhook: hook.url, store, secrets: ['hunter2'] }) });
    await h.fire('all');
    await waitFor('the failure alert', () => hook.bodies.length === 1);
    const raw = JSON.stringify(hook.bodies[0]);
    expect(raw).not.toContain('hunter2');
    expect(hook.bodies[0]!.error).toContain('postgres://u:***@h/db');
  });
});

describe('alertBody', () => {
  it('masks URL passwords without a secrets list and says when a failure is not retried', () => {
    const body = alertBody({ job: 'all', runId: 7, status: 'failed', attempt: 1, attempts: 3, retryable: false, error: 'bad postgres://u:hunter2@h/db\nstack' }, 'failed');
    expect(body.text).toBe(":red_circle: etl job 'all' failed (run 7, attempt 1 of 3, not retryable): bad postgres://u:***@h/db");
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });
});
