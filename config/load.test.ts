// Reading etl.config.json: comments and trailing commas are accepted; a syntax error names file:line:column.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../graph/errors.js';
import { thrownMessage } from '../test/support/errors.js';
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
