// The shared embedded database asks for its password (SCRAM-SHA-256): psql and pg without it, or with a wrong one, are refused.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsDbSettings } from '../writers/open-metrics-db.js';
import { openSharedMetricsDb } from '../writers/shared-metrics-db.js';
import { openPglite } from './open-pglite.js';
import { advertisementFile, findSharedPglite, sharePglite, type PgliteShare } from './pglite-share.js';
import { passwordFile, readSharePassword } from './share-password.js';
import { cstring, message, startupPacket } from './wire-messages.js';
import { scramClient } from '../test/support/scram-client.js';

const root = mkdtempSync(join(tmpdir(), 'etl-share-auth-'));
const dir = join(root, 'data', 'metrics-db');
const notices: string[] = [];
let pglite: PGlite;
let share: PgliteShare;

beforeAll(async () => {
  pglite = await openPglite(dir, { templateCacheDir: join(root, 'cache') });
  await pglite.exec(`CREATE TABLE kept (n int); INSERT INTO kept VALUES (1)`);
  share = await sharePglite(pglite, dir, { onNotice: (m) => notices.push(m), authenticationTimeoutMs: 500 });
});

afterAll(async () => {
  await share?.close();
  await pglite?.close();
  rmSync(root, { recursive: true, force: true });
});

/** psql as another local user would run it: `-U anyone`, never prompting, no ~/.pgpass, PGPASSWORD as given. */
function psql(password?: string): Promise<{ code: number | null; out: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('PG')) env[key] = value;
  if (password !== undefined) env.PGPASSWORD = password;
  const args = ['-h', '127.0.0.1', '-p', String(share.port), '-U', 'anyone', '-d', 'anything', '-w', '-At', '-c', 'select count(*) from kept'];
  const options = { encoding: 'utf8' as const, env: { ...env, PGPASSFILE: join(root, 'no-pgpass'), PGCONNECT_TIMEOUT: '5' }, timeout: 20_000 };
  return new Promise((resolve) => {
    // Not spawnSync: the server answers from this process's event loop.
    execFile('psql', args, options, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, out: `${stdout}${stderr}` }));
  });
}

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe('the shared embedded database requires its password', () => {
  it('psql -U anyone without a password, or with a wrong one, fails authentication; with the password it works', async () => {
    const password = readSharePassword(dir)!;
    expect(password).toMatch(/^[\w-]{32}$/);
    const none = await psql();
    expect(none.code).not.toBe(0);
    expect(none.out).toContain('no password supplied');
    const wrong = await psql('not-the-password');
    expect(wrong.code).not.toBe(0);
    expect(wrong.out).toContain('password authentication failed for user "anyone"');
    expect(await psql(password)).toEqual({ code: 0, out: '1\n' });
    expect(notices.join('\n')).not.toContain(password);
  });

  it('pg with a wrong password gets 28P01; our own clients read the password and go through', async () => {
    const wrong = new pg.Client({ host: share.host, port: share.port, user: 'grafana', password: 'guess', connectionTimeoutMillis: 5_000 });
    await expect(wrong.connect()).rejects.toMatchObject({ code: '28P01' });
    const db = openSharedMetricsDb(findSharedPglite(dir)!, metricsDbSettings({}));
    try {
      expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM kept')).rows).toEqual([{ n: 1 }]);
      expect(db.secrets).toEqual([readSharePassword(dir)]);
    } finally {
      await db.close();
    }
  });

  it('the data directory and the database are 0700; the password and the advertisement 0600 (not in the advertisement)', () => {
    expect(mode(dirname(dir))).toBe('700');
    expect(mode(dir)).toBe('700');
    expect(share.passwordFile).toBe(passwordFile(dir));
    expect(mode(passwordFile(dir))).toBe('600');
    expect(mode(advertisementFile(dir))).toBe('600');
    expect(readFileSync(advertisementFile(dir), 'utf8')).not.toContain(readSharePassword(dir)!);
  });

  it('a client that sends a query without authenticating, or never authenticates, is disconnected; nothing reaches PGlite', async () => {
    const replies = (write: (socket: ReturnType<typeof connect>) => void): Promise<string> =>
      new Promise((resolve) => {
        const socket = connect(share.port, share.host);
        let got = '';
        socket.on('data', (chunk: Buffer) => (got += chunk.toString('latin1')));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(got));
        write(socket);
      });
    const startup = startupPacket({ user: 'anyone', database: 'x' });
    const query = message('Q', cstring('DROP TABLE kept'));
    const skipped = await replies((s) => s.write(Buffer.concat([startup, query])));
    expect(skipped).toContain('C08P01');
    expect(skipped).toContain('expected a SASL response');
    const idle = await replies((s) => s.write(startup)); // asked for SCRAM, answers nothing
    expect(idle).toContain('canceling authentication due to timeout');
    const otherMechanism = await replies((s) => s.write(Buffer.concat([startup, scramClient('x', 'SCRAM-SHA-1').initial()])));
    expect(otherMechanism).toContain('C28000');
    expect((await pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM kept')).rows).toEqual([{ n: 1 }]);
  });

  it('the password is kept across shares; a configured one replaces it', async () => {
    const generated = readSharePassword(dir)!;
    await share.close();
    share = await sharePglite(pglite, dir);
    expect(readSharePassword(dir)).toBe(generated);
    expect((await psql(generated)).code).toBe(0);
    await share.close();
    share = await sharePglite(pglite, dir, { password: 'configured for Grafana' });
    expect(readSharePassword(dir)).toBe('configured for Grafana');
    expect(mode(passwordFile(dir))).toBe('600');
    expect(await psql('configured for Grafana')).toEqual({ code: 0, out: '1\n' });
    expect((await psql(generated)).out).toContain('password authentication failed');
  });
});
