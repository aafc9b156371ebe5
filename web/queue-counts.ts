// The queue's job counts (waiting, active, delayed, failed...), for the UI's queue page and /api/queue;
// undefined without a queue (the embedded scheduler).
import { openQueueTransport } from '../queue/open-transport.js';
import type { QueueStateCounts } from '../queue/transport.js';
import { queueOptionsFor } from '../runtime/queue.js';
import type { UiDeps } from './contract.js';

export { QUEUE_STATES } from '../queue/transport.js';

export interface QueueCounts {
  readonly queue: string;
  readonly counts: QueueStateCounts;
}

export async function queueCounts(deps: UiDeps): Promise<QueueCounts | undefined> {
  const options = queueOptionsFor(deps.runtime.config);
  if (options === undefined) return undefined;
  const transport = await openQueueTransport(options);
  return { queue: transport.queue, counts: await transport.counts() };
}
