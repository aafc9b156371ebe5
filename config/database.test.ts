// The metrics database settings: environment over the file's settings, defaults, validation, no password in errors.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../graph/errors.js';
import { readDatabaseConfig, userCacheDir } from './database.js';

function error(env: Record<string, string>): ConfigError {
  try {
    readDatabaseConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('readDatabaseConfig', () => {
  it('has defaults: PGlite in ./.etl, schema etl, UTC, 90 and 30 days, timeouts 10s, 5m and 60s', () => {
    const config = readDatabaseConfig({});
    expect(config).toEqual({
      dataDir: './.etl',
      schema: 'etl',
      timeZone: 'UTC',
      hourlyRetentionDays: 90,
      runRetentionDays: 30,
      connectTimeoutMs: 10_000,
      statementTimeoutMs: 300_000,
      lockWaitMs: 60_000,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    const config = readDatabaseConfig({
      DATABASE_URL: 'postgres://etl:pw@db.example:5433/metrics',
      ETL_DATA_DIR: '/var/lib/etl',
      ETL_SCHEMA: 'metrics_2',
      ETL_TIMEZONE: 'Europe/Paris',
      ETL_RETENTION_DAYS: '400',
      ETL_RUN_RETENTION_DAYS: '7',
      ETL_LOCK_WAIT: '2m30s',
    });
    expect(config).toEqual({
      databaseUrl: 'postgres://etl:pw@db.example:5433/metrics',
      dataDir: '/var/lib/etl',
      schema: 'metrics_2',
      timeZone: 'Europe/Paris',
      hourlyRetentionDays: 400,
      runRetentionDays: 7,
      connectTimeoutMs: 10_000,
      statementTimeoutMs: 300_000,
      lockWaitMs: 150_000,
    });
  });

  it("uses the file's settings where no variable is set (blank counts as unset)", () => {
    const fromFile = {
      databaseUrl: 'postgres://etl@file/metrics',
      schema: 'kpi',
      timeZone: 'Europe/Paris',
      hourlyRetentionDays: 30,
      runRetentionDays: 10,
      connectTimeoutMs: 1_000,
      statementTimeoutMs: 2_000,
      lockWaitMs: 3_000,
    };
    expect(readDatabaseConfig({ ETL_SCHEMA: ' ', ETL_LOCK_WAIT: '' }, fromFile)).toEqual({ ...fromFile, dataDir: './.etl' });
    expect(readDatabaseConfig({ DATABASE_URL: 'postgres://etl@env/m', ETL_SCHEMA: 'kpi2', ETL_LOCK_WAIT: '1s' }, fromFile)).toMatchObject({
      databaseUrl: 'postgres://etl@env/m',
      schema: 'kpi2',
      lockWaitMs: 1_000,
      connectTimeoutMs: 1_000,
    });
  });

  it('names the variable and the bad value', () => {
    expect(error({ ETL_TIMEZONE: 'Europe/Pariss' }).message).toBe("ETL_TIMEZONE: 'Europe/Pariss' is not an IANA time zone (e.g. UTC, Europe/Paris)");
    expect(error({ ETL_RETENTION_DAYS: '-3' }).message).toBe("ETL_RETENTION_DAYS: '-3' is not a whole number of days from 1 to 100000");
    expect(error({ ETL_RUN_RETENTION_DAYS: '1.5' }).message).toBe("ETL_RUN_RETENTION_DAYS: '1.5' is not a whole number of days from 1 to 100000");
    expect(error({ ETL_RETENTION_DAYS: '0' }).message).toBe('ETL_RETENTION_DAYS: 0 is not a whole number of days from 1 to 100000');
    expect(error({ ETL_SCHEMA: 'etl; drop' }).message).toBe("ETL_SCHEMA: 'etl; drop' is not a schema name (lower-case letters, digits and '_', at most 63)");
    expect(error({ ETL_SCHEMA: 'a'.repeat(64) }).message).toContain(`ETL_SCHEMA: '${'a'.repeat(64)}' is not a schema name`);
    expect(error({ ETL_LOCK_WAIT: 'forever' }).message).toBe("ETL_LOCK_WAIT: 'forever' is not a duration (e.g. 500ms, 30s, 10m, 1h30m, 2d)");
    expect(error({ ETL_LOCK_WAIT: '0s' }).message).toBe("ETL_LOCK_WAIT: '0s' is not a positive duration");
  });

  it('never echoes a password from DATABASE_URL', () => {
    for (const url of ['postgres//etl:s3cret@host/db', 'mysql://etl:s3cret@host/db', 'postgres://:s3cret@host/db', 'postgres://etl:s3cret@[bad/db']) {
      const e = error({ DATABASE_URL: url });
      expect(e.message).toMatch(/^DATABASE_URL: /);
      expect(e.message).not.toContain('s3cret');
    }
  });

  it("caches the embedded database's template in the user's cache: $XDG_CACHE_HOME/etl-metrics, else ~/.cache/etl-metrics", () => {
    expect(userCacheDir({ XDG_CACHE_HOME: '/xdg', HOME: '/home/u' })).toBe('/xdg/etl-metrics');
    expect(userCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' })).toBe('/home/u/.cache/etl-metrics'); // ignored, as the XDG spec says
    expect(userCacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/etl-metrics');
    expect(userCacheDir({})).toBeUndefined();
    expect(readDatabaseConfig({ HOME: '/home/u' }).templateCacheDir).toBe('/home/u/.cache/etl-metrics');
  });
});
