// Server-Sent Events for the pages: one poller per server reads the run store (a worker on another machine
// writes to the same store) every 500 ms while someone listens, and pushes `jobs` to the jobs pages, `run`
// to the pages of each watched run and `partitions` to the job pages of each watched calendar (job and
// range) when what they show changed. Never one query per client.
import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { UsageError } from '../graph/errors.js';
import { isPartitionedJob, partitionCalendar } from '../runtime/partitions.js';
import type { RunRecord } from '../runs/run-store.js';
import type { Masker } from './api.js';
import type { JobSummary, UiDeps } from './contract.js';
import { jobSummaries } from './jobs-summary.js';
import { calendarRange } from './partition-view.js';

export interface HubOptions {
  /** How often the store is read while someone listens (default 500 ms). */
  readonly pollMs?: number;
  /** How often an idle stream gets a comment, so proxies keep it open (default 15 s). */
  readonly heartbeatMs?: number;
}

type Send = (event: string, data: unknown) => void;

/** A value some streams watch: read once per tick for all of them, sent when its JSON changed. */
interface Watch {
  readonly event: string;
  readonly read: () => Promise<unknown>;
  readonly subscribers: Set<Send>;
  last: string;
}

/** What the jobs page shows changes with these fields of the latest runs, or the paused set. */
function jobsFingerprint(runs: readonly RunRecord[], paused: ReadonlySet<string>): string {
  return JSON.stringify([runs.map((r) => [r.id, r.status, r.startedAt, r.finishedAt, r.error]), [...paused].sort()]);
}

export class EventHub {
  private readonly jobSubscribers = new Set<Send>();
  private readonly runSubscribers = new Map<number, Set<Send>>();
  private readonly lastRun = new Map<number, string>();
  private readonly watches = new Map<string, Watch>();
  private lastJobs: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly closers = new Set<() => void>();
  private readonly pollMs: number;
  private readonly heartbeatMs: number;

  constructor(
    private readonly deps: UiDeps,
    private readonly mask: Masker,
    options: HubOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 500;
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
  }

  /** Streams currently open. */
  subscribers(): number {
    let n = this.jobSubscribers.size;
    for (const set of this.runSubscribers.values()) n += set.size;
    for (const watch of this.watches.values()) n += watch.subscribers.size;
    return n;
  }

  /** GET /api/events?run=<id> | ?view=jobs | ?view=partitions&job=<job>&from=&to= */
  async handle(c: Context): Promise<Response> {
    const runText = c.req.query('run');
    const view = c.req.query('view');
    if (runText !== undefined) {
      if (!/^\d{1,15}$/.test(runText)) return c.json({ error: `run: '${runText}' is not a run id` }, 400);
      const id = Number(runText);
      const run = await (await this.deps.runtime.runStore()).get(id);
      if (run === undefined) return c.json({ error: `no run ${id}` }, 404);
      return this.open(c, (send) => {
        send('run', run);
        return this.watchRun(id, send, JSON.stringify(run));
      });
    }
    if (view === 'jobs') {
      // The fingerprint first: a change after it reaches this page at the next tick.
      const fingerprint = await this.jobsNow();
      const jobs = await jobSummaries(this.deps);
      return this.open(c, (send) => {
        send('jobs', jobs);
        return this.watchJobs(send, fingerprint);
      });
    }
    if (view === 'partitions') return this.handlePartitions(c);
    return c.json({ error: 'events: ask for ?run=<id>, ?view=jobs or ?view=partitions&job=<job>' }, 400);
  }

  private async handlePartitions(c: Context): Promise<Response> {
    const { runtime } = this.deps;
    const job = c.req.query('job') ?? '';
    if ((await runtime.registry()).get(job) === undefined || !(await isPartitionedJob(runtime, job))) return c.json({ error: `job: no job with partitions is named '${job}'` }, 404);
    let calendar;
    try {
      calendar = await partitionCalendar(runtime, job, calendarRange({ from: c.req.query('from'), to: c.req.query('to') }, runtime.config.timeZone));
    } catch (error) {
      if (error instanceof UsageError) return c.json({ error: error.message }, 400);
      throw error;
    }
    const fixed = { from: calendar.from, to: calendar.to };
    const first = calendar;
    return this.open(c, (send) => {
      send('partitions', first);
      return this.watch(`partitions ${job} ${fixed.from} ${fixed.to}`, 'partitions', () => partitionCalendar(runtime, job, fixed), send, JSON.stringify(first));
    });
  }

