// The links a write stores in `<schema>.identities` (writers/migrations.ts, version 6), in the same transaction as
// its events: each row carrying both a user id and an anonymous id (identify, or any message sent after it) links
// that anonymous id to the user; an alias links its previousId to its userId. An anonymous id belongs to one user:
// the one of its earliest link by event time (a later link to another user, e.g. a shared browser that was not
// reset, is ignored; an earlier one, arriving late, replaces it), so the table hardly depends on arrival order.
import { quoteIdentifier } from '../sql/identifiers.js';
import type { EventRow } from './event-row.js';

/** One anonymous id (or alias previousId) seen with one user, from `first` to `last` (event times). */
export interface IdentityLink {
  readonly anonymousId: string;
  readonly userId: string;
  /** ISO instants (as the rows' created_at: `YYYY-MM-DDTHH:MM:SS.sssZ`, so they compare as text). */
  readonly first: string;
  readonly last: string;
}

/**
 * The links of `rows`, one per anonymous id and user (almost always one user), ordered by anonymous id then time;
 * none for most writes. Which user an anonymous id belongs to is decided by the upsert, against the stored row.
 */
export function identityLinks(rows: readonly EventRow[]): IdentityLink[] {
  let pairs: Map<string, { anonymousId: string; userId: string; first: string; last: string }> | undefined;
  const add = (anonymousId: string, userId: string, at: string): void => {
    const key = `${anonymousId}\0${userId}`; // ids have no NUL (checkEvent)
    const seen = (pairs ??= new Map()).get(key);
    if (seen === undefined) pairs.set(key, { anonymousId, userId, first: at, last: at });
    else if (at < seen.first) seen.first = at;
    else if (at > seen.last) seen.last = at;
  };
  for (const r of rows) {
    const user = r.user_id;
    if (user === null) continue;
    if (r.anonymous_id !== null && r.anonymous_id !== user) add(r.anonymous_id, user, r.created_at);
    const previous = r.previous_id;
    if (previous !== undefined && previous !== null && previous !== user) add(previous, user, r.created_at);
  }
  if (pairs === undefined) return [];
  const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...pairs.values()].sort((a, b) => order(a.anonymousId, b.anonymousId) || order(a.first, b.first) || order(a.userId, b.userId));
}

/** last_seen moves by steps of at least this much event time (an hour): a visitor's every batch is not a row update. */
export const LAST_SEEN_STEP_MS = 3_600_000;

/** A stored link as ISO text (links compare as text: no date parsing per link of a write). */
interface Known {
  userId: string;
  first: string;
  last: string;
  /** last + LAST_SEEN_STEP_MS: a link of the same user ending before it changes nothing. */
  lastUntil: string;
}

const knownLink = (userId: string, first: string, last: string): Known => ({ userId, first, last, lastUntil: new Date(Date.parse(last) + LAST_SEEN_STEP_MS).toISOString() });

/**
 * The links this process has stored, most recently stored last (at most `max`; a lookup does not move a link, so an
 * id seen all the time is forgotten after `max` newer links and sent once again, a no-op upsert), so a write sends only the links that
 * may change the table: with analytics.js or the tracker every message after identify carries both ids, and most
 * writes would otherwise upsert the same links again. A link is left out when its anonymous id is known with a first
 * link no later than it and either another user (the upsert would ignore it) or the same user seen until less than
 * LAST_SEEN_STEP_MS before its last time. What is known may be behind the table (another process's writes, a link
 * of this one the table ignored): then only last_seen lags, never the user of an anonymous id, because the table's
 * first_seen is never later than the known one, so a link earlier than the table's first is always sent.
 */
export class KnownLinks {
  readonly #max: number;
  readonly #known = new Map<string, Known>();

  constructor(max = 50_000) {
    this.#max = max;
  }

  /** The links that may change the table. */
  pending(links: readonly IdentityLink[]): IdentityLink[] {
    if (links.length === 0) return [];
    const out: IdentityLink[] = [];
    for (const link of links) {
      const known = this.#known.get(link.anonymousId);
      if (known !== undefined && link.first >= known.first && (known.userId !== link.userId || link.last < known.lastUntil)) continue;
      out.push(link);
    }
    return out;
  }

  /** Records links once stored (committed), with the table's rule: the earliest link's user. */
  remember(links: readonly IdentityLink[]): void {
    for (const link of links) {
      const stored = this.#known.get(link.anonymousId);
      let next: Known | undefined;
      if (stored === undefined || (stored.userId !== link.userId && link.first < stored.first)) next = knownLink(link.userId, link.first, link.last);
      else if (stored.userId === link.userId) {
        next = knownLink(link.userId, link.first < stored.first ? link.first : stored.first, link.last > stored.last ? link.last : stored.last);
      }
      if (next === undefined) continue; // another user, not earlier: the table ignored it
      // Stored now: it goes last (evicted last).
      this.#known.delete(link.anonymousId);
      this.#known.set(link.anonymousId, next);
    }
    for (const key of this.#known.keys()) {
      if (this.#known.size <= this.#max) break;
      this.#known.delete(key);
    }
  }

  get size(): number {
    return this.#known.size;
  }
}

/** The links as the JSON the upsert reads (json_to_recordset). */
export function linksJson(links: readonly IdentityLink[]): string {
  return JSON.stringify(links.map((l) => ({ a: l.anonymousId, u: l.userId, f: l.first, t: l.last })));
}

/** JSON text as a SQL literal for a simple-query statement (E'' form: the same whatever standard_conforming_strings says). */
export function jsonLiteral(json: string): string {
  return `E'${json.replace(/\\/g, '\\\\').replace(/'/g, "''")}'::json`;
}

/**
 * The upsert of the links read from `source` (a json parameter, or a literal on the COPY path). Per anonymous id,
 * the link kept is the earliest of those that change something: one with the stored user (it widens first/last
 * seen) or one earlier than the stored first link (it replaces the user); a new anonymous id is inserted. A link
 * to another user that is not earlier leaves the row untouched (no new row version), as does one of the same user
 * whose last time is less than LAST_SEEN_STEP_MS after last_seen (last_seen is the latest time to the hour).
 */
export function identityUpsertSql(schema: string, source: string): string {
  const table = `${quoteIdentifier(schema)}.identities`;
  const useless = `(c.user_id IS NOT NULL AND l.u <> c.user_id AND l.f >= c.first_seen)`;
  return (
    `INSERT INTO ${table} AS i (anonymous_id, user_id, first_seen, last_seen) ` +
    `SELECT DISTINCT ON (l.a) l.a, l.u, l.f, l.t FROM json_to_recordset(${source}) AS l(a text, u text, f timestamptz, t timestamptz) ` +
    `LEFT JOIN ${table} c ON c.anonymous_id = l.a ORDER BY l.a, ${useless}, l.f, l.u = c.user_id DESC NULLS LAST, l.u ` +
    `ON CONFLICT (anonymous_id) DO UPDATE SET ` +
    `user_id = CASE WHEN excluded.first_seen < i.first_seen THEN excluded.user_id ELSE i.user_id END, ` +
    `first_seen = least(i.first_seen, excluded.first_seen), ` +
    `last_seen = CASE WHEN excluded.user_id = i.user_id THEN greatest(i.last_seen, excluded.last_seen) ELSE excluded.last_seen END ` +
    `WHERE excluded.first_seen < i.first_seen OR (excluded.user_id = i.user_id AND excluded.last_seen >= i.last_seen + interval '${LAST_SEEN_STEP_MS / 1000} seconds')`
  );
}
