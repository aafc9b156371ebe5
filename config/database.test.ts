// The metrics database settings read from the environment: defaults, validation, no password in errors.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../graph/errors.js';
import { readDatabaseConfig } from './database.js';

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
  it('has defaults: PGlite in ./.etl, schema etl, UTC, 90 and 30 days', () => {
    const config = readDatabaseConfig({});
    expect(config).toEqual({ dataDir: './.etl', schema: 'etl', timeZone: 'UTC', hourlyRetentionDays: 90, runRetentionDays: 30 });
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
    });
    expect(config).toEqual({
      databaseUrl: 'postgres://etl:pw@db.example:5433/metrics',
      dataDir: '/var/lib/etl',
      schema: 'metrics_2',
      timeZone: 'Europe/Paris',
      hourlyRetentionDays: 400,
      runRetentionDays: 7,
    });
  });

  it('names the variable and the bad value', () => {
    expect(error({ ETL_TIMEZONE: 'Europe/Pariss' }).message).toBe('ETL_TIMEZONE: "Europe/Pariss" is not an IANA time zone (e.g. UTC, Europe/Paris)');
    expect(error({ ETL_RETENTION_DAYS: '-3' }).message).toContain('ETL_RETENTION_DAYS: "-3"');
    expect(error({ ETL_RUN_RETENTION_DAYS: '1.5' }).message).toContain('ETL_RUN_RETENTION_DAYS: "1.5"');
    expect(error({ ETL_SCHEMA: 'etl; drop' }).message).toContain('ETL_SCHEMA: "etl; drop"');
  });

  it('never echoes a password from DATABASE_URL', () => {
    for (const url of ['postgres//etl:s3cret@host/db', 'mysql://etl:s3cret@host/db', 'postgres://:s3cret@host/db']) {
      const e = error({ DATABASE_URL: url });
      expect(e.message).toMatch(/^DATABASE_URL: /);
      expect(e.message).not.toContain('s3cret');
    }
  });
});
