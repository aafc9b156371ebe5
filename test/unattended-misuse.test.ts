// Safe to run unattended (issue 8): misuse of the real `etl` binary on the demo configuration is refused or clipped, never silently wrong.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createTestDatabase } from './support/pg.js';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'dist/cli/main.js');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const DAY_MS = 86_400_000;

/** The working directory of every command: no etl.config.json, so the demo configuration is used. */
let cwd: string;
/** The data directory the demo tests share (embedded metrics database and demo website, created once). */
let dataDir: string;

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** This machine's environment without etl's own variables, then the demo data directory and `extra`. */
function env(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('ETL_') && key !== 'DATABASE_URL') clean[key] = value;
  return { ...clean, ETL_DATA_DIR: dataDir, ...extra };
}

function etl(args: readonly string[], extraEnv: Readonly<Record<string, string>> = {}): Outcome {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    cwd,
    env: env(extraEnv),
    timeout: 120_000,
    killSignal: 'SIGKILL',
    maxBuffer: 1024 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `etl` that must exit 0; returns its stdout. */
function ok(args: readonly string[], extraEnv: Readonly<Record<string, string>> = {}): string {
  const run = etl(args, extraEnv);
  expect(run.code, `etl ${args.join(' ')}: ${run.stderr}`).toBe(0);
  return run.stdout;
}

/** A UTC date (YYYY-MM-DD) `days` from today. */
const utcDate = (days: number): string => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

type Counts = Readonly<Record<'metric' | 'hourly_value' | 'daily_value' | 'job_run', number>>;

function rowCounts(extraEnv: Readonly<Record<string, string>> = {}): Counts {
  const info = JSON.parse(ok(['db', 'info', '--json'], extraEnv)) as { rows: Counts | null };
  expect(info.rows).not.toBeNull();
  return info.rows!;
}

interface MetricJson {
  readonly name: string;
  readonly hourly: { readonly date: string; readonly hour: number } | null;
  readonly daily: { readonly date: string } | null;
}

function writeFile(name: string, content: unknown): string {
  const file = join(cwd, name);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'etl-unattended-misuse-'));
  dataDir = join(cwd, 'data');
  // The first write: creates both embedded databases (several seconds) and records the zone, UTC.
  ok(['read', 'events', '--write']);
}, 180_000);

afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('read windows', () => {
  it('clips a --to after now to now: no hour or day to come is written', () => {
    const run = etl(['read', 'events', '--write', '--from', utcDate(-1), '--to', '2030-01-01']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('note: --to 2030-01-01 is after now: the window ends now');

    const metrics = JSON.parse(ok(['metrics', '--json'])) as MetricJson[];
    const now = new Date().toISOString();
    const [today, hourNow] = [now.slice(0, 10), Number(now.slice(11, 13))];
    const hourly = metrics.filter((m) => m.hourly !== null).map((m) => ({ name: m.name, date: m.hourly!.date, hour: m.hourly!.hour }));
    const daily = metrics.filter((m) => m.daily !== null).map((m) => ({ name: m.name, date: m.daily!.date }));
    expect(hourly.length).toBeGreaterThan(0);
    expect(daily.length).toBeGreaterThan(0);
    expect(hourly.filter((v) => v.date > today || (v.date === today && v.hour > hourNow))).toEqual([]);
    expect(daily.filter((v) => v.date > today)).toEqual([]);
  });

  it('refuses a window in the future, an empty window and --to without --from (exit 2)', () => {
    const future = etl(['read', 'events', '--from', '2030-01-01']);
    expect(future.code, future.stderr).toBe(2);
    expect(future.stderr).toContain('is in the future');

    const empty = etl(['read', 'events', '--from', '2026-11-05', '--to', '2026-11-05']);
    expect(empty.code, empty.stderr).toBe(2);
    expect(empty.stderr).toContain('--from 2026-11-05 must be before --to 2026-11-05');

    const toOnly = etl(['read', 'events', '--to', utcDate(-1)]);
    expect(toOnly.code, toOnly.stderr).toBe(2);
    expect(toOnly.stderr).toContain('--to');
  });

  it('prints a dry run of two years as a table of more than 100,000 lines ending with the count', () => {
    const run = etl(['read', 'all', '--from', utcDate(-730)]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^date\s+hour\s+metric\s+value$/);
    expect.soft(lines.length).toBeGreaterThan(100_000);
    expect(lines[lines.length - 1]).toMatch(/^\d+ values$/);
    expect(Number(/^(\d+) values$/.exec(lines[lines.length - 1]!)?.[1])).toBe(lines.length - 2);
  });
});

describe('clean', () => {
  it('--retention-days 0 deletes nothing without --yes (exit 2), and deletes with it', () => {
    ok(['read', 'events', '--write', '--from', utcDate(-1)]);
    const before = rowCounts().hourly_value;
    expect(before).toBeGreaterThan(0);

    const refused = etl(['clean', '--retention-days', '0']);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('--retention-days 0 deletes every hourly value dated before today; nothing was deleted');
    expect(rowCounts().hourly_value).toBe(before);

    ok(['clean', '--retention-days', '0', '--yes']);
    expect(rowCounts().hourly_value).toBeLessThan(before);
  });
});

describe('time zone of the metrics database', () => {
  it('refuses a write in another zone than the recorded one until it is changed on purpose', () => {
    const paris = { ETL_TIMEZONE: 'Europe/Paris' };
    const before = rowCounts();
    const refused = etl(['read', 'events', '--write'], paris);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toContain('holds dates and hours in UTC, but this run writes in Europe/Paris');
    expect(refused.stderr).toContain('etl db time-zone Europe/Paris --yes');
    const after = rowCounts();
    expect([after.hourly_value, after.daily_value]).toEqual([before.hourly_value, before.daily_value]);

    expect(ok(['db', 'time-zone']).trim()).toBe('UTC');
    const noYes = etl(['db', 'time-zone', 'Europe/Paris']);
    expect(noYes.code, noYes.stderr).toBe(2);
    expect(ok(['db', 'time-zone']).trim()).toBe('UTC');
    ok(['db', 'time-zone', 'Europe/Paris', '--yes']);
    expect(ok(['db', 'time-zone']).trim()).toBe('Europe/Paris');
    ok(['read', 'events', '--write'], paris);

    // Back to UTC, as the other tests of this file expect.
    ok(['db', 'time-zone', 'UTC', '--yes'], paris);
  });
});

describe('errors that say what to do', () => {
  it('suggests the name meant, and prints the version', () => {
    const source = etl(['read', 'event']);
    expect(source.code, source.stderr).toBe(2);
    expect(source.stderr).toContain("did you mean 'events'?");
    const job = etl(['run', 'al']);
    expect(job.code, job.stderr).toBe(2);
    expect(job.stderr).toContain("did you mean 'all'?");
    expect(ok(['--version']).trim()).toBe(version);
  });

  it('config check names the file, the key and the bad value (exit 2)', () => {
    const cases: Array<[string, unknown, string]> = [
      ['bad-schema.json', { metricsDatabase: { schema: 'Bad-Name' } }, "metricsDatabase.schema: 'Bad-Name'"],
      ['bad-retention.json', { retention: { hourlyDays: 200000 } }, 'retention.hourlyDays: 200000'],
      ['bad-zone.json', { timeZone: 'Mars/Olympus' }, "timeZone: 'Mars/Olympus' is not an IANA time zone"],
    ];
    for (const [name, content, expected] of cases) {
      const file = writeFile(name, content);
      const check = etl(['config', 'check', '--config', file]);
      expect(check.code, `${name}: ${check.stderr}`).toBe(2);
      expect(check.stderr).toContain(`${file}: ${expected}`);
    }
  });

  it('a metrics database that does not exist fails the write (exit 1)', () => {
    const url = `postgres://postgres@127.0.0.1:5432/no_such_db_${randomBytes(4).toString('hex')}`;
    const run = etl(['read', 'events', '--write'], { DATABASE_URL: url });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('does not exist');
  });

  it('db info reports a schema changed by hand as damaged (exit 1), naming the table and column', async () => {
    const metrics = await createTestDatabase('etl_unattended_misuse');
    onTestFinished(() => metrics.drop());
    const pg = { DATABASE_URL: metrics.url };
    ok(['db', 'migrate'], pg);
    expect(ok(['db', 'info'], pg)).toContain('up to date');

    await metrics.pool.query('ALTER TABLE etl.job_run DROP COLUMN error');
    const info = etl(['db', 'info'], pg);
    expect(info.code, info.stderr).toBe(1);
    expect(info.stdout).toContain('damaged');
    expect(info.stderr).toMatch(/job_run[^\n]*\berror\b/);
  });

  it('config check masks every password form of a source URL, keeping user and host', () => {
    const file = writeFile('secrets.json', {
      sources: {
        a: { url: 'postgresql://etl:Sec@ret99x@db/site' },
        b: { url: 'postgres://etl@db/site?password=Qw3rtyX9&sslmode=require' },
        c: { url: 'postgres://etl:pa%2Fss%20wd@db/site' },
      },
    });
    const check = etl(['config', 'check', '--config', file]);
    expect(check.code, check.stderr).toBe(0);
    for (const secret of ['Sec@ret99x', 'ret99x', 'Qw3rtyX9', 'pa%2Fss', 'pa/ss']) expect(check.stdout + check.stderr).not.toContain(secret);
    const shown = JSON.parse(check.stdout) as { sources: Record<string, { url: string }> };
    for (const name of ['a', 'b', 'c']) expect(shown.sources[name]?.url).toMatch(/^postgres(ql)?:\/\/etl(:[^@/]*)?@db\/site/);
  });
});
