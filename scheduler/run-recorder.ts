// Follows a run through the engine's events and records it in a RunStore: created when it starts,
// updated with the latest per-node counts while it runs (one write at a time, coalesced), final at the end.
// A store that fails does not fail the run: the first error is reported once through onError.
import type { JobRun, RunEvent } from '../graph/index.js';
import type { RunStore, RunTrigger } from './run-store.js';

export interface RunRecorder {
  /** Pass to runJob/runGraph as onEvent (alongside other listeners). */
  readonly onEvent: (event: RunEvent) => void;
  /** Resolves once every write is done, with the run's id (undefined if it could not be recorded). */
  readonly settled: () => Promise<number | undefined>;
}

export function recordRun(store: RunStore, trigger: RunTrigger, onError: (error: unknown) => void = () => undefined): RunRecorder {
  let id: Promise<number | undefined> | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let pending: JobRun | undefined;
  let failed = false;
  const fail = (error: unknown): undefined => {
    if (!failed) onError(error);
    failed = true;
    return undefined;
  };
  const writeLatest = async (): Promise<void> => {
    const run = pending;
    pending = undefined;
    const runId = await id;
    if (run !== undefined && runId !== undefined && !failed) await store.update(runId, run).catch(fail);
  };
  return {
    onEvent(event) {
      if (event.type === 'run-started') {
        id = store.create(event.run, trigger).catch(fail);
        chain = id;
        return;
      }
      if (event.type !== 'progress' && event.type !== 'run-finished') return;
      if (id === undefined) return;
      // Coalesce: only the newest snapshot is written once the previous write is done.
      const queued = pending !== undefined;
      pending = event.run;
      if (!queued) chain = chain.then(writeLatest);
    },
    async settled() {
      await chain;
      return failed ? undefined : await id;
    },
  };
}

/** Calls every listener with each event. */
export function allListeners(...listeners: ReadonlyArray<((event: RunEvent) => void) | undefined>): (event: RunEvent) => void {
  return (event) => {
    for (const listener of listeners) listener?.(event);
  };
}
