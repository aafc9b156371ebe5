// The collected-events reader's definition: the events reader over the collector's raw table (`etl collect`,
// or the embedded scheduler hosting it), through the collector's source, with the table's own columns by
// default (users: visitor_id, the user id or else the anonymous id, stitched: an anonymous id linked to a user by
// the collector's identities table counts as that user); so captured events reach the metrics tables with one line (`"collectedEvents": {}`). Its metrics
// are the events reader's (`events.<event>.count`, `.users`, dimensions): keep its event names apart from
// those of an events table read by `readers.events`.
import { defineReader, sqlSource } from './define-reader.js';
import { eventsOptions } from './events-definition.js';
import { eventsReader } from './events.js';
import { COLLECTED_EVENTS_COLUMNS, COLLECTED_EVENTS_IDENTITY, COLLECTED_EVENTS_SOURCE, COLLECTED_EVENTS_TABLE } from './collected-events-defaults.js';

export { COLLECTED_EVENTS_TABLE } from './collected-events-defaults.js';
/** Raw names starting with it are the collector's identity messages, never counted as product events. */
export const COLLECTOR_IDENTITY_PREFIX = '$';

export const collectedEventsDefinition = defineReader({
  name: 'collected-events',
  key: 'collectedEvents',
  description: 'product events the collector stored (its raw table), counted like the events reader counts',
  options: eventsOptions,
  history: true,
  replacesWindow: true,
  enable: 'set readers.collectedEvents to {} (with a collector section) in etl.config.json',
  services: (options, setup) => ({ names: [sqlSource(options.source ?? COLLECTED_EVENTS_SOURCE, setup)] }),
  source: ({ source, table, columns, identity, ...options }, window, setup) =>
    eventsReader({
      ...options,
      table: table ?? COLLECTED_EVENTS_TABLE,
      // visitor_id: the identified user, else the browser's anonymous id (distinct visitors, signed in or not).
      columns: { ...COLLECTED_EVENTS_COLUMNS, ...columns },
      // An anonymous id linked to a user (identify, alias, or a message with both ids) counts as that user.
      identity: identity ?? COLLECTED_EVENTS_IDENTITY,
      // `$identify`, `$group`, `$alias`: identity messages the collector keeps, not product events.
      excludePrefix: COLLECTOR_IDENTITY_PREFIX,
      window,
      service: sqlSource(source ?? COLLECTED_EVENTS_SOURCE, setup),
      onWarning: setup.warn,
    }),
});
