import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTimestamptz } from './timestamptz-text.js';

const defaultParser = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text') as (text: string) => unknown;
const same = (text: string) => expect([text, parseTimestamptz(text)]).toEqual([text, defaultParser(text)]);

describe('parseTimestamptz', () => {
  it('reads what the default parser reads, the same way, for every shape PostgreSQL prints', () => {
    for (const text of [
      '2026-11-06 13:00:00+00', '2026-11-06 13:00:00.5+01', '2026-11-06 13:00:00.123456+05:30', '1970-01-01 00:00:00-03:30:15',
      '2026-03-29 01:59:59.999999+00', '2026-12-31 23:59:59.001-12', '9999-12-31 23:59:59+14', '1000-01-01 00:00:00+00',
      // Left to the default parser: infinity, BC, short years, long years, no zone, other shapes.
      'infinity', '-infinity', '0044-03-15 12:00:00+00 BC', '0099-01-01 00:00:00+00', '12026-01-01 00:00:00+00', '2026-11-06 13:00:00', '2026-11-06T13:00:00Z',
    ]) same(text);
  });

  it('agrees with the default parser on 10,000 random instants and offsets', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const two = (n: number) => String(n).padStart(2, '0');
    for (let i = 0; i < 10_000; i++) {
      const fraction = rand(3) === 0 ? '' : `.${String(rand(1_000_000)).padStart(6, '0').slice(0, 1 + rand(6))}`;
      const zone = `${rand(2) ? '+' : '-'}${two(rand(15))}${rand(3) === 0 ? `:${two(rand(60))}${rand(4) === 0 ? `:${two(rand(60))}` : ''}` : ''}`;
      same(`${1000 + rand(9000)}-${two(1 + rand(12))}-${two(1 + rand(28))} ${two(rand(24))}:${two(rand(60))}:${two(rand(60))}${fraction}${zone}`);
    }
  });
});

describe('parseTimestamptz on what PostgreSQL sends', () => {
  const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it('gives the instant PostgreSQL holds, whatever the session time zone', async () => {
    for (const zone of ['UTC', 'Europe/Paris', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham']) {
      await client.query(`SET TimeZone = '${zone}'`);
      const { rows } = await client.query<{ text: string; ms: string }>(
        `SELECT t::text AS text, (extract(epoch FROM t) * 1000)::bigint::text AS ms
           FROM generate_series(timestamptz '2026-03-28 00:00:00.25+00', timestamptz '2026-03-30 00:00:00+00', interval '97 minutes 13.5 seconds') AS t`,
      );
      expect(rows.length).toBeGreaterThan(25);
      for (const row of rows) expect([zone, row.text, (parseTimestamptz(row.text) as Date).getTime()]).toEqual([zone, row.text, Number(row.ms)]);
    }
  });
});
