// Test support: polling a condition instead of sleeping a fixed time.
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `probe` (every `everyMs`, up to `timeoutMs`) until it returns a value; on timeout the error names
 * `what`, followed by `explain()` (what was seen) when given.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
  explain?: () => Promise<string> | string,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}${explain === undefined ? '' : `\n${await explain()}`}`);
    await sleep(everyMs);
  }
}
