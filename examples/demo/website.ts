// The demo "website" source database: an embedded PGlite in a directory, seeded once and topped up to "now".
//
// First open: schema, 500 users, 320 API keys and three weeks of product events up to `now` (~200k, most of
// them anonymous visitors' page views). Every open: events from the last one up to `now` are added (an
// hour's events are the same however they are generated, so the data is a function of the seed, the first
// open and the latest `now`), and the spiders' heartbeats are set for `now`. Opening again with the same `now` changes nothing.
// One process at a time: the directory is locked while open (another process waits, then fails).
// Creating it copies a cached empty database (embedded/pglite-template.ts) rather than running initdb, and loads the
// events with COPY, indexing them after: ~3 s with the template cached (1.5 s before the visitors: generating
// and formatting the events is ~1 s, the COPY ~1 s), more when the template must be made first (on this 2-core
// machine; initdb is most of that).
import { join } from 'node:path';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { openPglite } from '../../embedded/open-pglite.js';
import { DEMO_HISTORY_DAYS, demoApiKeys, demoEvents, demoSpiders, demoUsers, type DemoEvent } from './generate.js';

export const DEMO_SEED = 42;
const HOUR_MS = 3_600_000;
const WHAT = 'demo website database';

export interface DemoWebsiteOptions {
  /** Directory of the database files (created if missing), e.g. `<data dir>/demo-website`. */
  readonly dir: string;
  /** The instant data is generated up to (default: Date.now()). */
  readonly now?: number;
  /** PRNG seed used when the database is first created (default 42). */
  readonly seed?: number;
  /**
   * Directory caching the empty PGlite database that new databases are copied from, as
   * `.pglite-template-<PGlite version>` (~40 MB): etl gives the user's cache directory; default, or when it
   * cannot be written, the parent of `dir`.
   */
  readonly templateCacheDir?: string;
  /** Told what is going on while the database is created and seeded (first open only). */
  readonly onProgress?: (message: string) => void;
}

/** Where the demo website lives inside the ETL data directory. */
export function demoWebsiteDir(dataDir: string): string {
  return join(dataDir, 'demo-website');
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS demo_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS users (id int PRIMARY KEY, email text NOT NULL UNIQUE, plan text NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys (id int PRIMARY KEY, user_id int NOT NULL REFERENCES users (id), created_at timestamptz NOT NULL, revoked_at timestamptz);
CREATE TABLE IF NOT EXISTS spider_status (spider text PRIMARY KEY, status text NOT NULL, updated_at timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS events (id bigserial NOT NULL, created_at timestamptz NOT NULL, event text NOT NULL, user_id int, duration_ms int);
`;
// Made after the first load of events: maintaining them row by row took half the time of COPYing 200k events.
// The unique index on id is named as the primary key of databases created before, so those keep theirs.
const EVENTS_INDEXES = `
CREATE UNIQUE INDEX IF NOT EXISTS events_pkey ON events (id);
CREATE INDEX IF NOT EXISTS events_created_at ON events (created_at);
`;

const iso = (t: number): string => new Date(t).toISOString();

async function meta(tx: Transaction, key: string): Promise<string | undefined> {
  const { rows } = await tx.query<{ value: string }>('SELECT value FROM demo_meta WHERE key = $1', [key]);
  return rows[0]?.value;
}

async function setMeta(tx: Transaction, key: string, value: string): Promise<void> {
  await tx.query('INSERT INTO demo_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [key, value]);
}

async function seedOnce(tx: Transaction, seed: number, now: number): Promise<void> {
  await setMeta(tx, 'seed', String(seed));
  await setMeta(tx, 'origin', iso(now));
  const users = demoUsers(seed, now);
  await tx.query(
    'INSERT INTO users (id, email, plan, created_at) SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::timestamptz[])',
    [users.map((u) => u.id), users.map((u) => u.email), users.map((u) => u.plan), users.map((u) => iso(u.createdAt))],
  );
  const keys = demoApiKeys(seed, now);
  await tx.query(
    'INSERT INTO api_keys (id, user_id, created_at, revoked_at) SELECT * FROM unnest($1::int[], $2::int[], $3::timestamptz[], $4::timestamptz[])',
    [keys.map((k) => k.id), keys.map((k) => k.userId), keys.map((k) => iso(k.createdAt)), keys.map((k) => (k.revokedAt === null ? null : iso(k.revokedAt)))],
  );
  // History starts on an hour boundary three weeks before the first open.
  await setMeta(tx, 'events_until', iso(Math.floor((now - DEMO_HISTORY_DAYS * 24 * HOUR_MS) / HOUR_MS) * HOUR_MS));
}

/** COPY text format; event names are the generator's identifiers, so nothing needs escaping. */
function copyText(events: readonly DemoEvent[]): string {
  const nullable = (v: number | null): string => (v === null ? '\\N' : String(v));
  return events.map((e) => `${iso(e.createdAt)}\t${e.event}\t${nullable(e.userId)}\t${nullable(e.durationMs)}\n`).join('');
}

async function topUpEvents(tx: Transaction, seed: number, now: number): Promise<void> {
  const until = Date.parse((await meta(tx, 'events_until'))!);
  if (!(now > until)) return;
  const events = demoEvents(seed, until, now);
  if (events.length > 0) {
    await tx.query("COPY events (created_at, event, user_id, duration_ms) FROM '/dev/blob'", [], { blob: new Blob([copyText(events)]) });
  }
  await setMeta(tx, 'events_until', iso(now));
}

async function setSpiders(tx: Transaction, seed: number, now: number): Promise<void> {
  const spiders = demoSpiders(seed, now);
  await tx.query(
    `INSERT INTO spider_status (spider, status, updated_at) SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
     ON CONFLICT (spider) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at`,
    [spiders.map((s) => s.spider), spiders.map((s) => s.status), spiders.map((s) => iso(s.updatedAt))],
  );
}

/** Opens (creating and seeding on first use) the demo website database; close it with `close()`. */
export async function openDemoWebsite(options: DemoWebsiteOptions): Promise<PGlite> {
  const now = options.now ?? Date.now();
  const started = performance.now();
  let created = false;
  const db = await openPglite(options.dir, {
    what: WHAT,
    ...(options.templateCacheDir === undefined ? {} : { templateCacheDir: options.templateCacheDir }),
    onCreate: (message) => {
      created = true;
      options.onProgress?.(message);
    },
  });
  try {
    await db.exec(SCHEMA);
    await db.transaction(async (tx) => {
      let seed = Number(await meta(tx, 'seed'));
      if (Number.isNaN(seed)) {
        if (!created) options.onProgress?.(`first run: seeding the ${WHAT} (once)`); // created earlier, never seeded
        created = true;
        seed = options.seed ?? DEMO_SEED;
        await seedOnce(tx, seed, now);
      }
      await topUpEvents(tx, seed, now);
      await tx.exec(EVENTS_INDEXES);
      await setSpiders(tx, seed, now);
    });
  } catch (error) {
    await db.close();
    throw error;
  }
  if (created) options.onProgress?.(`${WHAT} ready (${((performance.now() - started) / 1000).toFixed(1)}s)`);
  return db;
}
