// The `checks` key: the docs' fragment is valid, bad values are refused naming the key, names are unique.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from './schema.js';

const issues = (checks: unknown): string[] =>
  (configSchema.safeParse({ checks }).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('checks configuration', () => {
  it('accepts the fragment of docs/checks.md and fills defaults', () => {
    const doc = readFileSync(new URL('../docs/checks.md', import.meta.url), 'utf8');
    const block = /<!-- fragment: checks -->\n```json\n([\s\S]*?)```/.exec(doc)![1]!;
    const parsed = configSchema.parse({ checks: JSON.parse(block) });
    expect(parsed.checks![0]).toMatchObject({ type: 'anomaly', history: 28, threshold: 3, minHistory: 3, direction: 'down', minChange: 0.1, severity: 'fail' });
    expect(parsed.checks![1]).toMatchObject({ type: 'freshness', maxAge: 3 * 3_600_000, grain: 'hourly' });
    expect(parsed.checks![3]).toMatchObject({ type: 'change', maxDrop: 0.2 });
  });

  it('refuses bad values, naming the key', () => {
    expect(issues([{ metric: 'a.b', type: 'anomaly', history: '3 weeks' }])).toEqual(["checks.0.history: '3 weeks' is not a history span (whole days or weeks: 28d, 4w)"]);
    expect(issues([{ metric: 'a.b', type: 'change', maxDrop: 20 }])).toEqual(["checks.0.maxDrop: 20 is not a percentage ('20%', from 0% to 1000%)"]);
    expect(issues([{ metric: 'a.b', type: 'range' }])).toEqual(['checks.0.min: a range check needs min, max or both']);
    expect(issues([{ metric: 'a.b', type: 'freshness' }])[0]).toMatch(/^checks\.0\.maxAge: /);
    expect(issues([{ metric: 'A B', type: 'missing' }])[0]).toMatch(/^checks\.0\.metric: .*is not a metric name or pattern/);
    expect(issues([{ metric: 'a.b', type: 'anomaly', treshold: 3 }])[0]).toMatch(/treshold/);
    expect(issues([{ metric: 'a.b', type: 'drift' }])[0]).toMatch(/^checks\.0\.type: /);
    expect(issues([{ metric: 'a.b', type: 'missing' }, { metric: 'a.b', type: 'missing' }])).toEqual(["checks.1.name: 'a.b:missing' names checks[0] too (give one a different name)"]);
  });
});
