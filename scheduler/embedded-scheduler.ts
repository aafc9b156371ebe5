// The embedded scheduler: one process, no Redis. node-cron ticks every second; each tick fires the
// schedules that came due (firing instants from schedule.ts, as BullMQ computes them), runs them
// in-process through the shared executor, up to `concurrency` at once (a firing of a job already running
// is recorded skipped by the run store), retries failed runs with exponential backoff, and takes manual
// runs that `etl trigger` (and backfills from the web UI) queued in the run store. Firings missed while the process was not running are
// not run; a tick that comes late fires only the latest due firing of each schedule.
import cron, { type ScheduledTask } from 'node-cron';
import { currentProcess } from '../embedded/index.js';
import type { Firing, FiringHandler, FiringOutcome } from '../execution/firing.js';
import type { FiringLog } from '../execution/run-firing.js';
import type { RunStorage } from '../runs/run-storage.js';
import { nextFiring, retryDelay, type JobSchedule } from './schedule.js';

export interface EmbeddedSchedulerOptions {
  readonly schedules: readonly JobSchedule[];
  readonly handler: FiringHandler;
  /** Runs at once (default 2). */
  readonly concurrency?: number;
  /**
   * Where `etl trigger` queues manual runs (polled every second) and where this scheduler says it is alive
   * (so they are queued for it); without it, no manual runs are taken.
   */
  readonly storage?: Pick<RunStorage, 'runs' | 'scheduler'>;
  readonly log: FiringLog;
  /** The clock (tests); ticking is then driven by calling tick(). */
  readonly now?: () => number;
  /** Start node-cron's per-second tick (default true; tests call tick() themselves). */
  readonly autoTick?: boolean;
}

interface Active {
  readonly firing: Firing;
  readonly controller: AbortController;
  readonly done: Promise<FiringOutcome>;
}

export class EmbeddedScheduler {
  private readonly next = new Map<string, number>();
  private readonly waiting: Firing[] = [];
  private readonly active = new Set<Active>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly taken = new Set<number>();
  private readonly outcomes: Array<{ firing: Firing; outcome: FiringOutcome }> = [];
  private task: ScheduledTask | undefined;
  private stopping = false;
  private polling = false;
  private lastBeat = 0;
  private readonly now: () => number;
  private readonly concurrency: number;

  constructor(private readonly options: EmbeddedSchedulerOptions) {
    this.now = options.now ?? Date.now;
    this.concurrency = options.concurrency ?? 2;
  }

  /** Computes each schedule's next firing from now and starts ticking. */
  start(): void {
    const now = this.now();
    for (const schedule of this.options.schedules) this.next.set(schedule.job, nextFiring(schedule, now));
    if (this.options.autoTick !== false) {
      this.task = cron.schedule('* * * * * *', () => void this.tick(this.now()), { name: 'etl-embedded-scheduler' });
    }
    for (const schedule of this.options.schedules) {
      this.options.log.info({ job: schedule.job, cron: schedule.cron, timeZone: schedule.timeZone, next: new Date(this.next.get(schedule.job)!).toISOString() }, `scheduled ${schedule.job}`);
    }
  }

  /** The next firing of each scheduled job (epoch ms). */
  nextFirings(): ReadonlyMap<string, number> {
    return new Map(this.next);
  }

  /** What the last 1000 finished firings gave, oldest first (tests, benchmarks). */
  finished(): ReadonlyArray<{ firing: Firing; outcome: FiringOutcome }> {
    return this.outcomes;
  }

  /** Fires what came due by `now`, and takes queued manual runs. */
  async tick(now: number): Promise<void> {
    if (this.stopping) return;
    if (this.options.storage !== undefined && now - this.lastBeat >= 5_000) {
      this.lastBeat = now;
      this.options.storage.scheduler.beat(currentProcess()).catch((error: unknown) => this.options.log.warn({}, `could not record the scheduler: ${String(error)}`));
    }
    for (const schedule of this.options.schedules) {
      let due = this.next.get(schedule.job)!;
      if (due > now) continue;
      let missed = 0;
      for (let later = nextFiring(schedule, due); later <= now; later = nextFiring(schedule, later)) {
        missed += 1;
        due = later;
      }
      if (missed > 0) this.options.log.warn({ job: schedule.job, missed }, `late tick: ${missed} firing${missed === 1 ? '' : 's'} of ${schedule.job} not run`);
      this.next.set(schedule.job, nextFiring(schedule, due));
      this.enqueue({ job: schedule.job, trigger: 'schedule', scheduledFor: due, attempt: 1 });
    }
    await this.pollManual();
  }

