import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { graphBuilder } from './builder.js';
import { toDot } from './dot.js';
import { sink, source, stream } from './node.js';
import { map } from './nodes/map.js';

function sample() {
  const b = graphBuilder('metrics "job"');
  const normalized = b.source('read "pg"', source(() => [1], 'postgres')).to('normalize', map((n: number) => n));
  normalized.to('hourly', sink(() => undefined, 'hourly_value'));
  normalized.to('daily\\x', stream(async function* (rows: AsyncIterable<number>) { yield* rows; })).to('end', sink(() => undefined));
  return b.build();
}

describe('toDot', () => {
  it('draws nodes with a shape per kind, and every edge', () => {
    const dot = toDot(sample());
    expect(dot).toContain('digraph "metrics \\"job\\"" {');
    expect(dot).toContain('"read \\"pg\\"" [label="read \\"pg\\"\\n(postgres)", shape=invhouse');
    expect(dot).toContain('"normalize" [label="normalize\\n(map)", shape=box');
    expect(dot).toContain('"hourly" [label="hourly\\n(hourly_value)", shape=cylinder');
    expect(dot).toContain('"read \\"pg\\"" -> "normalize";');
    expect(dot).toContain('"normalize" -> "hourly";');
    expect(dot).toContain('"normalize" -> "daily\\\\x";');
    expect(dot.match(/->/g)).toHaveLength(4);
  });

  it('is accepted by the real Graphviz dot', () => {
    const result = spawnSync('dot', ['-Tsvg'], { input: toDot(sample()), encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('<svg');
    expect(result.stdout).toContain('normalize');
  });
});
