import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { thrownMessage } from '../test/support/errors.js';
import { ConfigError } from '../graph/errors.js';
import { DEMO_CONFIG_FILE, loadConfig, maskSecrets } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'etl-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const configError = (run: () => unknown): string => thrownMessage(run, ConfigError);

describe('configuration', () => {
  it('falls back to the demo configuration when there is none', () => {
    const config = loadConfig({ env: {}, cwd: dir });
    expect(config.source).toEqual({ file: DEMO_CONFIG_FILE, demo: true });
    expect(config.file.sources).toEqual({ website: { demo: true } });
    expect(config.timeZone).toBe('UTC');
    expect(config.dataDir).toBe(join(dir, '.etl'));
    expect(Object.isFrozen(config.file.readers)).toBe(true);
  });

  it('reads ./etl.config.json, fills ${VAR} from the environment, lets ETL_* variables win', () => {
    const cwd = mkdtempSync(join(dir, 'local-'));
    writeFileSync(
      join(cwd, 'etl.config.json'),
      JSON.stringify({
        timeZone: 'Europe/Paris',
        sources: { website: { url: 'postgres://etl:${WEBSITE_PASSWORD}@db.internal/site' } },
        readers: { events: { source: 'website', table: '${EVENTS_TABLE:-events}' } },
        jobs: ['jobs/mine.js'],
      }),
    );
    const config = loadConfig({ env: { WEBSITE_PASSWORD: 's3cret', ETL_DATA_DIR: 'data', ETL_JOBS: 'x.js' }, cwd });
    expect(config.file.sources).toEqual({ website: { url: 'postgres://etl:s3cret@db.internal/site', connectTimeout: 10_000, statementTimeout: 300_000 } });
    expect((config.file.readers?.events as { table?: string } | undefined)?.table).toBe('events');
    expect(config.timeZone).toBe('Europe/Paris');
    expect(config.dataDir).toBe(join(cwd, 'data'));
    expect(config.jobModules).toEqual([join(cwd, 'jobs/mine.js'), join(cwd, 'x.js')]);
    expect(loadConfig({ env: { WEBSITE_PASSWORD: 'x', ETL_TIMEZONE: 'America/New_York' }, cwd }).timeZone).toBe('America/New_York');
  });

  it('names the file, the key and the problem', () => {
    const unknownKey = write('typo.json', { readers: { evnts: {} } });
    expect(configError(() => loadConfig({ explicit: unknownKey, env: {}, cwd: dir }))).toBe(`${unknownKey}: readers: Unrecognized key: "evnts": 'evnts'`);
    const badZone = write('zone.json', { timeZone: 'Mars/Olympus' });
    expect(configError(() => loadConfig({ explicit: badZone, env: {}, cwd: dir }))).toBe(
      `${badZone}: timeZone: 'Mars/Olympus' is not an IANA time zone (e.g. UTC, Europe/Paris)`,
    );
    const badTable = write('table.json', { readers: { objects: { tables: [{ name: 'Users!', table: 'users' }] } } });
    expect(configError(() => loadConfig({ explicit: badTable, env: {}, cwd: dir }))).toContain(`${badTable}: readers.objects.tables[0].name:`);
    const missingVar = write('env.json', { sources: { website: { url: '${NOPE_URL}' } } });
    expect(configError(() => loadConfig({ explicit: missingVar, env: {}, cwd: dir }))).toBe(
      `${missingVar}: sources.website.url: environment variable NOPE_URL is not set`,
    );
    const notJson = write('broken.json', '{ "timeZone": ');
    expect(configError(() => loadConfig({ explicit: notJson, env: {}, cwd: dir }))).toBe(`${notJson}:1:15: not valid JSON: value expected`);
    expect(configError(() => loadConfig({ explicit: 'missing.json', env: {}, cwd: dir }))).toBe('config file missing.json does not exist');
    expect(configError(() => loadConfig({ env: { ETL_TIMEZONE: 'Nowhere' }, cwd: dir }))).toContain("ETL_TIMEZONE: 'Nowhere'");
  });

  it('masks passwords in URLs and secret-looking keys', () => {
    expect(
      maskSecrets({
        sources: { website: { url: 'postgres://etl:s3cret@db/site' } },
        readers: { prometheus: { url: 'https://admin:hunter2@prom.example/', bearerToken: 'abc' } },
        other: { apiKey: 'k', password: 'p', plain: 'postgres://etl@db/site' },
      }),
    ).toEqual({
      sources: { website: { url: 'postgres://etl:***@db/site' } },
      readers: { prometheus: { url: 'https://admin:***@prom.example/', bearerToken: '***' } },
      other: { apiKey: '***', password: '***', plain: 'postgres://etl@db/site' },
    });
  });
});

