// The events reader's definition: its options (a product-events table, its columns, dimensions) and its wiring.
import { z } from 'zod';
import { defineReader, sqlSource } from './define-reader.js';
import { eventsReader } from './events.js';
import { sourceNameOption } from './option-types.js';

export const eventsOptions = z.strictObject({
  source: sourceNameOption.optional(),
  table: z.string().min(1).optional(),
  columns: z
    .strictObject({
      time: z.string().optional(),
      event: z.string().optional(),
      user: z.string().optional(),
      duration: z.string().optional(),
      properties: z.string().min(1).optional().meta({ description: 'jsonb column holding the properties that dimensions read', default: 'properties' }),
      anonymous: z.string().min(1).optional().meta({ description: 'anonymous id column: a row without a user counts as its anonymous id', default: 'none' }),
    })
    .optional(),
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
          table: z.string().min(1),
          columns: z.strictObject({ anonymous: z.string().min(1).optional(), user: z.string().min(1).optional() }).optional(),
        }),
      ],
      { error: 'must be "stitched", "raw" or { "table": "...", "columns": { "anonymous": "...", "user": "..." } }' },
    )
    .optional(),
  events: z.array(z.string()).optional(),
  timedEvents: z.array(z.string()).optional(),
  hourly: z.boolean().optional(),
  daily: z.boolean().optional(),
  settleHours: z.number().int().min(0).optional(),
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
              name: z.string().min(1),
              column: z.string().min(1).optional(),
              key: z.string().min(1).optional(),
              topN: z.number().int().min(1).max(1000).optional(),
            })
            .refine((d) => d.column === undefined || d.key === undefined, { message: "give 'column' or 'key', not both" }),
        ],
        { error: 'must be a name, or { "name", "column" or "key", "topN" }' },
      ),
    )
    .optional(),
  topN: z.number().int().min(1).max(1000).optional().meta({ description: 'values kept per event and dimension, ranked by events over the read window\'s days; the rest are \'other\'', default: '20' }),
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
