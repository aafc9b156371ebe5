// The identity links of a write: which rows link which ids (one link per anonymous id and user), and the literal the
// COPY path sends them in. Which user wins is the upsert's (test/collector-identity.test.ts).
import { describe, expect, it } from 'vitest';
import type { EventRow } from './event-row.js';
import { identityLinks, identityUpsertSql, jsonLiteral, KnownLinks, linksJson } from './identity-links.js';

const row = (at: string, user: string | null, anonymous: string | null, extra: Partial<EventRow> = {}): EventRow => ({
  message_id: `${at}-${user}-${anonymous}`, created_at: `2026-12-01T${at}:00.000Z`, event: 'x', user_id: user, anonymous_id: anonymous,
  duration_ms: null, properties: '{}', write_key: 'k', received_at: '2026-12-01T12:00:00.000Z', type: 'track', ...extra,
});

describe('identity links', () => {
  it('none for rows with one id (the usual write), nor for an id equal to the user', () => {
    expect(identityLinks([row('10:00', null, 'a'), row('10:01', 'u', null), row('10:02', 'u', 'u')])).toEqual([]);
  });

  it('rows with both ids and aliases link, one link per anonymous id and user with its first and last time, ordered', () => {
    const links = identityLinks([
      row('10:05', 'u1', 'b'),
      row('10:01', 'u1', 'b', { type: 'identify', event: '$identify' }),
      row('10:09', 'u1', 'b'),
      row('10:03', 'u2', 'a'),
      row('10:04', 'u3', null, { type: 'alias', event: '$alias', previous_id: 'old-id' }),
    ]);
    expect(links).toEqual([
      { anonymousId: 'a', userId: 'u2', first: '2026-12-01T10:03:00.000Z', last: '2026-12-01T10:03:00.000Z' },
      { anonymousId: 'b', userId: 'u1', first: '2026-12-01T10:01:00.000Z', last: '2026-12-01T10:09:00.000Z' },
      { anonymousId: 'old-id', userId: 'u3', first: '2026-12-01T10:04:00.000Z', last: '2026-12-01T10:04:00.000Z' },
    ]);
  });

  it('an anonymous id seen with two users: one link per user, in time order, whatever the order of the rows', () => {
    const rows = [row('10:05', 'late', 'a'), row('10:00', 'first', 'a'), row('10:20', 'first', 'a'), row('10:30', 'late', 'a')];
    const expected = [
      { anonymousId: 'a', userId: 'first', first: '2026-12-01T10:00:00.000Z', last: '2026-12-01T10:20:00.000Z' },
      { anonymousId: 'a', userId: 'late', first: '2026-12-01T10:05:00.000Z', last: '2026-12-01T10:30:00.000Z' },
    ];
    expect(identityLinks(rows)).toEqual(expected);
    expect(identityLinks([...rows].reverse())).toEqual(expected);
  });

  it('sends ids as data: JSON in an E-string literal, quotes and backslashes escaped', () => {
    const json = linksJson(identityLinks([row('10:00', `u'); DROP TABLE x; --`, 'a\\b"c')]));
    expect(json).toBe(`[{"a":"a\\\\b\\"c","u":"u'); DROP TABLE x; --","f":"2026-12-01T10:00:00.000Z","t":"2026-12-01T10:00:00.000Z"}]`);
    expect(jsonLiteral(json)).toBe(`E'[{"a":"a\\\\\\\\b\\\\"c","u":"u''); DROP TABLE x; --","f":"2026-12-01T10:00:00.000Z","t":"2026-12-01T10:00:00.000Z"}]'::json`);
    expect(identityUpsertSql('etl', '$2::json')).toMatch(/^INSERT INTO "etl"\.identities AS i .* FROM json_to_recordset\(\$2::json\) .* ORDER BY l\.a, .* ON CONFLICT \(anonymous_id\) DO UPDATE SET /);
  });

  it('a process sends only the links that may change the table: new ids, earlier links, last seen an hour later', () => {
    const known = new KnownLinks(2);
    const l = (anonymousId: string, userId: string, first: string, last = first) => ({ anonymousId, userId, first: `2026-12-01T${first}:00.000Z`, last: `2026-12-01T${last}:00.000Z` });
    expect(known.pending([l('a', 'u', '10:00', '10:20')])).toHaveLength(1);
    known.remember([l('a', 'u', '10:00', '10:20')]);
    expect(known.pending([l('a', 'u', '10:30', '11:10'), l('a', 'v', '10:30')])).toEqual([]);
    expect(known.pending([l('a', 'u', '10:30', '11:20'), l('a', 'v', '09:59'), l('b', 'u', '10:00')])).toEqual([l('a', 'u', '10:30', '11:20'), l('a', 'v', '09:59'), l('b', 'u', '10:00')]);
    known.remember([l('a', 'v', '09:59'), l('b', 'u', '10:00'), l('c', 'u', '10:00')]);
    // At most 2 known: the least recently stored (a) is forgotten, so its links go again.
    expect(known.size).toBe(2);
    expect(known.pending([l('b', 'u', '10:01'), l('a', 'v', '10:00')])).toEqual([l('a', 'v', '10:00')]);
  });
});
