// `metricsDatabase.serve`: checked with errors naming the key, the password from the environment and masked.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../graph/errors.js';
import { thrownMessage } from '../test/support/errors.js';
import { loadConfig, maskSecrets, type LoadedConfig } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'etl-serve-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function load(metricsDatabase: unknown, env: Record<string, string> = {}): LoadedConfig {
  files += 1;
  const file = join(dir, `c${files}.json`);
  writeFileSync(file, JSON.stringify({ metricsDatabase }));
  return loadConfig({ explicit: file, env, cwd: dir });
}
/** The message of the ConfigError, without the file name in front. */
const problem = (metricsDatabase: unknown, env: Record<string, string> = {}): string =>
  thrownMessage(() => load(metricsDatabase, env), ConfigError).replace(/^\S+\.json: /, '');

describe('metricsDatabase.serve', () => {
  it('is passed to the database settings, with the password from ${ENV}', () => {
    const config = load({ serve: { port: 5433, password: '${ETL_METRICS_DB_PASSWORD}', user: 'grafana' } }, { ETL_METRICS_DB_PASSWORD: 'pw-from-env-123' });
    expect(config.database.serve).toEqual({ port: 5433, password: 'pw-from-env-123', user: 'grafana' });
    expect(load({ serve: {} }).database.serve).toEqual({});
    expect(load({}).database.serve).toBeUndefined();
  });

  it('names the key and the problem of a bad port, host, password or user', () => {
    expect(problem({ serve: { port: 0 } })).toBe('metricsDatabase.serve.port: 0 is not a port number (a whole number from 1 to 65535)');
    expect(problem({ serve: { port: 65_536 } })).toBe('metricsDatabase.serve.port: 65536 is not a port number (a whole number from 1 to 65535)');
    expect(problem({ serve: { port: 54.5 } })).toBe('metricsDatabase.serve.port: 54.5 is not a port number (a whole number from 1 to 65535)');
    expect(problem({ serve: { port: '5433' } })).toBe("metricsDatabase.serve.port: '5433' is not a port number (a whole number from 1 to 65535)");
    expect(problem({ serve: { host: '' } })).toBe('metricsDatabase.serve.host: must not be empty');
    expect(problem({ serve: { password: '' } })).toMatch(/^metricsDatabase\.serve\.password: must not be empty/);
    expect(problem({ serve: { user: 'a b' } })).toMatch(/^metricsDatabase\.serve\.user: letters, digits/);
    expect(problem({ serve: { prot: 1 } })).toBe(`metricsDatabase.serve: Unrecognized key: "prot": 'prot'`);
  });

  it('refuses a non-loopback host without an explicit password, saying why', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'grafana.internal']) {
      const message = problem({ serve: { host } });
      expect(message).toMatch(new RegExp(`^metricsDatabase\\.serve\\.host: '${host.replace(/\./g, '\\.')}' is not a loopback address: set metricsDatabase\\.serve\\.password too`));
      expect(message).toMatch(/file on this machine only/);
    }
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]']) expect(load({ serve: { host } }).database.serve).toEqual({ host });
    expect(load({ serve: { host: '0.0.0.0', password: 'chosen-one' } }).database.serve).toEqual({ host: '0.0.0.0', password: 'chosen-one' });
  });

  it('is an error with metricsDatabase.url (nothing would listen on that port), and dropped when DATABASE_URL wins', () => {
    expect(problem({ url: 'postgres://etl@db/metrics', serve: { port: 5433 } })).toMatch(/^metricsDatabase\.serve: serves the embedded database only: with metricsDatabase\.url/);
    expect(load({ serve: { port: 5433 } }, { DATABASE_URL: 'postgres://etl@db/metrics' }).database.serve).toBeUndefined();
  });

  it('never shows the password: not in errors, masked by `etl config check`', () => {
    const secret = 'Sup3r-secret-pw';
    expect(problem({ serve: { password: secret, port: -1 } })).not.toContain(secret);
    expect(problem({ serve: { password: 42 } })).not.toContain('42');
    const config = load({ serve: { port: 5433, password: '${PW}' } }, { PW: secret });
    expect(JSON.stringify(maskSecrets(config.file))).not.toContain(secret);
    expect(maskSecrets(config.file)).toMatchObject({ metricsDatabase: { serve: { port: 5433, password: '***' } } });
  });
});
