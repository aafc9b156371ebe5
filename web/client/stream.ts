// The page's one EventSource (GET /api/events?...): each event's JSON to its handler, the "live" mark while
// it is open, an update that cannot be shown said in the flash line.
import { byId, say } from './dom.js';
import type { StreamEvents } from './view/wire.js';

export type StreamHandlers = { readonly [E in keyof StreamEvents]?: (data: StreamEvents[E]) => void };

function listen<E extends keyof StreamEvents>(source: EventSource, event: E, handle: ((data: StreamEvents[E]) => void) | undefined): void {
  if (handle === undefined) return;
  source.addEventListener(event, (message) => {
    try {
      const data: StreamEvents[E] = JSON.parse(message.data);
      handle(data);
    } catch (error) {
      say(`bad update: ${String(error)}`, true);
    }
  });
}

/** Opens `url` (none without EventSource); `stop()` closes it for good. */
export function follow(url: string | undefined, handlers: StreamHandlers): { stop(): void } {
  const live = byId('live');
  if (url === undefined || typeof EventSource !== 'function') return { stop: () => undefined };
  const source = new EventSource(url);
  source.onopen = () => {
    if (live !== null) live.hidden = false;
  };
  source.onerror = () => {
    if (live !== null) live.hidden = true;
  };
  listen(source, 'jobs', handlers.jobs);
  listen(source, 'run', handlers.run);
  listen(source, 'partitions', handlers.partitions);
  return {
    stop() {
      source.close();
      if (live !== null) live.hidden = true;
    },
  };
}
