// The dashboards catalog: the shipped folder, the user's folder, bad files listed with their error.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog, shippedDashboardsDir } from './catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'etl-dashboards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('catalog', () => {
  it('lists the shipped dashboards once, even when the user folder is the shipped one', async () => {
    const shipped = await loadCatalog(undefined);
    expect(shipped.dashboards.map((d) => [d.uid, d.source])).toEqual([['business-metrics', 'shipped']]);
    expect(shipped.broken).toEqual([]);
    expect((await loadCatalog(shippedDashboardsDir())).dashboards).toHaveLength(1);
  });

  it('adds the user folder; a bad file is listed with its error naming the file and key, the others still load', async () => {
    writeFileSync(join(dir, 'mine.json'), JSON.stringify({ uid: 'mine', title: 'Mine', tags: ['x'], panels: [] }));
    writeFileSync(join(dir, 'broken.json'), '{ "uid": "b", ');
    writeFileSync(join(dir, 'no-uid.json'), JSON.stringify({ title: 'x', panels: [] }));
    writeFileSync(join(dir, 'no-panels.json'), JSON.stringify({ uid: 'np' }));
    writeFileSync(join(dir, 'notes.txt'), 'not a dashboard');
    const catalog = await loadCatalog(dir);
    expect(catalog.dashboards.map((d) => [d.uid, d.title, d.source, d.tags])).toEqual([
      ['business-metrics', 'Business metrics', 'shipped', ['etl', 'business']],
      ['mine', 'Mine', 'user', ['x']],
    ]);
    expect(catalog.broken.map((b) => b.error)).toEqual([
      expect.stringMatching(new RegExp(`^${join(dir, 'broken.json')}: not valid JSON: `)),
      `${join(dir, 'no-panels.json')}: panels: missing (a list of panels)`,
      `${join(dir, 'no-uid.json')}: uid: missing (a non-empty text)`,
    ]);
  });

  it('says when the configured folder cannot be read', async () => {
    const missing = join(dir, 'nope');
    const catalog = await loadCatalog(missing);
    expect(catalog.dashboards).toHaveLength(1);
    expect(catalog.broken[0]!.error).toMatch(/cannot read the dashboards folder \(dashboards\.dir\)/);
  });
});
