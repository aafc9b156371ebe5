import { expect, it } from 'vitest';
import { createTestDatabase } from './pg.js';

it('creates and drops a database of its own', async () => {
  const db = await createTestDatabase('etl_support');
  const { rows } = await db.pool.query<{ current_database: string }>('SELECT current_database()');
  expect(rows[0]!.current_database).toBe(db.name);
  await db.drop();
  const check = await createTestDatabase('etl_support');
  const { rows: left } = await check.pool.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name]);
  expect(left).toHaveLength(0);
  await check.drop();
});
