import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { graphBuilder, map, sink, source, UnrecoverableError, type JobGraph } from '../graph/index.js';
import { defineJob } from '../jobs/job.js';
import { currentProcess } from '../embedded/index.js';
import { MemoryRunStore } from '../test/support/memory-run-store.js';
import { runRecordedJob } from '../execution/run-recorded-job.js';
import type { RunStore } from './run-store.js';
import { RUN_STORES } from '../test/support/run-stores.js';

function graph(name: string, failAt?: number, wait?: Promise<void>): JobGraph {
  const b = graphBuilder(name);
  b.source('read', source(async function* () {
    for (let i = 0; i < 2500; i++) {
      if (i === 100 && wait) await wait;
      yield i;
    }
  }))
    .to('check', map((n: number) => {
      if (n === failAt) throw new UnrecoverableError(`bad row ${n}`);
      return n;
    }))
    .to('out', sink(() => undefined));
  return b.build();
}

const job = (name: string, failAt?: number, wait?: Promise<void>) => defineJob({ name, description: name, services: [], build: () => graph(name, failAt, wait) });
const run = (store: RunStore, j: ReturnType<typeof job>, extra: { signal?: AbortSignal; timeoutMs?: number } = {}) =>
  runRecordedJob({ job: j, params: {}, trigger: 'manual', services: {}, store, ...extra });

