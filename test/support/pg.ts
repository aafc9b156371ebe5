// Test helper: a fresh PostgreSQL database per test file on the local server, dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  readonly pool: pg.Pool;
  drop(): Promise<void>;
}

/**
 * Creates database `<prefix>_<random>` (on the server of `adminUrl`, default TEST_PG_ADMIN_URL or the local
 * one), with a pool of `max` connections; `drop()` closes the pool and drops it.
 */
export async function createTestDatabase(prefix = 'etl_test', options: { readonly adminUrl?: string; readonly max?: number } = {}): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? ADMIN_URL;
  const name = `${prefix}_${randomBytes(5).toString('hex')}`.toLowerCase();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 4 });
  // drop() terminates whatever is still connected (57P01); any other idle-client error is a real failure.
  pool.on('error', (error: Error & { code?: string }) => {
    if (error.code !== '57P01') throw error;
  });
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
