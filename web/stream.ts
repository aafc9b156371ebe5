// Server-Sent Events for the pages. Every stream follows a watch: the jobs list, one run, or one calendar (job
// and range), keyed by what it shows and shared by every page that shows it. One poller per server reads
// each watch once every 500 ms while someone listens (a worker on another machine writes to the same store)
// and sends its value to the watch's streams when its fingerprint changed. Never one query per client.
import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { UsageError } from '../graph/errors.js';
import { isPartitionedJob, partitionCalendar } from '../runtime/partitions.js';
import type { RunRecord } from '../runs/run-store.js';
import type { Masker } from './api.js';
import type { UiDeps } from './contract.js';
import { jobSummaries } from './jobs-summary.js';
import { calendarRange } from './partition-view.js';

export interface HubOptions {
  /** How often the store is read while someone listens (default 500 ms). */
  readonly pollMs?: number;
  /** How often an idle stream gets a comment, so proxies keep it open (default 15 s). */
  readonly heartbeatMs?: number;
}

type Send = (event: string, data: unknown) => void;

/** One look at a watched thing: what decides whether it changed, and the value to send when it did. */
interface Reading {
  readonly fingerprint: string;
  readonly value: () => unknown;
}

/** undefined: nothing to show (a run that is gone). */
type Read = () => Promise<Reading | undefined>;

/** What streams follow: read once per tick for all of them. */
interface Watch {
  readonly event: string;
  readonly read: Read;
  readonly subscribers: Set<Send>;
  /** The fingerprint last sent (the cache). */
  last: string;
}

/** The value itself is its fingerprint (a run, a calendar). */
function whole(value: unknown): Reading {
  return { fingerprint: JSON.stringify(value), value: () => value };
}

/** What the jobs page shows changes with these fields of the latest runs, or the paused set. */
function jobsFingerprint(runs: readonly RunRecord[], paused: ReadonlySet<string>): string {
  return JSON.stringify([runs.map((r) => [r.id, r.status, r.startedAt, r.finishedAt, r.error]), [...paused].sort()]);
}

export class EventHub {
  private readonly watches = new Map<string, Watch>();
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
    let n = 0;
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
      const read = this.runRead(id);
      const first = await read();
      if (first === undefined) return c.json({ error: `no run ${id}` }, 404);
      return this.follow(c, `run ${id}`, 'run', read, first);
    }
    if (view === 'jobs') return this.follow(c, 'jobs', 'jobs', () => this.jobsRead(), await this.jobsRead());
    if (view === 'partitions') return this.handlePartitions(c);
    return c.json({ error: 'events: ask for ?run=<id>, ?view=jobs or ?view=partitions&job=<job>' }, 400);
  }

  /** Ends every stream and the poller. */
  close(): void {
    this.closed = true;
    for (const close of [...this.closers]) close();
    this.stopPolling();
  }

  private runRead(id: number): Read {
    return async () => {
      const run = await (await this.deps.runtime.runStorage()).runs.get(id);
      return run === undefined ? undefined : whole(run);
    };
  }

  /** The cheap fingerprint first (a change after it reaches the page at the next tick), the summaries only when it changed. */
  private async jobsRead(): Promise<Reading> {
    const { runs: store, jobs } = await this.deps.runtime.runStorage();
    const [runs, paused] = await Promise.all([store.list({ limit: 50 }), jobs.pausedJobs()]);
    return { fingerprint: jobsFingerprint(runs, paused), value: () => jobSummaries(this.deps) };
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
    // The range the first answer settled on (defaults filled in) is the one followed.
    const fixed = { from: calendar.from, to: calendar.to };
    const read: Read = async () => whole(await partitionCalendar(runtime, job, fixed));
    return this.follow(c, `partitions ${job} ${fixed.from} ${fixed.to}`, 'partitions', read, whole(calendar));
  }

  /** A stream of watch `key`: `first` (read at connect) at once, then every change. */
  private async follow(c: Context, key: string, event: string, read: Read, first: Reading): Promise<Response> {
    const value = await first.value();
    return this.open(c, (send) => {
      send(event, value);
      return this.watch(key, event, read, send, first.fingerprint);
    });
  }

  private watch(key: string, event: string, read: Read, send: Send, initial: string): () => void {
    let watch = this.watches.get(key);
    if (watch === undefined) this.watches.set(key, (watch = { event, read, subscribers: new Set(), last: initial }));
    watch.subscribers.add(send);
    this.startPolling();
    return () => {
      watch.subscribers.delete(send);
      if (watch.subscribers.size === 0 && this.watches.get(key) === watch) this.watches.delete(key);
      this.stopIfIdle();
    };
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
    if (this.watches.size === 0) this.stopPolling();
  }

  private stopPolling(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One read of each watch for all its streams. */
  private async tick(): Promise<void> {
    await Promise.all(
      [...this.watches.values()].map(async (watch) => {
        const reading = await watch.read();
        if (reading === undefined || reading.fingerprint === watch.last) return;
        watch.last = reading.fingerprint;
        const value = await reading.value();
        for (const send of watch.subscribers) send(watch.event, value);
      }),
    );
  }
}