/** The PID of a process that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

const stores = RUN_STORES;

describe.each(stores)('run store: %s', (_name, open) => {
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await drop?.();
    drop = undefined;
  });

  it('records a run from queued to finished, owned by this process, with its per-node counts; lists newest first', async () => {
    const opened = await open();
    drop = opened.drop;
    const { runs: store } = opened;
    const before = Date.now();
    const ok = await run(store, job('counts'));
    const failed = await run(store, job('counts', 1200));
    const other = await run(store, job('other'));
    expect(ok.recorded).toBe(true);
    const record = await store.get(ok.recordId!);
    expect(record).toMatchObject({ id: ok.recordId, job: 'counts', trigger: 'manual', status: 'succeeded', error: null, host: currentProcess().host, pid: process.pid });
    expect(record!.queuedAt).toBeGreaterThanOrEqual(before - 1);
    expect(record!.queuedAt).toBeLessThanOrEqual(record!.startedAt!);
    expect(record!.startedAt).toBe(ok.run!.startedAt);
    expect(record!.finishedAt).toBe(ok.run!.finishedAt);
    expect(record!.nodes.map((n) => [n.name, n.in, n.out, n.err, n.status])).toEqual([
      ['read', 2500, 2500, 0, 'succeeded'],
      ['check', 2500, 2500, 0, 'succeeded'],
      ['out', 2500, 2500, 0, 'succeeded'],
    ]);
    const bad = await store.get(failed.recordId!);
    expect(bad).toMatchObject({ status: 'failed', error: "job 'counts': node 'check' failed: UnrecoverableError: bad row 1200" });
    expect((await store.list({ job: 'counts' })).map((r) => r.id)).toEqual([failed.recordId, ok.recordId]);
    expect((await store.list({ status: 'failed' })).map((r) => r.id)).toEqual([failed.recordId]);
    expect((await store.list({ limit: 2 })).map((r) => r.id)).toEqual([other.recordId, failed.recordId]);
  });

  it('is queued before the graph exists; a run that times out ends failed with "timed out after", a cancelled one cancelled', async () => {
    const opened = await open();
    drop = opened.drop;
    const { runs: store } = opened;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const timedOut = await run(store, job('slow', undefined, held), { timeoutMs: 150 });
    expect(timedOut.run!.status).toBe('failed');
    expect(await store.get(timedOut.recordId!)).toMatchObject({ status: 'failed', error: "job 'slow': run timed out after 150ms" });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const cancelled = await run(store, job('slow', undefined, held), { signal: abort.signal });
    expect(await store.get(cancelled.recordId!)).toMatchObject({ status: 'cancelled', error: "job 'slow': run cancelled" });
    release();
    const missing = defineJob({ name: 'needs', description: '', services: ['warehouse'], build: () => graph('needs') });
    await expect(runRecordedJob({ job: missing, params: {}, trigger: 'schedule', services: {}, store })).rejects.toThrow("missing service 'warehouse'");
    const [last] = await store.list({ job: 'needs' });
    expect(last).toMatchObject({ status: 'failed', trigger: 'schedule', error: "job 'needs': MissingServiceError: job 'needs': missing service 'warehouse'" });
  });

  it('closes the records of runs whose process is gone (dead PID, PID reused by another process), not of live ones', async () => {
    const opened = await open();
    drop = opened.drop;
    const { runs: store } = opened;
    const me = currentProcess();
    const live = (await store.create({ job: 'a', trigger: 'schedule', owner: me }))!;
    const dead = (await store.create({ job: 'b', trigger: 'manual', owner: { ...me, pid: deadPid(), start: '' } }))!;
    const reused = (await store.create({ job: 'c', trigger: 'manual', owner: { ...me, start: 'another-boot:1' } }))!;
    const elsewhere = (await store.create({ job: 'd', trigger: 'manual', owner: { host: 'another-host', pid: deadPid(), start: 'x:1' } }))!;
    const unowned = (await store.create({ job: 'f', trigger: 'manual' }))!;
    const done = await run(store, job('e'));
    expect((await store.closeOrphans()).sort((x, y) => x - y)).toEqual([dead, reused]);
    expect(await store.get(dead)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^process exited before the run finished \(pid \d+ on /) });
    expect(await store.get(reused)).toMatchObject({ status: 'failed' });
    expect((await store.get(dead))!.finishedAt).toBeTypeOf('number');
    for (const [id, status] of [[live, 'queued'], [elsewhere, 'queued'], [unowned, 'queued'], [done.recordId!, 'succeeded']] as const) expect((await store.get(id))!.status).toBe(status);
    expect(await store.closeOrphans()).toEqual([]);
  });

  it('runs one run of a job at a time: a second start is recorded skipped, naming the running one; a firing is recorded once', async () => {
    const opened = await open();
    drop = opened.drop;
    const { runs: store } = opened;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = run(store, job('solo', undefined, held));
    await vi.waitFor(async () => expect((await store.list({ job: 'solo', status: 'running' })).length).toBe(1), { timeout: 10_000, interval: 20 });
    const second = await runRecordedJob({ job: job('solo'), params: {}, trigger: 'schedule', services: {}, store, record: { scheduledFor: 1_000, firingKey: 'solo@1000' } });
    expect(second.run).toBeUndefined();
    expect(second.status).toBe('skipped');
    const [running] = await store.list({ job: 'solo', status: 'running' });
    expect(await store.get(second.recordId!)).toMatchObject({ status: 'skipped', trigger: 'schedule', scheduledFor: 1_000, error: expect.stringContaining(`skipped: the job is already running (run ${running!.id}, pid ${process.pid}`) });
    const again = await runRecordedJob({ job: job('solo'), params: {}, trigger: 'schedule', services: {}, store, record: { scheduledFor: 1_000, firingKey: 'solo@1000' } });
    expect(again).toMatchObject({ status: 'duplicate', recordId: undefined });
    release();
    expect((await first).status).toBe('succeeded');
    const after = await run(store, job('solo'));
    expect(after.status).toBe('succeeded');
  });

  it('cancels a queued run at once and a running one through its heartbeat; pauses and resumes jobs', async () => {
    const opened = await open();
    drop = opened.drop;
    const { runs: store } = opened;
    const queued = (await store.create({ job: 'q', trigger: 'manual' }))!;
    expect(await store.requestCancel(queued)).toBe('cancelled');
    expect(await store.get(queued)).toMatchObject({ status: 'cancelled', error: 'cancelled while queued' });
    expect(await store.requestCancel(queued)).toBe('finished');
    expect(await store.requestCancel(999_999)).toBe('unknown');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const running = runRecordedJob({ job: job('long', undefined, held), params: {}, trigger: 'manual', services: {}, store, heartbeatMs: 20 });
    await vi.waitFor(async () => expect((await store.list({ job: 'long', status: 'running' })).length).toBe(1), { timeout: 10_000, interval: 20 });
    const [record] = await store.list({ job: 'long' });
    expect(await store.requestCancel(record!.id)).toBe('requested');
    const ended = await running;
    release();
    expect(ended.status).toBe('cancelled');
    const final = await store.get(record!.id);
    expect(final).toMatchObject({ status: 'cancelled', cancelRequested: true });
    expect(final!.logTail.some((line) => line.endsWith('cancel requested (etl cancel): cancelling'))).toBe(true);
    expect(final!.logTail.at(-2)).toMatch(/ cancelled in \d+/);
    const { jobs } = opened;
    await jobs.setPaused('long', true);
    await jobs.setPaused('other', true);
    await jobs.setPaused('other', false);
    expect([...(await jobs.pausedJobs())]).toEqual(['long']);
  });
});

describe('memory run store', () => {
  it('closes a running record whose heartbeat stopped, whatever its host', async () => {
    let now = Date.parse('2026-12-01T00:00:00Z');
    const store = new MemoryRunStore(() => now);
    const id = (await store.create({ job: 'x', trigger: 'schedule' }))!;
    await store.start(id, { host: 'another-host', pid: 4242, start: 'b:1' });
    now += 15_000;
    expect(await store.closeOrphans()).toEqual([]);
    now += 6_000;
    expect(await store.closeOrphans()).toEqual([id]);
    expect(await store.get(id)).toMatchObject({ status: 'failed', error: 'process exited before the run finished (worker lost: no heartbeat from pid 4242 on another-host for 20s)' });
  });
});

describe('recorded runs', () => {
  it('do not fail when the store fails after the run was recorded, and report the first error once', async () => {
    const errors: unknown[] = [];
    const memory = new MemoryRunStore();
    const broken: RunStore = Object.assign(Object.create(memory) as RunStore, {
      create: (r: Parameters<RunStore['create']>[0]) => memory.create(r),
      start: (id: number, owner: Parameters<RunStore['start']>[1]) => memory.start(id, owner),
      get: (id: number) => memory.get(id),
      setLog: () => Promise.resolve(),
      heartbeat: () => Promise.resolve({ cancelRequested: false }),
      update: () => Promise.reject(new Error('store down')),
    });
    const result = await runRecordedJob({ job: job('resilient'), params: {}, trigger: 'manual', services: {}, store: broken, onStoreError: (e) => errors.push(e) });
    expect(result.run!.status).toBe('succeeded');
    expect(result.recorded).toBe(false);
    expect(errors.map((e) => (e as Error).message)).toEqual(['store down']);
  });

  it('fail before reading anything when the run cannot be recorded', async () => {
    let built = false;
    const j = defineJob({ name: 'x', description: '', services: [], build: () => ((built = true), graph('x')) });
    const store: RunStore = Object.assign(new MemoryRunStore(), { create: () => Promise.reject(new Error('metrics database down')) });
    await expect(runRecordedJob({ job: j, params: {}, trigger: 'manual', services: {}, store })).rejects.toThrow('metrics database down');
    expect(built).toBe(false);
  });
});