describe('metrics database settings', () => {
  it('come from the file, with DATABASE_URL and ETL_* variables winning', () => {
    const cwd = mkdtempSync(join(dir, 'db-'));
    writeFileSync(
      join(cwd, 'etl.config.json'),
      JSON.stringify({ metricsDatabase: { url: 'postgres://etl@db.internal/metrics', schema: 'kpi' }, retention: { hourlyDays: 30 } }),
    );
    const fromFile = loadConfig({ env: {}, cwd }).database;
    expect(fromFile).toMatchObject({ databaseUrl: 'postgres://etl@db.internal/metrics', schema: 'kpi', hourlyRetentionDays: 30, runRetentionDays: 30, timeZone: 'UTC' });
    expect(fromFile.dataDir).toBe(join(cwd, '.etl'));
    const overridden = loadConfig({ env: { DATABASE_URL: 'postgres://other@host/m', ETL_SCHEMA: 'etl2', ETL_RETENTION_DAYS: '7' }, cwd }).database;
    expect(overridden).toMatchObject({ databaseUrl: 'postgres://other@host/m', schema: 'etl2', hourlyRetentionDays: 7 });
  });
});

describe('file settings checked as file keys, environment overrides as variables (issue 8)', () => {
  const load = (content: unknown, env: Record<string, string> = {}): ReturnType<typeof loadConfig> =>
    loadConfig({ explicit: write('issue8.json', content), env, cwd: dir });
  const failure = (content: unknown, env: Record<string, string> = {}): { file: string; message: string } => {
    const file = write('issue8-bad.json', content);
    return { file, message: configError(() => loadConfig({ explicit: file, env, cwd: dir })) };
  };

  it('names the file and the key of a bad metrics database setting, with the value', () => {
    let { file, message } = failure({ metricsDatabase: { schema: 'Bad-Name' } });
    expect(message).toBe(`${file}: metricsDatabase.schema: 'Bad-Name' is not a schema name (lower-case letters, digits and '_', at most 63)`);
    ({ file, message } = failure({ retention: { hourlyDays: 200000, runDays: 1.5 } }));
    expect(message).toBe(
      [
        `${file}: retention.hourlyDays: 200000 is not a whole number of days from 1 to 100000`,
        `${file}: retention.runDays: 1.5 is not a whole number of days from 1 to 100000`,
      ].join('\n'),
    );
    ({ file, message } = failure({ timeZone: 'Mars/Olympus' }));
    expect(message).toBe(`${file}: timeZone: 'Mars/Olympus' is not an IANA time zone (e.g. UTC, Europe/Paris)`);
    expect(message).not.toContain('ETL_');
  });

  it('checks metricsDatabase.url without echoing it', () => {
    const cases = [
      ['postgres//etl:s3cret@host/db', 'not a valid URL (value not shown: it may hold a password); expected postgres://user:password@host:port/database'],
      ['mysql://etl:s3cret@host/db', "scheme 'mysql:' is not postgres: or postgresql:"],
      ['postgres://:s3cret@host/db', 'no user name (write postgres://user@host/database; USER may be unset here)'],
    ] as const;
    for (const [url, problem] of cases) {
      const { file, message } = failure({ metricsDatabase: { url } });
      expect(message).toBe(`${file}: metricsDatabase.url: ${problem}`);
      expect(message).not.toContain('s3cret');
    }
    expect(load({ metricsDatabase: { url: 'postgresql://etl@db/metrics' } }).database.databaseUrl).toBe('postgresql://etl@db/metrics');
  });

  it('names the variable of a bad environment override, with the value', () => {
    const good = { metricsDatabase: { schema: 'kpi' }, timeZone: 'Europe/Paris' };
    expect(configError(() => load(good, { ETL_SCHEMA: 'Bad-Name' }))).toBe(
      "ETL_SCHEMA: 'Bad-Name' is not a schema name (lower-case letters, digits and '_', at most 63)",
    );
    expect(configError(() => load(good, { ETL_TIMEZONE: 'Mars/Olympus' }))).toBe(
      "ETL_TIMEZONE: 'Mars/Olympus' is not an IANA time zone (e.g. UTC, Europe/Paris)",
    );
    expect(configError(() => load(good, { ETL_RETENTION_DAYS: '200000' }))).toBe(
      'ETL_RETENTION_DAYS: 200000 is not a whole number of days from 1 to 100000',
    );
    const e = configError(() => load(good, { DATABASE_URL: 'mysql://etl:s3cret@host/db' }));
    expect(e).toBe("DATABASE_URL: scheme 'mysql:' is not postgres: or postgresql:");
  });

  it('lets the environment win over the file', () => {
    const config = load(
      { timeZone: 'Europe/Paris', metricsDatabase: { schema: 'kpi', lockWait: '2m' }, retention: { hourlyDays: 30, runDays: 10 } },
      { ETL_TIMEZONE: 'America/New_York', ETL_SCHEMA: 'kpi2', ETL_RUN_RETENTION_DAYS: '5', ETL_LOCK_WAIT: '90s' },
    );
    expect(config.timeZone).toBe('America/New_York');
    expect(config.database).toMatchObject({ timeZone: 'America/New_York', schema: 'kpi2', hourlyRetentionDays: 30, runRetentionDays: 5, lockWaitMs: 90_000 });
  });

  it('reads the timeouts as milliseconds, with defaults', () => {
    const defaults = load({ sources: { website: { url: 'postgres://etl@db/site' }, demo: { demo: true } } });
    expect(defaults.file.sources).toEqual({
      website: { url: 'postgres://etl@db/site', connectTimeout: 10_000, statementTimeout: 300_000 },
      demo: { demo: true },
    });
    expect(defaults.database).toMatchObject({ connectTimeoutMs: 10_000, statementTimeoutMs: 300_000, lockWaitMs: 60_000 });
    const set = load({
      metricsDatabase: { connectTimeout: '5s', statementTimeout: '1h30m', lockWait: 2500 },
      sources: { website: { url: 'postgres://etl@db/site', connectTimeout: '3s', statementTimeout: '10m' } },
      readers: { googleAnalytics: { propertyId: '123', metrics: { sessions: 'ga.sessions' }, timeout: '2m' } },
    });
    expect(set.database).toMatchObject({ connectTimeoutMs: 5_000, statementTimeoutMs: 5_400_000, lockWaitMs: 2_500 });
    expect(set.file.sources?.website).toEqual({ url: 'postgres://etl@db/site', connectTimeout: 3_000, statementTimeout: 600_000 });
    expect((set.file.readers?.googleAnalytics as { timeout?: number } | undefined)?.timeout).toBe(120_000);
    expect((load({ readers: { googleAnalytics: { propertyId: '123', metrics: { sessions: 'ga.sessions' } } } }).file.readers?.googleAnalytics as { timeout?: number } | undefined)?.timeout).toBe(60_000);
  });

  it('names the key and the value of a bad duration', () => {
    let { file, message } = failure({ sources: { website: { url: 'postgres://etl@db/site', connectTimeout: 'soon' } } });
    expect(message).toBe(`${file}: sources.website.connectTimeout: 'soon' is not a duration (e.g. 500ms, 30s, 10m, 1h30m, 2d)`);
    ({ file, message } = failure({ sources: { website: { url: 'postgres://etl@db/site', statementTimeout: true } } }));
    expect(message).toBe(`${file}: sources.website.statementTimeout: true is not a duration (e.g. 500ms, 30s, 10m, 1h30m, 2d)`);
    ({ file, message } = failure({ metricsDatabase: { lockWait: 0, connectTimeout: 1.5 } }));
    expect(message).toBe(
      [
        `${file}: metricsDatabase.connectTimeout: 1.5 is not a duration (a whole number of milliseconds)`,
        `${file}: metricsDatabase.lockWait: 0 is not a positive duration`,
      ].join('\n'),
    );
    ({ file, message } = failure({ readers: { googleAnalytics: { propertyId: '123', metrics: { sessions: 'ga.sessions' }, timeout: '30d' } } }));
    expect(message).toBe(`${file}: readers.googleAnalytics.timeout: '30d' is longer than 24d20h31m23s647ms (the longest timer)`);
    expect(configError(() => load({}, { ETL_LOCK_WAIT: '60' }))).toBe("ETL_LOCK_WAIT: '60' is not a duration (e.g. 500ms, 30s, 10m, 1h30m, 2d)");
  });
});

