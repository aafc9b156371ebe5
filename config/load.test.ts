// Reading etl.config.json: comments and trailing commas are accepted; a syntax error names file:line:column.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../graph/errors.js';
import { thrownMessage } from '../test/support/errors.js';
import { cleanEnv } from '../test/support/processes.js';
import { readConfigFile } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'etl-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('readConfigFile', () => {
  it('accepts // and /* */ comments and trailing commas', () => {
    const file = write(
      'commented.json',
      [
        '// The time zone of every date and hour written.',
        '{',
        '  "timeZone": "Europe/Paris", // IANA name',
        '  /* the website database:',
        '     a URL, secrets from the environment */',
        '  "sources": { "website": { "url": "postgres://etl:${PW}@db/site", }, },',
        '  "jobs": ["./dist/jobs/a.js", "https://not-a-comment.example//x",],',
        '}',
        '',
      ].join('\n'),
    );
    const config = readConfigFile(file, { PW: 's3cret' });
    expect(config.timeZone).toBe('Europe/Paris');
    expect(config.sources?.website).toMatchObject({ url: 'postgres://etl:s3cret@db/site' });
    expect(config.jobs).toEqual(['./dist/jobs/a.js', 'https://not-a-comment.example//x']);
  });

  it('names the file, the line and the column of a syntax error', () => {
    const missingComma = write('comma.json', '{\n  // no comma after the zone\n  "timeZone": "UTC"\n  "jobs": []\n}\n');
    expect(thrownMessage(() => readConfigFile(missingComma, {}), ConfigError)).toBe(`${missingComma}:4:3: not valid JSON: comma expected`);
    const unclosed = write('unclosed.json', '{ "timeZone": "UTC", /* never closed\n}\n');
    expect(thrownMessage(() => readConfigFile(unclosed, {}), ConfigError)).toBe(`${unclosed}:1:22: not valid JSON: unexpected end of comment`);
    const empty = write('empty.json', '');
    expect(thrownMessage(() => readConfigFile(empty, {}), ConfigError)).toBe(`${empty}:1:1: not valid JSON: value expected`);
  });

  it('still validates the keys after parsing', () => {
    const typo = write('typo.json', '{ "timeZon": "UTC", }');
    expect(thrownMessage(() => readConfigFile(typo, {}), ConfigError)).toContain(`${typo}: (root): Unrecognized key: "timeZon"`);
  });
});

describe('a file saved with a UTF-8 byte-order mark (issue 18)', () => {
  it('is read as without it, here and by `etl config check -c` (exit 0)', () => {
    const file = write('file-with-bom.json', '\uFEFF{\n  "timeZone": "Europe/Paris" // saved by Notepad\n}\n');
    expect(readConfigFile(file, {}).timeZone).toBe('Europe/Paris');
    const bin = resolve(import.meta.dirname, '../dist/cli/main.js');
    const check = spawnSync(process.execPath, [bin, 'config', 'check', '-c', file], { encoding: 'utf8', cwd: dir, env: cleanEnv({ ETL_DATA_DIR: join(dir, 'data') }), timeout: 30_000 });
    expect(check.status, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout).timeZone).toBe('Europe/Paris');
  });
});

describe('collector.maxPast (issue 18)', () => {
  it('is a duration of any length (no timer cap), and a bad one names its key', () => {
    const config = (maxPast: unknown): string => write('max-past.json', JSON.stringify({ collector: { writeKeys: [{ name: 'site', key: 'k-12345678' }], maxPast } }));
    expect(readConfigFile(config('90d'), {}).collector?.maxPast).toBe(90 * 86_400_000);
    const bad = config('a month');
    expect(thrownMessage(() => readConfigFile(bad, {}), ConfigError)).toBe(`${bad}: collector.maxPast: 'a month' is not a duration (e.g. 500ms, 30s, 10m, 1h30m, 2d)`);
  });
});
