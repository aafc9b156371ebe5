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
);

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
  /** `etl collect` and the embedded scheduler listen here (default 8081; --port wins). */
  port: z.number().int().min(0).max(65_535).optional(),
  /** Address to bind (default 127.0.0.1; --host wins). */
  host: z.string().min(1).optional(),
  /** Accepted write keys, each named so it can be revoked; the key is a secret (masked everywhere). */
  writeKeys: z
    .array(z.strictObject({ name: keyName, key: z.string().min(8, 'a write key has at least 8 characters') }))
    .min(1)
    .refine((keys) => new Set(keys.map((k) => k.name)).size === keys.length, 'two write keys have the same name')
    .refine((keys) => new Set(keys.map((k) => k.key)).size === keys.length, 'two write keys have the same key'),
  /** Browser origins allowed to send events (CORS); the collector's own pages are always allowed. */
  allowedOrigins: z.array(origin).default([]),
  /** Where the raw events go: a PostgreSQL database of their own (default: the metrics database). */
  database: z
    .strictObject({
      url: databaseUrl,
      /** Schema of the `events` table there (default: the metrics schema, `etl`). */
      schema: schemaName.optional(),
      connectTimeout: duration.optional(),
    })
    .optional(),
  /** The name of the SQL source the events reader reads the table from (`readers.events.source`). */
  source: keyName.default(COLLECTOR_DEFAULTS.source),
  limits: z
    .strictObject({
      /** Bytes of one request body (default 512000). */
      bodyBytes: limit(16 * 1024 * 1024).optional(),
      /** Events in one batch (default 500). */
      batchEvents: limit(100_000).optional(),
      /** Bytes of one event's properties as JSON (default 32768). */
      propertyBytes: limit(1024 * 1024).optional(),
      /** Bytes of one Segment message (one with a `type`) as JSON (default 32768, Segment's 32 KB). */
      messageBytes: limit(1024 * 1024).optional(),
    })
    .optional(),
  /** Event name Segment `page` messages are stored under (default 'page'). */
  pageEvent: z.string().min(1).max(200).optional(),
  /** Event name Segment `screen` messages are stored under (default 'screen'). */
  screenEvent: z.string().min(1).max(200).optional(),
  /** Events dated further ahead of the collector's clock (after the sentAt correction) are rejected (default 10m). */
  maxFuture: duration.optional(),
  /** Events dated further back than this (after the sentAt correction) are rejected, each by its index (default 30d). */
  maxPast: age.optional(),
  /** How long rows wait for others before a write when one could start at once (default: none; rows that arrive
   *  while writes are in flight always wait for one to end, then go together). */
  flushDelay: duration.optional(),
  /** One write to the database; past it the request gets 503 and Retry-After (default 5s). */
  writeTimeout: duration.optional(),
  /** An HTML page served at GET / (path relative to this file), e.g. the demo page that loads the tracker. */
  page: z.string().min(1).optional(),
});

export type CollectorConfig = z.infer<typeof collectorSchema>;
