// An event store in memory (tests, dry runs): rows kept by message id, first write wins, like ON CONFLICT DO NOTHING.
import { StoreUnavailableError } from '../../collector/errors.js';
import type { EventRow } from '../../collector/event-row.js';
import type { EventStore } from '../../collector/event-store.js';

export interface MemoryEventStore extends EventStore {
  readonly rows: ReadonlyMap<string, EventRow>;
  /** Inserts made (one per flush of the batch writer). */
  readonly inserts: number;
  /** While true, every call fails as an unreachable database does. */
  down: boolean;
}

export function memoryEventStore(): MemoryEventStore {
  const rows = new Map<string, EventRow>();
  let inserts = 0;
  const store = {
    rows,
    down: false,
    get inserts() {
      return inserts;
    },
    async insert(batch: readonly EventRow[]) {
      if (store.down) throw new StoreUnavailableError('cannot store events: the database is down');
      inserts += 1;
      for (const row of batch) if (!rows.has(row.message_id)) rows.set(row.message_id, row);
    },
    async ping() {
      if (store.down) throw new StoreUnavailableError('database check failed: the database is down');
    },
    async close() {},
  };
  return store;
}