describe('config check masking (issue 8)', () => {
  it('masks passwords pg would read, whatever they hold, and secret query parameters, for any scheme', () => {
    expect(
      maskSecrets({
        sources: {
          at: { url: 'postgresql://etl:Sec@ret99x@db/site' },
          query: { url: 'postgresql://etl@db/site?password=qp&sslmode=disable' },
          ssl: { url: 'postgres://etl@db/site?sslkey=/keys/client.key&sslpassword=kp' },
          space: { url: 'postgresql://etl:pa ss@db/site' },
          slash: { url: 'postgresql://etl:pa/ss@db/site' },
          hash: { url: 'postgresql://etl:12#ss@db/site' },
        },
        metricsDatabase: { url: 'postgres//etl:s3cret@host/db' },
        readers: { prometheus: { url: 'https://user:tok@prom.example/path?token=x', timeoutMs: 5000 } },
        cache: { url: 'redis://:pw@cache:6379' },
      }),
    ).toEqual({
      sources: {
        at: { url: 'postgresql://etl:***@db/site' },
        query: { url: 'postgresql://etl@db/site?password=***&sslmode=disable' },
        ssl: { url: 'postgres://etl@db/site?sslkey=/keys/client.key&sslpassword=***' },
        space: { url: 'postgresql://etl:***@db/site' },
        slash: { url: 'postgresql://(invalid URL, not shown)' },
        hash: { url: 'postgresql://etl:***@db/site' },
      },
      metricsDatabase: { url: '(invalid URL, not shown)' },
      readers: { prometheus: { url: 'https://user:***@prom.example/path?token=***', timeoutMs: 5000 } },
      cache: { url: 'redis://:***@cache:6379' },
    });
  });

  it('masks secret-looking keys whatever they hold, and URLs inside other strings', () => {
    expect(
      maskSecrets({
        googleAnalytics: { accessToken: 'ya29.x', keyFile: '/etc/etl/ga.json', credentials: { client_email: 'a@b.example', private_key: 'k' } },
        other: { secret: 's', api_key: 'k', privateKey: 'p', token: 12345, useToken: true, note: 'mirror of postgres://etl:Sec@ret99x@db/site, read-only' },
        tables: [{ name: 'api_keys', table: 'api_keys', where: 'revoked_at IS NULL' }],
      }),
    ).toEqual({
      googleAnalytics: { accessToken: '***', keyFile: '/etc/etl/ga.json', credentials: '***' },
      other: { secret: '***', api_key: '***', privateKey: '***', token: '***', useToken: true, note: 'mirror of postgres://etl:***@db/site, read-only' },
      tables: [{ name: 'api_keys', table: 'api_keys', where: 'revoked_at IS NULL' }],
    });
  });

  it('leaves values without secrets unchanged', () => {
    const plain = { sources: { website: { url: 'postgres://etl@db/site' } }, readers: { prometheus: { url: 'https://prom.example:9090/' } }, timeZone: 'UTC' };
    expect(maskSecrets(plain)).toEqual(plain);
  });
});
