// Ctrl-C and SIGTERM during a run: the first cancels it (recorded cancelled, services closed), a second exits at once.
import type { ProgressOutput } from './progress.js';

export const SIGNAL_EXIT_CODES: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

export interface SignalCancel {
  readonly signal: AbortSignal;
  /** The first signal received, if any. */
  readonly received: () => 'SIGINT' | 'SIGTERM' | undefined;
  readonly dispose: () => void;
}

export function cancelOnSignals(stderr: ProgressOutput, exit: (code: number) => void = (code) => process.exit(code)): SignalCancel {
  const controller = new AbortController();
  let received: 'SIGINT' | 'SIGTERM' | undefined;
  const on = (name: 'SIGINT' | 'SIGTERM') => (): void => {
    if (received !== undefined) {
      stderr.write(`etl: ${name} again: exiting now\n`);
      exit(SIGNAL_EXIT_CODES[name]);
      return;
    }
    received = name;
    stderr.write(`etl: ${name}: cancelling the run (send it again to exit at once)\n`);
    controller.abort(new Error(`${name} received`));
  };
  const handlers = { SIGINT: on('SIGINT'), SIGTERM: on('SIGTERM') };
  process.on('SIGINT', handlers.SIGINT);
  process.on('SIGTERM', handlers.SIGTERM);
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      process.off('SIGINT', handlers.SIGINT);
      process.off('SIGTERM', handlers.SIGTERM);
    },
  };
}

/** Resolves on the first SIGINT/SIGTERM (a long-running command then stops); a second one exits at once. */
export function untilSignal(onSecond: (name: 'SIGINT' | 'SIGTERM') => void = () => undefined): Promise<'SIGINT' | 'SIGTERM'> {
  return new Promise((resolve) => {
    let received = false;
    const on = (name: 'SIGINT' | 'SIGTERM') => (): void => {
      if (received) {
        onSecond(name);
        process.exit(SIGNAL_EXIT_CODES[name]);
      }
      received = true;
      resolve(name);
    };
    process.on('SIGINT', on('SIGINT'));
    process.on('SIGTERM', on('SIGTERM'));
  });
}
