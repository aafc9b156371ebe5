import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/support/pg.js';
import { metricNamePart } from '../metrics/metric-name.js';
import { isBlankSql, metricNameSql } from './event-names.js';

/** Every Unicode scalar value PostgreSQL text can hold (no NUL, no surrogates), in chunks of 4096. */
function codePointChunks(): number[][] {
  const all: number[] = [];
  for (let c = 1; c <= 0x10ffff; c++) if (c < 0xd800 || c > 0xdfff) all.push(c);
  return Array.from({ length: Math.ceil(all.length / 4096) }, (_, i) => all.slice(i * 4096, (i + 1) * 4096));
}

describe('event and value names: the SQL twin of metricNamePart', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('etl_event_names');
  });
  afterAll(async () => db.drop());

  it('gives the same text as metricNamePart for every code point, alone and within a string', async () => {
    const chunks = codePointChunks().map((chunk) => String.fromCodePoint(...chunk));
    const { rows } = await db.pool.query<{ i: number; name: string }>(
      `SELECT i::int, ${metricNameSql('s')} AS name FROM unnest($1::text[]) WITH ORDINALITY AS c(s, i) ORDER BY i`,
      [chunks],
    );
    expect(rows).toHaveLength(chunks.length);
    const differing = chunks.flatMap((chunk, i) => (rows[i]!.name === metricNamePart(chunk) ? [] : [i]));
    if (differing.length > 0) {
      // Name the code points that differ, one by one.
      const points = [...chunks[differing[0]!]!];
      const one = await db.pool.query<{ name: string }>(`SELECT ${metricNameSql('s')} AS name FROM unnest($1::text[]) WITH ORDINALITY AS c(s, i) ORDER BY i`, [points]);
      const wrong = points.flatMap((c, j) => (one.rows[j]!.name === metricNamePart(c) ? [] : [`U+${c.codePointAt(0)!.toString(16)}: ${one.rows[j]!.name} instead of ${metricNamePart(c)}`]));
      expect.fail(`${differing.length} chunks differ from metricNamePart; first: ${wrong.slice(0, 5).join(', ')}`);
    }
    // The special cases, and mixed text (context: final sigma, letters next to astral characters).
    const samples = ['İstanbul', 'K-Kelvin', 'ΣΑΣ', 'Hello 😀 World', "'; DROP TABLE events; --", 'ABC xyz 019_-', 'ǅ', 'ﬀ'];
    const mixed = await db.pool.query<{ name: string }>(`SELECT ${metricNameSql('s')} AS name FROM unnest($1::text[]) WITH ORDINALITY AS c(s, i) ORDER BY i`, [samples]);
    expect(mixed.rows.map((r) => r.name)).toEqual(samples.map(metricNamePart));
  });

  it('calls blank exactly what String.prototype.trim removes entirely', async () => {
    const { rows } = await db.pool.query<{ blank: number[] }>(
      `SELECT array_agg(i ORDER BY i) AS blank FROM generate_series(1, 1114111) AS i WHERE (i < 55296 OR i > 57343) AND ${isBlankSql('chr(i)')}`,
    );
    const expected: number[] = [];
    for (let c = 1; c <= 0x10ffff; c++) if ((c < 0xd800 || c > 0xdfff) && String.fromCodePoint(c).trim() === '') expected.push(c);
    expect(rows[0]!.blank).toEqual(expected);
    const strings = await db.pool.query<{ blank: boolean }>(`SELECT ${isBlankSql('s')} AS blank FROM unnest($1::text[]) WITH ORDINALITY AS c(s, i) ORDER BY i`, [['', ' \t\n', '\u00a0\u3000', ' x ', 'x']]);
    expect(strings.rows.map((r) => r.blank)).toEqual([true, true, true, false, false]);
  });
});
