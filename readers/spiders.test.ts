import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../graph/errors.js';
import { backfillWindow, currentWindow } from '../metrics/window.js';
import { createTestDatabase, type TestDatabase } from '../test/support/pg.js';
import { readRows } from '../test/support/read-rows.js';
import { countSpiders, spidersReader, spidersSql } from './spiders.js';

const NOW = Date.UTC(2026, 5, 1, 12, 30); // 14:30 in Paris (summer time)
const ago = (minutes: number): string => new Date(NOW - minutes * 60_000).toISOString();

describe('spiders reader', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('etl_spiders');
    // A heartbeat log: several rows per spider; the latest one inside the last 10 minutes decides.
    await db.pool.query(`CREATE TABLE spider_status (spider text NOT NULL, status text NOT NULL, updated_at timestamptz NOT NULL)`);
    const beats: Array<[string, string, number]> = [
      ['alpha', 'idle', 9], ['alpha', 'active', 1], // active now
      ['beta', 'active', 8], ['beta', 'IDLE', 2], // idle now (case-insensitive)
      ['gamma', 'active', 3],
      ['delta', 'idle', 4],
      ['epsilon', 'error', 5], // counts in the total only
      ['zeta', 'active', 11], ['zeta', 'active', 45], // stale: not seen in the last 10 minutes
    ];
    for (const [spider, status, minutes] of beats) {
      await db.pool.query('INSERT INTO spider_status VALUES ($1, $2, $3)', [spider, status, ago(minutes)]);
    }
  });
  afterEach(async () => db.drop());

  it('reduces latest statuses into total, active and idle at the current hour', async () => {
    const { rows, run } = await readRows(spidersReader({ window: currentWindow(NOW, 'Europe/Paris') }), { website: db.pool });
    expect(run.status).toBe('succeeded');
    expect(rows).toEqual([{ dims: { date: '2026-06-01', hour: 14 }, metrics: { 'spider.total': 5, 'spider.active': 2, 'spider.idle': 2 } }]);
  });

  it('takes the look-back and the status lists from its options', async () => {
    const { rows } = await readRows(
      spidersReader({ window: currentWindow(NOW, 'UTC'), minutes: 60, activeStatuses: ['active', 'error'], idleStatuses: [] }),
      { website: db.pool },
    );
    expect(rows[0]!.metrics).toEqual({ 'spider.total': 6, 'spider.active': 4, 'spider.idle': 0 });
  });

  it('reads a configured table layout or a configured query', async () => {
    await db.pool.query(`CREATE SCHEMA crawl; CREATE TABLE crawl."Workers" ("Name" text, state text, seen timestamptz);
      INSERT INTO crawl."Workers" VALUES ('w1', 'active', $1), ('w2', 'idle', $1), ('w3', 'idle', $2)`.replaceAll('$1', `'${ago(1)}'`).replaceAll('$2', `'${ago(30)}'`));
    const layout = spidersReader({ window: currentWindow(NOW, 'UTC'), table: 'crawl.Workers', columns: { worker: 'Name', status: 'state', time: 'seen' } });
    expect((await readRows(layout, { website: db.pool })).rows[0]!.metrics).toEqual({ 'spider.total': 2, 'spider.active': 1, 'spider.idle': 1 });

    const query = spidersReader({
      window: currentWindow(NOW, 'UTC'),
      query: `SELECT "Name" AS worker, state AS status FROM crawl."Workers" WHERE seen > $1::timestamptz - interval '1 hour'`,
    });
    expect((await readRows(query, { website: db.pool })).rows[0]!.metrics).toEqual({ 'spider.total': 3, 'spider.active': 1, 'spider.idle': 2 });

    const noParams = spidersReader({ window: currentWindow(NOW, 'UTC'), query: `SELECT 'x' AS worker, 'active' AS status` });
    expect((await readRows(noParams, { website: db.pool })).rows[0]!.metrics).toEqual({ 'spider.total': 1, 'spider.active': 1, 'spider.idle': 0 });
  });

  it('builds its statement with quoted identifiers and parameters', () => {
    expect(spidersSql('crawl.Workers', { worker: 'Name', status: 'state', time: 'seen' })).toBe(
      `SELECT DISTINCT ON ("Name") "Name"::text AS worker, "state"::text AS status FROM "crawl"."Workers" WHERE "seen" > $1::timestamptz - make_interval(secs => $2::float8 * 60) ORDER BY "Name", "seen" DESC`,
    );
  });

  it('counts each worker once', () => {
    expect(countSpiders([{ worker: 'a', status: 'active' }, { worker: 'a', status: 'idle' }, { worker: 'b', status: null }])).toEqual({ 'spider.total': 2, 'spider.active': 1, 'spider.idle': 0 });
  });

  it('produces nothing for a past window and says why', async () => {
    const warnings: string[] = [];
    const past = backfillWindow(NOW - 86_400_000, NOW - 3_600_000, 'UTC', NOW);
    const { rows, run } = await readRows(spidersReader({ window: past, onWarning: (m) => warnings.push(m) }), { website: db.pool });
    expect(run.status).toBe('succeeded');
    expect(rows).toEqual([]);
    expect(warnings[0]).toMatch(/^reader 'spiders' reads current values only/);
  });

  it('checks its options when built', () => {
    const window = currentWindow(NOW, 'UTC');
    expect(() => spidersReader({ window, minutes: 0 })).toThrow(ConfigError);
    expect(() => spidersReader({ window, table: 'a.b.c' })).toThrow(/spiders reader: invalid SQL table name/);
    expect(() => spidersReader({ window, query: 'SELECT $3' })).toThrow(/\$1 \(now\) and \$2 \(minutes\) only/);
  });

  it('a missing table fails naming the reader', async () => {
    const { run } = await readRows(spidersReader({ window: currentWindow(NOW, 'UTC'), table: 'nope' }), { website: db.pool });
    expect(run.error).toMatch(/ReaderError: reader 'spiders': query failed \(service 'website' at postgres:\/\/postgres@127\.0\.0\.1:5432\/etl_spiders_\w+\): relation "nope" does not exist$/);
  });
});
