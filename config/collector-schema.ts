// The `collector` section of the configuration (zod): the event collector's port, write keys, origins, limits, database.
// Self-contained on purpose: config/schema.ts imports it, so it must not import config/schema.ts (no cycle).
import { z } from 'zod';
import { notADuration, tryParseDuration } from '../graph/duration.js';
import { durationOption, shown } from '../readers/option-types.js';

/** Defaults the collector applies when a key is absent (collector/options.ts has the same figures). */
export const COLLECTOR_DEFAULTS = Object.freeze({ port: 8081, host: '127.0.0.1', source: 'collector' });

/** A positive duration ('5ms', '5s', '10m', or milliseconds), as milliseconds once parsed. */
const duration = durationOption;

/** A positive duration that no timer waits for, so without durationOption's 24.8-day cap ('30d', '365d'). */
const age = z.preprocess(
  (value) => tryParseDuration(value) ?? value,
  z.custom<number>((value) => typeof value === 'number' && Number.isSafeInteger(value) && value > 0, {
    abort: false,
    error: (issue) => (tryParseDuration(issue.input) === 0 ? `${shown(issue.input)} is not a positive duration` : notADuration(issue.input)),
  }),
).meta({ type: 'duration' });

const keyName = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "lower-case letters, digits, '_' or '-'");

/** An origin as browsers send it: scheme://host[:port], no path; or '*' (any origin). */
const origin = z.string().refine(
  (value) => {
    if (value === '*') return true;
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '').toLowerCase();
    } catch {
      return false;
    }
  },
  { error: (issue) => `${JSON.stringify(issue.input)} is not an origin (e.g. https://www.example.com, lower-case, no path) or '*'` },
);

/** postgres:// with a user name; messages never show the value (it may hold a password). */
const databaseUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.username !== '';
    } catch {
      return false;
    }
  },
  { error: 'not a postgres://user:password@host/database URL (value not shown: it may hold a password)' },
);

const schemaName = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "a schema name (lower-case letters, digits and '_', at most 63)");

const limit = (max: number) => z.number().int().min(1).max(max);

export const collectorSchema = z.strictObject({
  port: z.number().int().min(0).max(65_535).optional().meta({ description: '`etl collect` and the embedded scheduler listen here (--port wins; 0: any free port)', default: String(COLLECTOR_DEFAULTS.port) }),
  host: z.string().min(1).optional().meta({ description: 'address to bind (--host wins)', default: COLLECTOR_DEFAULTS.host }),
  /** Accepted write keys, each named so it can be revoked; the key is a secret (masked everywhere). */
  writeKeys: z
    .array(
      z.strictObject({
        name: keyName.meta({ description: 'names the key: recorded with each event it sends, shown instead of the key' }),
        key: z.string().min(8, 'a write key has at least 8 characters').meta({ description: 'the secret a sender gives (at least 8 characters; write it as ${VAR})' }),
      }),
    )
    .min(1)
    .refine((keys) => new Set(keys.map((k) => k.name)).size === keys.length, 'two write keys have the same name')
    .refine((keys) => new Set(keys.map((k) => k.key)).size === keys.length, 'two write keys have the same key')
    .meta({ description: 'accepted keys, each named (the name is recorded with each event; remove an entry to revoke it); a key is a secret, never printed' }),
  allowedOrigins: z.array(origin).default([]).meta({ description: 'browser origins allowed to send events (CORS); the collector\'s own pages are always allowed' }),
  /** Where the raw events go: a PostgreSQL database of their own (default: the metrics database). */
  database: z
    .strictObject({
      url: databaseUrl.meta({ description: 'postgres://user:password@host/database' }),
      schema: schemaName.optional().meta({ description: 'schema of the `events` table there', default: 'the metrics schema, `etl`' }),
      connectTimeout: duration.optional().meta({ description: 'connecting to that database', default: '10s' }),
    })
    .optional()
    .meta({ description: 'a PostgreSQL database of its own for the events table', default: 'the metrics database' }),
  source: keyName.default(COLLECTOR_DEFAULTS.source).meta({ description: 'the name of the SQL source the events reader reads the table from (`readers.events.source`)' }),
  limits: z
    .strictObject({
      bodyBytes: limit(16 * 1024 * 1024).optional().meta({ description: 'bytes of one request body', default: '512000' }),
      batchEvents: limit(100_000).optional().meta({ description: 'events in one batch', default: '500' }),
      propertyBytes: limit(1024 * 1024).optional().meta({ description: 'bytes of one event\'s properties as JSON', default: '32768' }),
      messageBytes: limit(1024 * 1024).optional().meta({ description: 'bytes of one Segment message (one with a `type`) as JSON', default: '32768' }),
    })
    .optional()
    .meta({ description: 'limits of one request; over one, the answer is 413 naming it' }),
  pageEvent: z.string().min(1).max(200).optional().meta({ description: 'event name Segment `page` messages are stored under', default: 'page' }),
  screenEvent: z.string().min(1).max(200).optional().meta({ description: 'event name Segment `screen` messages are stored under', default: 'screen' }),
  maxFuture: duration.optional().meta({ description: 'events dated further ahead of the collector\'s clock (after the sentAt correction) are rejected', default: '10m' }),
  maxPast: age.optional().meta({ description: 'events dated further back than this (after the sentAt correction) are rejected, each by its index', default: '30d' }),
  flushDelay: duration.optional().meta({
    description: 'how long rows wait for others before a write when one could start at once (rows that arrive while writes are in flight always wait for one to end, then go together)',
    default: 'none',
  }),
  writeTimeout: duration.optional().meta({ description: 'one write to the database; past it the request gets 503 and Retry-After', default: '5s' }),
  page: z.string().min(1).optional().meta({ description: 'an HTML page served at GET / (path relative to this file), e.g. the demo page that loads the tracker' }),
});

export type CollectorConfig = z.infer<typeof collectorSchema>;
