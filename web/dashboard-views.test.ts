// The dashboard pages' pure parts, without a browser: units, field settings with overrides, thresholds, reducers,
// rows as sections, title variables, and the server's first paint (grid classes, no style attribute, no script).
import { describe, expect, it } from 'vitest';
import { fieldDisplay, mapped, thresholdColor } from './client/dashboard/field-config.js';
import { interpolate, panelOf, panelsOf, sectionsOf } from './client/dashboard/panel-spec.js';
import { reduce, reducerName } from './client/dashboard/reduce.js';
import { formatValue } from './client/dashboard/units.js';
import type { DashboardJson, VariableJson } from './client/view/dashboard-wire.js';
import { dashboardPage } from './pages/dashboards.js';

const metric: VariableJson = { name: 'metric', label: 'Metric', type: 'query', hide: 0, multi: false, includeAll: false, options: [{ text: 'events', value: 'events' }], current: ['events'] };

describe('units', () => {
  it.each([
    [1234, 'short', undefined, '1.23 K'],
    [12, 'short', undefined, '12'],
    [2_500_000, 'short', undefined, '2.5 Mil'],
    [0.1234, 'percentunit', 1, '12.3%'],
    [42, 'percent', undefined, '42%'],
    [250, 'ms', undefined, '250 ms'],
    [90, 's', undefined, '1.5 min'],
    [2048, 'bytes', undefined, '2 KiB'],
    [1234.5, 'currencyUSD', undefined, '$1,234.50'],
    [3.14159, 'none', 2, '3.14'],
    [7.5, 'furlongs', undefined, '7.5'],
  ] as const)('%s in %s (decimals %s) is %s', (value, unit, decimals, text) => {
    expect(formatValue(value, unit, decimals)).toBe(text);
  });
  it('shows nothing for a missing value', () => expect(formatValue(null, 'short')).toBe(''));
});

describe('field settings', () => {
  const config = {
    defaults: { unit: 'short', min: 0, thresholds: { steps: [{ color: 'green', value: null }, { color: 'red', value: 10 }] } },
    overrides: [
      { matcher: { id: 'byName', options: 'share' }, properties: [{ id: 'unit', value: 'percentunit' }, { id: 'decimals', value: 1 }] },
      { matcher: { id: 'byRegexp', options: '/^dur/' }, properties: [{ id: 'unit', value: 's' }, { id: 'custom.width', value: 300 }, { id: 'displayName', value: 'Duration' }] },
    ],
  };
  const field = (name: string) => ({ name, shownName: name, type: 'number' as const, refId: 'A' });

  it('applies the defaults, then the overrides whose matcher takes the field', () => {
    expect(fieldDisplay(config, field('events'))).toMatchObject({ unit: 'short', min: 0, decimals: undefined });
    expect(fieldDisplay(config, field('share'))).toMatchObject({ unit: 'percentunit', decimals: 1, min: 0 });
    expect(fieldDisplay(config, field('duration'))).toMatchObject({ unit: 's', displayName: 'Duration', custom: { width: 300 } });
  });

  it('colours by the last threshold at or below the value, and maps values', () => {
    const steps = fieldDisplay(config, field('x')).thresholds;
    expect([thresholdColor(steps, -5), thresholdColor(steps, 10), thresholdColor(steps, null)]).toEqual(['green', 'red', 'green']);
    expect(mapped([{ type: 'value', options: { failed: { color: 'red' } } }], 'failed')).toEqual({ color: 'red' });
    expect(mapped([{ type: 'range', options: { from: 0, to: 5, result: { text: 'low' } } }], 3)).toEqual({ text: 'low' });
  });
});

describe('reducers', () => {
  const values = [3, null, 5, 2, null];
  it.each([
    ['lastNotNull', 2], ['last', null], ['mean', 10 / 3], ['sum', 10], ['max', 5], ['min', 2], ['count', 5],
  ] as const)('%s', (calc, expected) => expect(reduce(values, calc)).toBe(expected));
  it('takes the first known calc, lastNotNull by default', () => {
    expect(reducerName(['nope', 'sum'])).toBe('sum');
    expect(reducerName([])).toBe('lastNotNull');
  });
});

describe('layout', () => {
  const dashboard = {
    panels: [
      { id: 9, type: 'row', title: 'Explore: $metric', collapsed: true, gridPos: { x: 0, y: 9, w: 24, h: 1 }, panels: [{ id: 10, type: 'timeseries', title: 'Under ${metric}', gridPos: { x: 0, y: 10, w: 12, h: 8 } }] },
      { id: 2, type: 'timeseries', title: 'B', gridPos: { x: 12, y: 1, w: 12, h: 8 } },
      { id: 1, type: 'row', title: 'Top', collapsed: false, gridPos: { x: 0, y: 0, w: 24, h: 1 }, panels: [] },
      { id: 3, type: 'stat', title: 'A', gridPos: { x: 0, y: 1, w: 12, h: 8 } },
    ],
  };

  it('makes sections of rows: an open row owns the panels after it, a collapsed row its own', () => {
    const sections = sectionsOf(panelsOf(dashboard));
    expect(sections.map((s) => [s.row?.id ?? null, s.panels.map((p) => p.id)])).toEqual([[1, [3, 2]], [9, [10]]]);
    expect(panelOf({ gridPos: { x: 20, w: 12 } }).gridPos).toMatchObject({ x: 12, w: 12 });
  });

  it('shows variables in titles as their current text', () => {
    expect(interpolate('Explore: $metric, ${metric} and [[metric]], not $other', [metric])).toBe('Explore: events, events and events, not $other');
  });

  it('paints the grid on the server with classes only (no style attribute, no inline script)', async () => {
    const view: DashboardJson = {
      uid: 'd', title: 'D <b>', description: '', dashboard: dashboard, range: { from: 'now-7d', to: 'now', fromMs: 0, toMs: 1 },
      refreshMs: null, timeZone: 'UTC', variables: [metric], public: false,
    };
    const page = String(await dashboardPage(view, false));
    expect(page).toContain('class="panel gx-12 gw-12 gh-8" id="panel-2"');
    expect(page).toContain('Under events');
    expect(page).toContain('data-collapsed="true"');
    expect(page).toContain('<option value="now-7d" selected>Last 7 days</option>');
    expect(page).toContain('D &lt;b&gt;');
    expect(page).not.toMatch(/ style=|<script>|<script [^>]*>[^<]/);
    expect(page).toContain('data-api="/api/dashboards" data-uid="d"');
    const publicPage = String(await dashboardPage(view, true));
    expect(publicPage).toContain('data-api="/api/public/dashboards"');
    expect(publicPage).not.toContain('href="/jobs"');
  });
});
