// The reader options the demo configuration uses against the demo website database (service 'website').
import type { ReadWindow } from '../../metrics/window.js';
import type { EventsReaderOptions } from '../../readers/events.js';
import type { ObjectsReaderOptions } from '../../readers/objects.js';
import type { SpidersReaderOptions } from '../../readers/spiders.js';

/** Service name under which the demo website database is given to the readers. */
export const DEMO_WEBSITE_SERVICE = 'website';

export interface DemoReaders {
  readonly objects: ObjectsReaderOptions;
  readonly spiders: SpidersReaderOptions;
  readonly events: EventsReaderOptions;
}

export function demoReaders(window: ReadWindow, onWarning?: (message: string) => void): DemoReaders {
  const service = DEMO_WEBSITE_SERVICE;
  const warn = onWarning === undefined ? {} : { onWarning };
  return {
    objects: {
      window,
      service,
      ...warn,
      tables: [
        { name: 'users', table: 'users' },
        { name: 'paying_users', table: 'users', where: 'plan <> $1', params: ['free'] },
        { name: 'api_keys', table: 'api_keys', where: 'revoked_at IS NULL' },
      ],
    },
    spiders: { window, service, ...warn, table: 'spider_status', minutes: 10 },
    events: { window, service, table: 'events', columns: { time: 'created_at', event: 'event', user: 'user_id', duration: 'duration_ms' } },
  };
}
