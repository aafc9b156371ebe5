// Migration 6 on both backends: a metrics database whose collector table holds events of an earlier version gets the
// `type` column (NULL for those rows) and its identities filled from them (rows with both ids, aliases' previousId).
import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, createTestMetricsDb, type TestMetricsDb } from '../test/writers-backends.js';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations.js';

describe.each(BACKENDS)('migration 6 on %s', (backend) => {
  let test: TestMetricsDb | undefined;
  afterEach(async () => {
    await test?.drop();
    test = undefined;
  });

  it('adds the type column and fills the identities from the events already stored, the earliest link of each id winning', async () => {
    test = await createTestMetricsDb(backend);
    const { db } = test;
    expect((await migrate(db, MIGRATIONS.filter((m) => m.version <= 5))).to).toBe(5);
    const t = Date.UTC(2026, 11, 1, 10);
    const at = (minutes: number): string => new Date(t + minutes * 60_000).toISOString();
    const rows: Array<[string, string, string, string | null, string | null, string]> = [
      ['1', at(0), 'Viewed', null, 'a', '{}'],
      ['2', at(1), '$identify', 'u-1', 'a', '{"traits":{}}'],
      ['3', at(2), 'Viewed', 'u-1', 'a', '{}'],
      ['4', at(3), 'Viewed', 'u-2', 'a', '{}'], // the same browser, another user later: not a new owner
      ['5', at(4), '$alias', 'u-3', null, '{"previousId":42}'],
      ['6', at(5), '$alias', 'u-4', null, '{"previousId":["not","an","id"]}'],
      ['7', at(6), 'Viewed', 'same', 'same', '{}'],
    ];
    for (const r of rows) {
      await db.query(`INSERT INTO etl.events (message_id, created_at, event, user_id, anonymous_id, properties, write_key) VALUES ($1, $2, $3, $4, $5, $6::jsonb, 'k')`, r);
    }
    expect(await migrate(db)).toMatchObject({ from: 5, applied: expect.arrayContaining([6]) });
    const { rows: links } = await db.query<{ anonymous_id: string; user_id: string; first_seen: string; last_seen: string }>(
      `SELECT anonymous_id, user_id, to_json(first_seen) #>> '{}' AS first_seen, to_json(last_seen) #>> '{}' AS last_seen FROM etl.identities ORDER BY anonymous_id`,
    );
    const iso = (s: string): string => new Date(s).toISOString();
    expect(links.map((l) => [l.anonymous_id, l.user_id, iso(l.first_seen), iso(l.last_seen)])).toEqual([
      ['42', 'u-3', at(4), at(4)],
      ['a', 'u-1', at(1), at(2)],
    ]);
    const { rows: types } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM etl.events WHERE type IS NULL`);
    expect(types[0]!.n).toBe(rows.length);
  });
});
