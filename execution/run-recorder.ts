// Follows a run through the engine's events and records it in a RunStore under an id created when the
// run was queued: the latest per-node counts while it runs (one write at a time, coalesced), final at the
// end. A store that fails does not fail the run: the first error is reported once through onError.
import type { JobRun, RunEvent } from '../graph/index.js';
import type { RunStore } from '../runs/run-store.js';

export interface RunRecorder {
  /** Pass to runJob/runGraph as onEvent (alongside other listeners). */
  readonly onEvent: (event: RunEvent) => void;
  /** Resolves once every write is done: true when every write went through. */
  readonly settled: () => Promise<boolean>;
}

export function recordRun(store: RunStore, id: number, onError: (error: unknown) => void = () => undefined): RunRecorder {
  let chain: Promise<unknown> = Promise.resolve();
  let pending: JobRun | undefined;
  let failed = false;
  const fail = (error: unknown): void => {
    if (!failed) onError(error);
    failed = true;
  };
  const writeLatest = async (): Promise<void> => {
    const run = pending;
    pending = undefined;
    if (run !== undefined && !failed) await store.update(id, run).catch(fail);
  };
  return {
    onEvent(event) {
      if (event.type !== 'run-started' && event.type !== 'progress' && event.type !== 'run-finished') return;
      // Coalesce: only the newest snapshot is written once the previous write is done.
      const queued = pending !== undefined;
      pending = event.run;
      if (!queued) chain = chain.then(writeLatest);
    },
    async settled() {
      await chain;
      return !failed;
    },
  };
}

/** Calls every listener with each event. */
export function allListeners(...listeners: ReadonlyArray<((event: RunEvent) => void) | undefined>): (event: RunEvent) => void {
  return (event) => {
    for (const listener of listeners) listener?.(event);
  };
}
