import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../graph/errors.js';
import { DEMO_CONFIG_FILE, loadConfig, maskSecrets } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'etl-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

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
    expect(config.file.sources).toEqual({ website: { url: 'postgres://etl:s3cret@db.internal/site' } });
    expect(config.file.readers?.events?.table).toBe('events');
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
      `${badZone}: timeZone: not an IANA time zone (e.g. UTC, Europe/Paris)`,
    );
    const badTable = write('table.json', { readers: { objects: { tables: [{ name: 'Users!', table: 'users' }] } } });
    expect(configError(() => loadConfig({ explicit: badTable, env: {}, cwd: dir }))).toContain(`${badTable}: readers.objects.tables[0].name:`);
    const missingVar = write('env.json', { sources: { website: { url: '${NOPE_URL}' } } });
    expect(configError(() => loadConfig({ explicit: missingVar, env: {}, cwd: dir }))).toBe(
      `${missingVar}: sources.website.url: environment variable NOPE_URL is not set`,
    );
    const notJson = write('broken.json', '{ "timeZone": ');
    expect(configError(() => loadConfig({ explicit: notJson, env: {}, cwd: dir }))).toContain(`${notJson}: not valid JSON`);
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
