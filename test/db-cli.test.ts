// `etl db`, `etl clean`, `etl metrics` as a user runs them: compiled CLI, real PostgreSQL and PGlite, exit codes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMetricsDb } from '../writers/open-metrics-db.js';
import { hourlyWriter, dailyWriter } from '../writers/value-writer.js';
import { createTestDatabase, type TestDatabase } from './support/pg.js';
import { writeRows } from './writers-backends.js';

const bin = join(resolve(import.meta.dirname, '..'), 'dist/cli/main.js');
let dir: string;
let database: TestDatabase;
let urlWithPassword: string;

function etl(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    cwd: dir,
    env: { ...process.env, DATABASE_URL: '', ETL_DATA_DIR: join(dir, 'data'), ETL_TIMEZONE: '', ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'etl-db-cli-'));
  database = await createTestDatabase('etl_db_cli');
  // Trust authentication ignores the password: it is there to check that it is never printed.
  urlWithPassword = database.url.replace('postgres@', 'postgres:hunter2-secret@');
});
afterAll(async () => {
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('etl db / clean / metrics on PostgreSQL', () => {
  it('migrates, describes the database with the password masked, lists and cleans', async () => {
    const env = { DATABASE_URL: urlWithPassword };
    const before = etl(['db', 'info', '--json'], env);
    expect(before.code, before.stderr).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({ backend: 'postgres', schema: 'etl', version: 0, rows: null });
    expect(JSON.parse(before.stdout).target).toBe(database.url.replace('postgres@', 'postgres:***@'));

    const migrated = etl(['db', 'migrate'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toContain('version 8 (applied migrations 1, 2, 3, 4, 5, 6, 7, 8)');
    expect(etl(['db', 'migrate'], env).stdout).toContain('version 8 (already up to date)');

    const db = await openMetricsDb({ databaseUrl: database.url, dataDir: dir });
    const today = new Date().toISOString().slice(0, 10);
    await writeRows(
      db,
      [
        { dims: { date: '2020-01-01', hour: 1 }, metrics: { 'old.visits': 5 } },
        { dims: { date: today, hour: 0 }, metrics: { 'new.visits': 7 } },
        { dims: { date: '2020-01-01' }, metrics: { 'old.visits': 50 } },
      ],
      { hourly: hourlyWriter(), daily: dailyWriter() },
    );
    await db.close();

    const info = etl(['db', 'info'], env);
    expect(info.stdout).toMatch(/rows hourly_value\s+2/);
    expect(info.stdout).toContain('postgres:***@');

    const listed = etl(['metrics', '--json', '--prefix', 'old.'], env);
    expect(JSON.parse(listed.stdout)).toEqual([
      { name: 'old.visits', unit: null, kind: null, description: null, hourly: { date: '2020-01-01', hour: 1, value: 5 }, daily: { date: '2020-01-01', value: 50 } },
    ]);
    const table = etl(['metrics'], env);
    expect(table.stdout.split('\n')[0]).toMatch(/^metric\s+unit\s+latest hourly\s+value\s+latest daily\s+value$/);
    expect(table.stdout).toMatch(/new\.visits\s+\S+ 00:00\s+7\s+-/);

    const cleaned = etl(['clean', '--json'], env);
    expect(cleaned.code, cleaned.stderr).toBe(0);
    expect(JSON.parse(cleaned.stdout)).toMatchObject({ deleted: { hourlyValues: 1, jobRuns: 0 } });
    const refused = etl(['clean', '--retention-days', '0'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--retention-days 0 deletes every hourly value dated before today; nothing was deleted. Pass --yes');
    const text = etl(['clean', '--retention-days', '0', '--yes'], env);
    expect(text.stdout).toContain(`deleted 0 hourly values dated before ${today}\ndeleted 0 run records from before`);

    for (const output of [before, migrated, info, listed, table, cleaned, text]) {
      expect(output.stdout + output.stderr).not.toContain('hunter2');
    }
  });

  it('runs the clean job', () => {
    const run = etl(['run', 'clean', '--json'], { DATABASE_URL: urlWithPassword });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ job: 'clean', status: 'succeeded' });
  });

  it('exits 2 on bad options or settings, 1 when the database cannot be reached, never printing the password', () => {
    expect(etl(['metrics', '--from', '2026-02-30']).code).toBe(2);
    expect(etl(['clean', '--retention-days', 'ten']).code).toBe(2);
    const zone = etl(['db', 'info'], { ETL_TIMEZONE: 'Europe/Pariss' });
    expect([zone.code, zone.stderr.trim()]).toEqual([2, "etl: ConfigError: ETL_TIMEZONE: 'Europe/Pariss' is not an IANA time zone (e.g. UTC, Europe/Paris)"]);
    const badUrl = etl(['db', 'info'], { DATABASE_URL: 'postgres//user:hunter2@host/db' });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('DATABASE_URL');
    const down = etl(['db', 'migrate'], { DATABASE_URL: 'postgres://postgres:hunter2@127.0.0.1:1/nothing' });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('postgres://postgres:***@127.0.0.1:1/nothing');
    for (const output of [badUrl, down]) expect(output.stdout + output.stderr).not.toContain('hunter2');
  });
});

describe('etl db on PGlite', () => {
  it('keeps the embedded database in ETL_DATA_DIR between runs', () => {
    const first = etl(['db', 'migrate']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`pglite:${join(dir, 'data', 'metrics-db')}`);
    const info = etl(['db', 'info', '--json']);
    expect(JSON.parse(info.stdout)).toMatchObject({ backend: 'pglite', version: 8, rows: { metric: 0 } });
    const run = etl(['run', 'example']);
    expect(run.code).toBe(0);
    expect(etl(['metrics', '--json']).stdout.trim()).toBe('[]');
  });
});
