// The `dashboards` section of the configuration: defaults, the folder beside the file, errors naming the key.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../graph/errors.js';
import { thrownMessage } from '../test/support/errors.js';
import { loadConfig } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'etl-dashboards-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(content));
  return file;
}
const load = (file: string) => loadConfig({ explicit: file, env: {}, cwd: dir });

describe('dashboards configuration', () => {
  it('has defaults: no user folder, 10s per query, 10000 rows, nothing public', () => {
    const config = load(write('none.json', {}));
    expect(config.dashboards).toEqual({ dir: undefined, queryTimeoutMs: 10_000, maxRows: 10_000, public: [] });
    expect(Object.isFrozen(config.dashboards.public)).toBe(true);
  });

  it('takes ./dashboards beside the file when it exists, and dir relative to the file', () => {
    mkdirSync(join(dir, 'dashboards'));
    expect(load(write('beside.json', {})).dashboards.dir).toBe(join(dir, 'dashboards'));
    const config = load(write('set.json', { dashboards: { dir: 'boards', queryTimeout: '200ms', maxRows: 500, public: ['business-metrics'] } }));
    expect(config.dashboards).toEqual({ dir: join(dir, 'boards'), queryTimeoutMs: 200, maxRows: 500, public: ['business-metrics'] });
  });

  it('names the key of a bad value', () => {
    const error = (content: unknown, name: string) => thrownMessage(() => load(write(name, content)), ConfigError);
    expect(error({ dashboards: { queryTimeout: 'soon' } }, 'timeout.json')).toMatch(/dashboards\.queryTimeout: /);
    expect(error({ dashboards: { maxRows: 0 } }, 'rows.json')).toMatch(/dashboards\.maxRows: /);
    expect(error({ dashboards: { public: ['no way'] } }, 'public.json')).toMatch(/dashboards\.public\[0\]: .*is not a dashboard uid/);
    expect(error({ dashboards: { dirs: 'x' } }, 'key.json')).toMatch(/dashboards: Unrecognized key: "dirs"/);
  });
});
