import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ReaderError } from './reader-errors.js';
import { describeSqlTarget } from './sql-client.js';
import { sqlReaderError } from './sql-read.js';

describe('reader SQL failures', () => {
  it('describes a pool target without its password', async () => {
    const pool = new pg.Pool({ connectionString: 'postgres://app:hunter2@db.example:5433/shop?sslmode=require' });
    expect(describeSqlTarget(pool)).toBe('postgres://app@db.example:5433/shop');
    await pool.end();
    const byParts = new pg.Pool({ host: 'h', port: 5432, database: 'd', user: 'u', password: 'p' });
    expect(describeSqlTarget(byParts)).toBe('postgres://u@h:5432/d');
    await byParts.end();
    expect(describeSqlTarget({ dataDir: '/tmp/x' })).toBe('pglite:/tmp/x');
    expect(describeSqlTarget({ query: () => 1 })).toBeUndefined();
  });

  it("scrubs passwords from messages: the client's own, and any URL in the cause", () => {
    const cause = new Error('password authentication failed for hunter2 (postgres://app:other@host/db)');
    const error = sqlReaderError('events', 'website', { options: { password: 'hunter2' } }, cause);
    expect(error.message).toBe("reader 'events': query failed (service 'website'): password authentication failed for *** (postgres://app:***@host/db)");
  });

  it('names the reader, the service and the cause, also for an empty AggregateError', () => {
    const refused = Object.assign(new AggregateError([new Error('connect ECONNREFUSED ::1:5999'), new Error('connect ECONNREFUSED 127.0.0.1:5999')], ''), { code: 'ECONNREFUSED' });
    const error = sqlReaderError('events', 'website', { options: { connectionString: 'postgres://u:pw@localhost:5999/x' } }, refused);
    expect(error).toBeInstanceOf(ReaderError);
    expect(error.reader).toBe('events');
    expect(error.message).toBe(
      "reader 'events': cannot connect to the source database (service 'website' at postgres://u@localhost:5999/x): connect ECONNREFUSED ::1:5999; connect ECONNREFUSED 127.0.0.1:5999",
    );
    const sql = sqlReaderError('objects', 'shop', {}, Object.assign(new Error('relation "x" does not exist'), { code: '42P01' }));
    expect(sql.message).toBe(`reader 'objects': query failed (service 'shop'): relation "x" does not exist`);
  });
});
