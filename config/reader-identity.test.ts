// readers.events.identity and readers.collectedEvents.identity as etl.config.json takes them: "raw", "stitched" or an
// identity table with its columns; anything else refused, the message naming the key.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './index.js';

describe('readers.events.identity in etl.config.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'etl-identity-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const load = (readers: unknown): string => {
    const file = join(dir, 'etl.config.json');
    writeFileSync(file, JSON.stringify({ sources: { website: { url: 'postgres://etl@db/app' } }, readers }));
    try {
      loadConfig({ explicit: file, env: {}, cwd: dir });
      return 'ok';
    } catch (error) {
      return (error as Error).message.replace(`${file}: `, '');
    }
  };

  it('takes "raw", "stitched" or a table with its columns; errors name the key', () => {
    expect(load({ events: { source: 'website', identity: 'raw' }, collectedEvents: { identity: 'stitched' } })).toBe('ok');
    expect(load({ events: { source: 'website', columns: { anonymous: 'device' }, identity: { table: 'app.devices', columns: { anonymous: 'device_id', user: 'account' } } } })).toBe('ok');
    expect(load({ events: { source: 'website', identity: 'merged' } })).toBe(
      'readers.events.identity: must be "stitched", "raw" or { "table": "...", "columns": { "anonymous": "...", "user": "..." } }',
    );
    expect(load({ collectedEvents: { identity: { table: 'app.devices', columns: { device: 'x' } } } })).toBe(`readers.collectedEvents.identity.columns: Unrecognized key: "device": 'device'`);
    expect(load({ events: { source: 'website', identity: { table: '' } } })).toBe('readers.events.identity.table: Too small: expected string to have >=1 characters');
  });
});
