// The browser tracker as served: found from the sources and from dist/, small (at most 5 KB gzipped), valid JavaScript.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readTracker, trackerFile } from './tracker-asset.js';

const root = resolve(import.meta.dirname, '..');

describe('tracker.js', () => {
  it('is at most 5 KB gzipped', () => {
    const gzipped = gzipSync(readTracker(), { level: 9 }).length;
    expect(gzipped).toBeLessThanOrEqual(5 * 1024);
  });

  it('is found from collector/ and, compiled, from dist/collector/', () => {
    expect(trackerFile()).toBe(resolve(root, 'collector/browser/tracker.js'));
    const compiled = resolve(root, 'dist/collector/tracker-asset.js');
    if (!existsSync(compiled)) return; // not built yet: npm test builds first
    const found = execFileSync(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(compiled)}).then((m) => process.stdout.write(m.trackerFile()))`], { encoding: 'utf8' });
    expect(found).toBe(resolve(root, 'collector/browser/tracker.js'));
  });

  it('parses as a plain script', () => {
    expect(() => new Function(readTracker())).not.toThrow();
  });
});
