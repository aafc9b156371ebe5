import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/support/pg.js';
import { quoteIdentifier, quoteTableName } from './identifiers.js';

const EVIL = 'victims"; DROP TABLE victims; --';

describe('quoting identifiers from configuration', () => {
  it('quotes names, schema-qualified tables and embedded quotes', () => {
    const identifiers = { occurred_at: '"occurred_at"', 'Mixed Case': '"Mixed Case"', 'a"b': '"a""b"', 'shop.users': '"shop.users"' };
    for (const [name, quoted] of Object.entries(identifiers)) expect(quoteIdentifier(name)).toBe(quoted);
    const tables = { users: '"users"', 'shop.users': '"shop"."users"', [EVIL]: '"victims""; DROP TABLE victims; --"' };
    for (const [name, quoted] of Object.entries(tables)) expect(quoteTableName(name)).toBe(quoted);
  });

  it('rejects names that cannot be identifiers', () => {
    expect(() => quoteTableName('')).toThrow(/empty name part/);
    expect(() => quoteTableName('.users')).toThrow(/empty name part/);
    expect(() => quoteTableName('a.b.c')).toThrow(/schema\.table/);
    expect(() => quoteIdentifier('a\0b')).toThrow(/NUL/);
    expect(quoteIdentifier('x'.repeat(63))).toBe(`"${'x'.repeat(63)}"`);
    expect(() => quoteIdentifier('x'.repeat(64))).toThrow(/63 bytes/);
    expect(() => quoteIdentifier('é'.repeat(32))).toThrow(/63 bytes/);
    expect(() => quoteIdentifier('')).toThrow(/empty name part/);
    expect(() => quoteIdentifier(42 as unknown as string)).toThrow(/not a string/);
  });

  describe('on a real database', () => {
    let db: TestDatabase;
    beforeEach(async () => {
      db = await createTestDatabase('etl_ident');
      await db.pool.query('CREATE TABLE victims (id int); INSERT INTO victims VALUES (1), (2)');
    });
    afterEach(async () => db.drop());

    it('an injection-looking name stays one (missing) table name and runs nothing', async () => {
      await expect(db.pool.query(`SELECT count(*) FROM ${quoteTableName(EVIL)}`)).rejects.toThrow(/relation "victims"; DROP TABLE victims; --" does not exist/);
      const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM victims');
      expect(rows[0].n).toBe(2);
    });

    it('a table really named with quotes and semicolons can be read', async () => {
      await db.pool.query(`CREATE SCHEMA "odd""schema"; CREATE TABLE "odd""schema".${quoteIdentifier(EVIL)} (id int); INSERT INTO "odd""schema".${quoteIdentifier(EVIL)} VALUES (7)`);
      const { rows } = await db.pool.query(`SELECT id FROM ${quoteIdentifier('odd"schema')}.${quoteIdentifier(EVIL)}`);
      expect(rows).toEqual([{ id: 7 }]);
    });
  });
});