  private watch(key: string, event: string, read: () => Promise<unknown>, send: Send, initial: string): () => void {
    let watch = this.watches.get(key);
    if (watch === undefined) this.watches.set(key, (watch = { event, read, subscribers: new Set(), last: initial }));
    watch.subscribers.add(send);
    this.startPolling();
    return () => {
      watch.subscribers.delete(send);
      if (watch.subscribers.size === 0) this.watches.delete(key);
      this.stopIfIdle();
    };
  }

  /** Ends every stream and the poller. */
  close(): void {
    this.closed = true;
    for (const close of [...this.closers]) close();
    this.stopPolling();
  }

  private open(c: Context, subscribe: (send: Send) => () => void): Response {
    c.header('Cache-Control', 'no-store');
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream: SSEStreamingApi) => {
      if (this.closed) return;
      let queue = Promise.resolve();
      const send: Send = (event, data) => {
        const text = JSON.stringify(this.mask(data));
        queue = queue.then(() => stream.writeSSE({ event, data: text })).catch(() => undefined);
      };
      await new Promise<void>((resolve) => {
        const unsubscribe = subscribe(send);
        const heartbeat = setInterval(() => {
          queue = queue.then(() => stream.write(': heartbeat\n\n')).then(() => undefined).catch(() => undefined);
        }, this.heartbeatMs);
        const end = (): void => {
          clearInterval(heartbeat);
          unsubscribe();
          this.closers.delete(end);
          resolve();
        };
        this.closers.add(end);
        stream.onAbort(end);
      });
      await queue;
    });
  }

  private async jobsNow(): Promise<string> {
    const store = await this.deps.runtime.runStore();
    const [runs, paused] = await Promise.all([store.list({ limit: 50 }), store.pausedJobs()]);
    return jobsFingerprint(runs, paused);
  }

  private watchJobs(send: Send, fingerprint: string): () => void {
    this.lastJobs ??= fingerprint;
    this.jobSubscribers.add(send);
    this.startPolling();
    return () => {
      this.jobSubscribers.delete(send);
      if (this.jobSubscribers.size === 0) this.lastJobs = undefined;
      this.stopIfIdle();
    };
  }

  private watchRun(id: number, send: Send, initial: string): () => void {
    if (!this.lastRun.has(id)) this.lastRun.set(id, initial);
    let set = this.runSubscribers.get(id);
    if (set === undefined) this.runSubscribers.set(id, (set = new Set()));
    set.add(send);
    this.startPolling();
    return () => {
      set.delete(send);
      if (set.size === 0) {
        this.runSubscribers.delete(id);
        this.lastRun.delete(id);
      }
      this.stopIfIdle();
    };
  }

  private startPolling(): void {
    if (this.timer !== undefined || this.closed) return;
    const loop = (): void => {
      this.timer = setTimeout(() => {
        void this.tick()
          .catch(() => undefined)
          .finally(() => {
            if (this.timer !== undefined) loop();
          });
      }, this.pollMs);
    };
    loop();
  }

  private stopIfIdle(): void {
    if (this.subscribers() === 0) this.stopPolling();
  }

  private stopPolling(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One read of the store for every stream. */
  private async tick(): Promise<void> {
    const store = await this.deps.runtime.runStore();
    const work: Promise<void>[] = [];
    if (this.jobSubscribers.size > 0) {
      work.push(
        (async () => {
          const fingerprint = await this.jobsNow();
          if (fingerprint === this.lastJobs) return;
          this.lastJobs = fingerprint;
          const jobs: JobSummary[] = await jobSummaries(this.deps);
          for (const send of this.jobSubscribers) send('jobs', jobs);
        })(),
      );
    }
    for (const [id, subscribers] of this.runSubscribers) {
      work.push(
        (async () => {
          const run = await store.get(id);
          if (run === undefined) return;
          const text = JSON.stringify(run);
          const before = this.lastRun.get(id);
          this.lastRun.set(id, text);
          if (before === text) return;
          for (const send of subscribers) send('run', run);
        })(),
      );
    }
    for (const watch of this.watches.values()) {
      work.push(
        (async () => {
          const value = await watch.read();
          const text = JSON.stringify(value);
          if (text === watch.last) return;
          watch.last = text;
          for (const send of watch.subscribers) send(watch.event, value);
        })(),
      );
    }
    await Promise.all(work);
  }
}
