// The batching writer: concurrent requests share one insert, each answered after it; a refused flush is split per
// request; an unavailable store fails every request of the flush; too much waiting is refused; close() writes the rest.
import { describe, expect, it } from 'vitest';
import { createBatchWriter } from './batch-writer.js';
import { EventsRefusedError, OverloadedError, StoreUnavailableError } from './errors.js';
import type { EventRow } from './event-row.js';
import type { EventStore } from './event-store.js';

function recordingStore(fail?: (ids: string[]) => Error | undefined): EventStore & { readonly calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async insert(rows) {
      const ids = rows.map((r) => r.message_id);
      calls.push(ids);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const error = fail?.(ids);
      if (error !== undefined) throw error;
    },
    async ping() {},
    async close() {},
  };
}

const rows = (...ids: string[]): EventRow[] =>
  ids.map((id) => ({ message_id: id, created_at: '2026-12-01T00:00:00.000Z', event: 'x', user_id: null, anonymous_id: null, duration_ms: null, properties: '{}', write_key: 'k', received_at: '2026-12-01T00:00:00.000Z', type: 'track' }));

describe('batch writer', () => {
  it('writes the rows of concurrent requests in one insert, and resolves each after it', async () => {
    const store = recordingStore();
    const writer = createBatchWriter({ store, flushDelayMs: 20 });
    await Promise.all([writer.write(rows('a')), writer.write(rows('b', 'c')), writer.write(rows('d'))]);
    expect(store.calls).toEqual([['a', 'b', 'c', 'd']]);
    expect(writer.pendingRows()).toBe(0);
  });

  it('writes at once when the buffer is full', async () => {
    const store = recordingStore();
    const writer = createBatchWriter({ store, flushDelayMs: 60_000, maxRows: 2 });
    await writer.write(rows('a', 'b'));
    expect(store.calls).toHaveLength(1);
  });

  it('splits a flush the database refuses: only the request at fault fails', async () => {
    const store = recordingStore((ids) => (ids.includes('bad') ? new EventsRefusedError('the database refused the events: bad') : undefined));
    const writer = createBatchWriter({ store, flushDelayMs: 10 });
    const results = await Promise.allSettled([writer.write(rows('a')), writer.write(rows('bad')), writer.write(rows('c'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(EventsRefusedError);
    expect(store.calls).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
  });

  it('fails every request of a flush when the store is unavailable', async () => {
    const store = recordingStore(() => new StoreUnavailableError('down'));
    const writer = createBatchWriter({ store, flushDelayMs: 10 });
    const results = await Promise.allSettled([writer.write(rows('a')), writer.write(rows('b'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(store.calls).toHaveLength(1);
  });

  it('refuses new rows beyond what may wait, and after close; close writes what is buffered', async () => {
    const store = recordingStore();
    const writer = createBatchWriter({ store, flushDelayMs: 60_000, maxPendingRows: 3 });
    const first = writer.write(rows('a', 'b'));
    await expect(writer.write(rows('c', 'd'))).rejects.toBeInstanceOf(OverloadedError);
    await writer.close();
    await first;
    expect(store.calls).toHaveLength(1);
    await expect(writer.write(rows('e'))).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