  private async pollManual(): Promise<void> {
    const store = this.options.storage?.runs;
    if (store === undefined || this.polling) return;
    this.polling = true;
    try {
      // Manual runs and the partition runs of a backfill queued from the web UI, oldest first.
      const queued = [...(await store.list({ status: 'queued', trigger: 'manual', limit: 50 })), ...(await store.list({ status: 'queued', trigger: 'backfill', limit: 200 }))];
      // A manual run of a job running now (here or in another process) stays queued until that run ends, as a
      // DAG run waits for max_active_runs in Airflow: taken now, it would only be recorded skipped.
      const running = queued.some((r) => r.trigger === 'manual') ? await store.list({ status: 'running', limit: 200 }) : [];
      const busy = new Set(running.filter((r) => r.partitionKey === null).map((r) => r.job));
      for (const record of queued.sort((a, b) => a.id - b.id)) {
        if (record.pid !== null || this.taken.has(record.id)) continue;
        if (record.trigger === 'manual' && busy.has(record.job)) continue;
        this.taken.add(record.id);
        this.enqueue({ job: record.job, trigger: record.trigger, scheduledFor: record.scheduledFor ?? record.queuedAt ?? this.now(), attempt: 1, runId: record.id });
      }
    } catch (error) {
      this.options.log.warn({}, `could not read queued runs: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.polling = false;
    }
  }

  private enqueue(firing: Firing): void {
    this.waiting.push(firing);
    this.drain();
  }

  /** A manual run waits while a firing of its job runs here (a scheduled one taken in the same second). */
  private mustWait(firing: Firing): boolean {
    return firing.trigger === 'manual' && [...this.active].some((a) => a.firing.job === firing.job);
  }

  private drain(): void {
    for (let i = 0; !this.stopping && this.active.size < this.concurrency && i < this.waiting.length; ) {
      const firing = this.waiting[i]!;
      if (this.mustWait(firing)) {
        i += 1;
        continue;
      }
      this.waiting.splice(i, 1);
      const controller = new AbortController();
      const entry: Active = {
        firing,
        controller,
        done: this.options.handler(firing, controller.signal).catch((error: unknown) => ({
          kind: 'failed' as const,
          runId: firing.runId,
          error: error instanceof Error ? error.message : String(error),
          retry: true,
        })),
      };
      this.active.add(entry);
      void entry.done.then((outcome) => {
        this.active.delete(entry);
        if (firing.runId !== undefined) this.taken.delete(firing.runId);
        this.outcomes.push({ firing, outcome });
        if (this.outcomes.length > 1000) this.outcomes.splice(0, this.outcomes.length - 1000);
        this.maybeRetry(firing, outcome);
        this.drain();
      });
    }
  }

  private maybeRetry(firing: Firing, outcome: FiringOutcome): void {
    if (outcome.kind !== 'failed' || !outcome.retry || this.stopping || firing.trigger === 'manual' || firing.trigger === 'backfill') return;
    const schedule = this.options.schedules.find((s) => s.job === firing.job);
    if (schedule === undefined || firing.attempt > schedule.retries) return;
    const delay = retryDelay(schedule, firing.attempt);
    this.options.log.info({ job: firing.job, attempt: firing.attempt + 1, delayMs: delay }, `retrying ${firing.job} in ${delay} ms (attempt ${firing.attempt + 1} of ${schedule.retries + 1})`);
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.enqueue({ ...firing, trigger: 'retry', attempt: firing.attempt + 1, runId: undefined } as Firing);
    }, delay);
    this.retryTimers.add(timer);
  }

  /** Runs going on now. */
  activeRuns(): number {
    return this.active.size;
  }

  /**
   * Stops firing; lets active runs finish for `graceMs`, then cancels them (they are recorded cancelled)
   * and waits for them to end. Waiting firings and retries are dropped.
   */
  async stop(graceMs: number): Promise<{ cancelled: number }> {
    this.stopping = true;
    this.task?.stop();
    await this.task?.destroy();
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    this.waiting.length = 0;
    const all = Promise.all([...this.active].map((a) => a.done));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    const first = await Promise.race([all.then(() => 'done' as const), late]);
    clearTimeout(timer);
    let cancelled = 0;
    if (first === 'late') {
      for (const entry of this.active) {
        entry.controller.abort(new Error('scheduler stopping: grace period over'));
        cancelled += 1;
      }
      await all;
    }
    return { cancelled };
  }
}
