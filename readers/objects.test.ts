import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../graph/errors.js';
import { backfillWindow, currentWindow } from '../metrics/window.js';
import { createTestDatabase, type TestDatabase } from '../test/support/pg.js';
import { objectsCountSql, objectsReader, type ObjectsTable } from './objects.js';
import { readRows } from '../test/support/read-rows.js';
import type { SqlClient } from './sql-client.js';

// 2026-01-14 23:40 UTC is 00:40 on the 15th in Paris.
const NOW = Date.UTC(2026, 0, 14, 23, 40);
const TABLES: ObjectsTable[] = [
  { name: 'users', table: 'users' },
  { name: 'paying_users', table: 'users', where: 'plan <> $1', params: ['free'] },
  { name: 'api_keys', table: 'shop.api_keys', where: 'revoked_at IS NULL' },
];

describe('objects reader', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('etl_objects');
    await db.pool.query(`
      CREATE TABLE users (id int PRIMARY KEY, plan text NOT NULL);
      INSERT INTO users SELECT i, CASE WHEN i % 4 = 0 THEN 'pro' ELSE 'free' END FROM generate_series(1, 103) i;
      CREATE SCHEMA shop;
      CREATE TABLE shop.api_keys (id int, revoked_at timestamptz);
      INSERT INTO shop.api_keys SELECT i, CASE WHEN i <= 3 THEN now() END FROM generate_series(1, 11) i;`);
  });
  afterEach(async () => db.drop());

  it('a pg.Pool is a SqlClient', () => {
    const client: SqlClient = db.pool;
    expect(client).toBeDefined();
  });

  it('builds one parameterised count per table', () => {
    expect(objectsCountSql(TABLES[1]!)).toBe('SELECT count(*)::float8 AS count FROM "users" WHERE (plan <> $1)');
    expect(objectsCountSql(TABLES[2]!)).toBe('SELECT count(*)::float8 AS count FROM "shop"."api_keys" WHERE (revoked_at IS NULL)');
  });

  it('counts every table into the current local hour', async () => {
    const { rows, run } = await readRows(objectsReader({ window: currentWindow(NOW, 'Europe/Paris'), tables: TABLES }), { website: db.pool });
    expect(run.status).toBe('succeeded');
    expect(rows).toEqual([{ dims: { date: '2026-01-15', hour: 0 }, metrics: { 'objects.users.count': 103, 'objects.paying_users.count': 25, 'objects.api_keys.count': 8 } }]);
  });

  it('uses the configured service name', async () => {
    const { rows } = await readRows(objectsReader({ window: currentWindow(NOW, 'UTC'), tables: [TABLES[0]!], service: 'crm' }), { crm: db.pool });
    expect(rows).toEqual([{ dims: { date: '2026-01-14', hour: 23 }, metrics: { 'objects.users.count': 103 } }]);
  });

  it('produces nothing for a past window and says why', async () => {
    const warnings: string[] = [];
    const past = backfillWindow(Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 2), 'UTC', NOW);
    const { rows, run } = await readRows(objectsReader({ window: past, tables: TABLES, onWarning: (m) => warnings.push(m) }), { website: db.pool });
    expect(run.status).toBe('succeeded');
    expect(rows).toEqual([]);
    expect(warnings).toEqual(["reader 'objects' reads current values only (a snapshot source has no history): nothing read for the past window 2026-01-01T00:00:00.000Z .. 2026-01-02T00:00:00.000Z"]);

    const strict = await readRows(objectsReader({ window: past, tables: TABLES, pastWindow: 'fail' }), { website: db.pool });
    expect(strict.run.status).toBe('failed');
    expect(strict.run.error).toMatch(/ReaderError: reader 'objects' reads current values only/);
  });

  it('treats an injection-looking table name as a name', async () => {
    const evil = 'users"; DROP TABLE users; --';
    const { run } = await readRows(objectsReader({ window: currentWindow(NOW, 'UTC'), tables: [{ name: 'x', table: evil }] }), { website: db.pool });
    expect(run.status).toBe('failed');
    expect(run.error).toContain(`ReaderError: reader 'objects': query failed (service 'website' at postgres://postgres@127.0.0.1:5432/${db.name}): relation "users"; DROP TABLE users; --" does not exist`);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM users');
    expect(rows[0].n).toBe(103);
  });

  it('checks its options when built', () => {
    const window = currentWindow(NOW, 'UTC');
    expect(() => objectsReader({ window, tables: [{ name: 'Users!', table: 'users' }] })).toThrow(ConfigError);
    expect(() => objectsReader({ window, tables: [{ name: 'a', table: 'users' }, { name: 'a', table: 'x' }] })).toThrow(/used twice/);
    expect(() => objectsReader({ window, tables: [{ name: 'a', table: 'a.b.c' }] })).toThrow(/tables\[0\]\.table/);
    expect(() => objectsReader({ window, tables: [{ name: 'a', table: 'users', where: 'true; DELETE FROM users' }] })).toThrow(/may not contain ';'/);
  });

  it('a server that cannot be reached fails naming the reader, host and database, never the password', async () => {
    const pool = new pg.Pool({ connectionString: 'postgres://app:hunter2@127.0.0.1:1/shop', connectionTimeoutMillis: 2000 });
    const { run } = await readRows(objectsReader({ window: currentWindow(NOW, 'UTC'), tables: TABLES }), { website: pool });
    await pool.end();
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^job 'read': node 'reader' failed: ReaderError: reader 'objects': cannot connect to the source database \(service 'website' at postgres:\/\/app@127\.0\.0\.1:1\/shop\): connect ECONNREFUSED 127\.0\.0\.1:1$/);
    expect(run.error).not.toContain('hunter2');
  });

  it('an unknown database fails the same way', async () => {
    const pool = new pg.Pool({ connectionString: 'postgres://postgres:s3cret@127.0.0.1:5432/etl_no_such_db' });
    const { run } = await readRows(objectsReader({ window: currentWindow(NOW, 'UTC'), tables: TABLES }), { website: pool });
    await pool.end();
    expect(run.error).toBe(
      `job 'read': node 'reader' failed: ReaderError: reader 'objects': cannot connect to the source database (service 'website' at postgres://postgres@127.0.0.1:5432/etl_no_such_db): database "etl_no_such_db" does not exist`,
    );
  });
});
