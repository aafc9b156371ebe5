import { describe, expect, it } from 'vitest';
import { graphBuilder } from './builder.js';
import { GraphError } from './errors.js';
import { filter } from './nodes/filter.js';
import { map } from './nodes/map.js';
import { sink, source, transform } from './node.js';

const numbers = () => source(() => [1, 2, 3]);
const collect = () => sink<number>(() => undefined);

function buildError(build: () => unknown): GraphError {
  try {
    build();
  } catch (error) {
    if (error instanceof GraphError) return error;
    throw error;
  }
  throw new Error('expected a GraphError');
}

describe('graph building', () => {
  it('builds chains, fan-out and fan-in with a topological order', () => {
    const b = graphBuilder('shape');
    const doubled = b.source('numbers', numbers()).to('double', map((n: number) => n * 2));
    doubled.to('small', filter((n: number) => n < 5)).to('out-small', collect());
    const merge = b.node('merge', map((n: number) => n + 1));
    doubled.into(merge);
    b.source('more', numbers()).into(merge);
    merge.to('out', collect());
    const graph = b.build();
    expect(graph.size).toBe(7);
    expect(graph.order.indexOf('numbers')).toBeLessThan(graph.order.indexOf('double'));
    expect(graph.order.indexOf('double')).toBeLessThan(graph.order.indexOf('merge'));
    expect([...graph.info('merge').inputs].sort()).toEqual(['double', 'more']);
    expect([...graph.info('double').outputs].sort()).toEqual(['merge', 'small']);
  });

  it('rejects duplicate names, naming the node', () => {
    const error = buildError(() => {
      const b = graphBuilder('dup');
      b.source('read', numbers()).to('read', collect());
      return b.build();
    });
    expect(error.message).toBe("graph 'dup' is invalid: duplicate node name 'read'");
    expect(error.nodes).toEqual(['read']);
  });

  it('rejects references to unknown nodes', () => {
    const error = buildError(() => {
      const b = graphBuilder('unknown');
      b.source('read', numbers()).into('nowhere');
      b.from<number>('ghost').to('out', collect());
      return b.build();
    });
    expect(error.message).toContain("edge 'read' -> 'nowhere' refers to unknown node 'nowhere'");
    expect(error.message).toContain("edge 'ghost' -> 'out' refers to unknown node 'ghost'");
    expect([...error.nodes].sort()).toEqual(['ghost', 'nowhere']);
  });

  it('rejects cycles, naming the nodes on the cycle', () => {
    const error = buildError(() => {
      const b = graphBuilder('loop');
      const a = b.source('read', numbers()).to('a', map((n: number) => n));
      const c = a.to('b', map((n: number) => n)).to('c', map((n: number) => n));
      c.into(a);
      c.to('out', collect());
      return b.build();
    });
    expect(error.message).toContain('cycle through');
    expect([...error.nodes].sort()).toEqual(['a', 'b', 'c']);
  });

  it('rejects nodes that can never receive input', () => {
    const error = buildError(() => {
      const b = graphBuilder('orphans');
      b.source('read', numbers()).to('out', collect());
      b.node('lonely', map((n: number) => n)).to('lonely-out', collect());
      return b.build();
    });
    expect(error.message).toBe("graph 'orphans' is invalid: 'lonely', 'lonely-out' can never receive input (no source upstream)");
    expect([...error.nodes].sort()).toEqual(['lonely', 'lonely-out']);
  });

  it('rejects input into a source and output from a sink', () => {
    const error = buildError(() => {
      const b = graphBuilder('wrong-ends');
      const first = b.source('first', numbers());
      first.into('second');
      b.source('second', numbers()).to('out', collect());
      b.from<never>('out').to('after', transform((n: number) => n));
      return b.build();
    });
    expect(error.message).toContain("source 'second' cannot take input (from 'first')");
    expect(error.message).toContain("sink 'out' cannot feed other nodes ('after')");
  });

  it('rejects an empty graph and non-nodes', () => {
    expect(buildError(() => graphBuilder('empty').build()).message).toBe("graph 'empty' is invalid: it has no nodes");
    const error = buildError(() => {
      const b = graphBuilder('bad');
      b.source('read', numbers()).to('fn', (() => 1) as never);
      return b.build();
    });
    expect(error.message).toContain("node 'fn' is not a node");
  });

  it('type-checks the rows flowing through a chain', () => {
    const b = graphBuilder('typed');
    const words = b.source('words', source(() => ['a', 'bb']));
    // @ts-expect-error a node taking numbers cannot read strings
    words.to('bad', map((n: number) => n + 1));
    const lengths = words.to('length', map((w: string) => w.length));
    // @ts-expect-error a sink of strings cannot take numbers
    lengths.to('bad-sink', sink<string>(() => undefined));
    const numbersIn = b.node('numbers-in', map((n: number) => n));
    // @ts-expect-error fan-in of strings into a node that takes numbers
    words.into(numbersIn);
    lengths.into(numbersIn);
    expect(true).toBe(true);
  });
});
