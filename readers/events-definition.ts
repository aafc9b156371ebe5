// The events reader's definition: its options (a product-events table, its columns, dimensions) and its wiring.
import { z } from 'zod';
import { defineReader, sqlSource } from './define-reader.js';
import { eventsReader } from './events.js';
import { COLLECTED_EVENTS_COLUMNS, COLLECTED_EVENTS_IDENTITY, COLLECTED_EVENTS_SOURCE, COLLECTED_EVENTS_TABLE } from './collected-events-defaults.js';
import { DEFAULT_TOP_N } from './events-dimensions.js';
import { DEFAULT_EVENTS_COLUMNS, DEFAULT_EVENTS_TABLE, DEFAULT_IDENTITY_COLUMNS } from './events-sql.js';
import { DEFAULT_SETTLE_HOURS } from './events.js';
import { sourceNameOption } from './option-types.js';
import { DEFAULT_SQL_SERVICE } from './sql-client.js';

/** A default as the reference shows it when `readers.events` and `readers.collectedEvents` (same options) differ. */
const both = (events: string, collected: string): string => `\`${events}\` (collectedEvents: \`${collected}\`)`;

export const eventsOptions = z.strictObject({
  source: sourceNameOption.optional().meta({ description: 'the SQL source (`sources.<name>`) holding the events table', default: both(DEFAULT_SQL_SERVICE, COLLECTED_EVENTS_SOURCE) }),
  table: z.string().min(1).optional().meta({ description: 'the events table, `table` or `schema.table`', default: both(DEFAULT_EVENTS_TABLE, COLLECTED_EVENTS_TABLE) }),
  columns: z
    .strictObject({
      time: z.string().optional().meta({ description: 'time of the event, timestamptz', default: DEFAULT_EVENTS_COLUMNS.time }),
      event: z.string().optional().meta({ description: 'event name (names are normalised: `Sign Up` and `sign_up` are one event)', default: DEFAULT_EVENTS_COLUMNS.event }),
      user: z.string().optional().meta({ description: 'user id, any type; nulls are not counted as users', default: both(DEFAULT_EVENTS_COLUMNS.user, COLLECTED_EVENTS_COLUMNS.user) }),
      duration: z.string().optional().meta({ description: 'duration of timed events, numeric: gives .duration_avg, .duration_p50, .duration_p95 in its unit', default: `none: no timings (collectedEvents: \`${COLLECTED_EVENTS_COLUMNS.duration}\`)` }),
      properties: z.string().min(1).optional().meta({ description: 'jsonb column holding the properties that dimensions read', default: DEFAULT_EVENTS_COLUMNS.properties }),
      anonymous: z.string().min(1).optional().meta({ description: 'anonymous id column: a row without a user counts as its anonymous id', default: 'none' }),
    })
    .optional()
    .meta({ description: "the events table's columns" }),
  /**
   * How `users` counts people: "raw" (each id as it is), "stitched" (ids linked to a user by the collector's
   * `identities` table next to the events table count as that user), or { "table", "columns": { "anonymous",
   * "user" } } naming an identity table of your own. Default: "raw" for `events`, "stitched" for `collectedEvents`.
   */
  identity: z
    .union(
      [
        z.literal('raw'),
        z.literal('stitched'),
        z.strictObject({
          table: z.string().min(1).meta({ description: 'an identity table of your own: anonymous id -> user id' }),
          columns: z
            .strictObject({
              anonymous: z.string().min(1).optional().meta({ description: 'its anonymous id column', default: DEFAULT_IDENTITY_COLUMNS.anonymous }),
              user: z.string().min(1).optional().meta({ description: 'its user id column', default: DEFAULT_IDENTITY_COLUMNS.user }),
            })
            .optional()
            .meta({ description: "the identity table's columns" }),
        }),
      ],
      { error: 'must be "stitched", "raw" or { "table": "...", "columns": { "anonymous": "...", "user": "..." } }' },
    )
    .optional()
    .meta({
      description:
        'how `users` counts people: "raw" (each id as it is), "stitched" (ids linked to a user by the collector\'s `identities` table next to the events table count as that user), or an identity table of your own',
      default: both('raw', COLLECTED_EVENTS_IDENTITY),
    }),
  events: z.array(z.string()).optional().meta({ description: 'only these events (raw names as stored)', default: 'every event' }),
  timedEvents: z.array(z.string()).optional().meta({ description: 'events that get duration metrics (raw names as stored)', default: 'every event with durations' }),
  hourly: z.boolean().optional().meta({ description: 'false: no hourly values', default: 'true' }),
  daily: z.boolean().optional().meta({ description: 'false: no daily values', default: 'true' }),
  settleHours: z.number().int().min(0).optional().meta({ description: 'a read of the current window reads again this many hours before it, so events that arrived late are counted', default: String(DEFAULT_SETTLE_HOURS) }),
  /**
   * Counts and users per value: "campaign" (a column of the table if it has one, else a properties key), or
   * { "name": "campaign", "column": "utm_campaign" } / { "name": "campaign", "key": "utm_campaign" }, with an
   * optional own topN. Gives events.<event>.by_<name>.<value>.count and .users (top N values, other, none).
   */
  dimensions: z
    .array(
      z.union(
        [
          z.string().min(1),
          z
            .strictObject({
              name: z.string().min(1).meta({ description: 'the dimension: events.<event>.by_<name>.<value>' }),
              column: z.string().min(1).optional().meta({ description: 'the column of the events table holding its values (not with key)', default: 'name, if the table has such a column' }),
              key: z.string().min(1).optional().meta({ description: 'the key of the properties column holding its values (not with column)', default: 'name, if the table has no such column' }),
              topN: z.number().int().min(1).max(1000).optional().meta({ description: "values kept for this dimension (the rest are 'other')", default: 'the topN option' }),
            })
            .refine((d) => d.column === undefined || d.key === undefined, { message: "give 'column' or 'key', not both" }),
        ],
        { error: 'must be a name, or { "name", "column" or "key", "topN" }' },
      ),
    )
    .optional()
    .meta({
      description:
        'counts and users per value: a name (a column of the table if it has one, else a key of the properties column), or { name, column or key, topN }; gives events.<event>.by_<name>.<value>.count and .users',
    }),
  topN: z.number().int().min(1).max(1000).optional().meta({ description: 'values kept per event and dimension, ranked by events over the read window\'s days; the rest are \'other\'', default: String(DEFAULT_TOP_N) }),
});

export const eventsDefinition = defineReader({
  name: 'events',
  description: 'counts, distinct users and durations of product events per hour and day (events.<event>.*)',
  options: eventsOptions,
  history: true,
  replacesWindow: true,
  enable: 'set readers.events (a source, its events table and columns) in etl.config.json',
  services: (options, setup) => ({ names: [sqlSource(options.source, setup)] }),
  source: ({ source, ...options }, window, setup) => eventsReader({ ...options, window, service: sqlSource(source, setup), onWarning: setup.warn }),
});
