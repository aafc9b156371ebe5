import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { graphBuilder } from './builder.js';
import { MissingServiceError, UnrecoverableError } from './errors.js';
import { runGraph } from './executor.js';
import { batchSink, sink, source, stream, transform, type NodeContext } from './node.js';
import { filter } from './nodes/filter.js';
import { map } from './nodes/map.js';
import type { RunEvent } from './run-status.js';
import { provided, withServices } from './services.js';

function* count(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

function collector<T>(): { rows: T[]; node: ReturnType<typeof sink<T>> } {
  const rows: T[] = [];
  return { rows, node: sink<T>((row) => void rows.push(row)) };
}

describe('running graphs', () => {
  it('streams rows through a chain in order, across many batches', async () => {
    const out = collector<number>();
    const b = graphBuilder('linear');
    b.source('read', source(() => count(10_000)))
      .to('double', map((n: number) => n * 2))
      .to('out', out.node);
    const run = await runGraph(b.build(), { batchSize: 64 });
    expect(run.status).toBe('succeeded');
    expect(run.error).toBeNull();
    expect(out.rows).toEqual([...count(10_000)].map((n) => n * 2));
    expect(run.nodes.map((n) => [n.name, n.in, n.out, n.err, n.status])).toEqual([
      ['read', 10_000, 10_000, 0, 'succeeded'],
      ['double', 10_000, 10_000, 0, 'succeeded'],
      ['out', 10_000, 10_000, 0, 'succeeded'],
    ]);
  });

  it('sends every row to every branch (fan-out) and ends a node when all its inputs ended (fan-in)', async () => {
    const evens = collector<number>();
    const merged = collector<string>();
    const b = graphBuilder('fan');
    const numbers = b.source('numbers', source(() => count(2500)));
    numbers.to('evens', filter((n: number) => n % 2 === 0)).to('even-out', evens.node);
    const label = b.node('label', map((v: number | string) => `v${v}`));
    numbers.into(label);
    b.source('letters', source(async function* () {
      for (const letter of ['a', 'b', 'c']) {
        await sleep(5);
        yield letter;
      }
    })).into(label);
    label.to('merged', merged.node);
    const run = await runGraph(b.build(), { batchSize: 100 });
    expect(run.status).toBe('succeeded');
    expect(evens.rows).toHaveLength(1250);
    expect(merged.rows).toHaveLength(2503);
    expect(new Set(merged.rows)).toEqual(new Set([...[...count(2500)].map((n) => `v${n}`), 'va', 'vb', 'vc']));
    expect(run.nodes.find((n) => n.name === 'label')!.in).toBe(2503);
  });

  it('treats 0, "", false and null as rows: only undefined means no output', async () => {
    const out = collector<unknown>();
    const b = graphBuilder('falsy');
    b.source('read', source(() => [0, '', false, null, undefined, Number.NaN, 'x']))
      .to('same', transform((v: unknown) => v))
      .to('out', out.node);
    const run = await runGraph(b.build());
    expect(out.rows).toEqual([0, '', false, null, Number.NaN, 'x']);
    expect(run.nodes[1]!.out).toBe(6);
  });

  it('accepts values, generators, async generators and promises from a per-row transform; arrays are one row', async () => {
    const out = collector<unknown>();
    const b = graphBuilder('results');
    b.source('read', source(() => [1, 2, 3, 4, 5]))
      .to(
        'shape',
        transform<number, unknown>((n: number) => {
          if (n === 1) return [n, n];
          if (n === 2) return (function* () { yield 'g1'; yield 'g2'; })();
          if (n === 3) return (async function* () { yield 'a1'; })();
          if (n === 4) return Promise.resolve('p');
          return undefined;
        }),
      )
      .to('out', out.node);
    await runGraph(b.build());
    expect(out.rows).toEqual([[1, 1], 'g1', 'g2', 'a1', 'p']);
  });

  it('runs stream transforms and emits a transform finish()', async () => {
    const out = collector<number>();
    const b = graphBuilder('streams');
    b.source('read', source(() => count(1000)))
      .to('pairs', stream(async function* (rows: AsyncIterable<number>) {
        let previous: number | undefined;
        for await (const n of rows) {
          if (previous !== undefined) yield previous + n;
          previous = n;
        }
      }))
      .to('sum', transform<number, number>(() => undefined, { finish: () => [42] }))
      .to('out', out.node);
    const run = await runGraph(b.build(), { batchSize: 7 });
    expect(out.rows).toEqual([42]);
    expect(run.nodes.find((n) => n.name === 'pairs')!.out).toBe(999);
  });

  it('counts a row error with node, row number and row, goes on, and fails the run', async () => {
    const out = collector<number>();
    const b = graphBuilder('row-errors');
    b.source('read', source(() => count(20)))
      .to('parse', map((n: number) => {
        if (n % 5 === 3) throw new TypeError(`bad value ${n}`);
        return n;
      }))
      .to('out', out.node);
    const run = await runGraph(b.build(), { batchSize: 4, maxErrorExamples: 2 });
    expect(run.status).toBe('failed');
    expect(out.rows).toEqual([...count(20)].filter((n) => n % 5 !== 3));
    const parse = run.nodes.find((n) => n.name === 'parse')!;
    expect(parse).toMatchObject({ in: 20, out: 16, err: 4, status: 'failed', fatal: null });
    expect(parse.errors).toEqual([
      { node: 'parse', rowNumber: 4, row: '3', error: 'TypeError: bad value 3' },
      { node: 'parse', rowNumber: 9, row: '8', error: 'TypeError: bad value 8' },
    ]);
    expect(run.error).toBe("job 'row-errors': node 'parse' had 4 row errors; first at row 4: TypeError: bad value 3 (row: 3)");
  });

  it('counts a per-row sink: sync writes, awaited writes, rejected and thrown ones', async () => {
    const written: number[] = [];
    const b = graphBuilder('sink-rows');
    b.source('read', source(() => count(10)))
      .to('write', sink(async function write(n: number) {
        if (n === 4 || n === 7) throw new Error(`cannot write ${n}`);
        if (n === 6) return Promise.reject(new Error('rejected 6'));
        written.push(n);
      }));
    const syncOrAsync = graphBuilder('sink-rows-mixed');
    syncOrAsync.source('read', source(() => count(10)))
      .to('write', sink((n: number): void | Promise<void> => {
        if (n === 4 || n === 7) throw new Error(`cannot write ${n}`);
        if (n === 6) return Promise.reject(new Error('rejected 6'));
        if (n % 3 === 0) return Promise.resolve().then(() => void written.push(n));
        written.push(n);
      }));
    for (const graph of [b.build(), syncOrAsync.build()]) {
      written.length = 0;
      const run = await runGraph(graph, { batchSize: 4 });
      const node = run.nodes.find((n) => n.name === 'write')!;
      expect(node).toMatchObject({ in: 10, out: 7, err: 3, status: 'failed' });
      expect(node.errors.map((e) => [e.rowNumber, e.error])).toEqual([[5, 'cannot write 4'], [7, 'rejected 6'], [8, 'cannot write 7']]);
      expect(written).toEqual([0, 1, 2, 3, 5, 8, 9]);
    }
  });

  it('sends a generator longer than a batch downstream in batches, in order', async () => {
    const out = collector<string>();
    const b = graphBuilder('long-generator');
    b.source('read', source(() => ['a', 'b', 'c']))
      .to('explode', transform(function* (letter: string) {
        for (let i = 0; i < 25; i++) yield `${letter}${i}`;
      }))
      .to('out', out.node);
    const run = await runGraph(b.build(), { batchSize: 10 });
    expect(out.rows).toEqual(['a', 'b', 'c'].flatMap((letter) => Array.from({ length: 25 }, (_, i) => `${letter}${i}`)));
    expect(run.nodes.find((n) => n.name === 'explode')).toMatchObject({ in: 3, out: 75, err: 0 });
  });

  it('stops a node on an unrecoverable error: upstream is cancelled, downstream finishes with what it got', async () => {
    let produced = 0;
    const total = 1_000_000;
    const out = collector<number>();
    const b = graphBuilder('unrecoverable');
    b.source('read', source(function* () {
      for (let i = 0; i < total; i++) {
        produced += 1;
        yield i;
      }
    }))
      .to('check', map((n: number) => {
        if (n === 500_000) throw new UnrecoverableError('lost the connection');
        return n;
      }))
      .to('out', out.node);
    const run = await runGraph(b.build());
    expect(run.status).toBe('failed');
    expect(run.error).toBe("job 'unrecoverable': node 'check' failed: UnrecoverableError: lost the connection");
    const byName = Object.fromEntries(run.nodes.map((n) => [n.name, n]));
    expect(byName.check!.status).toBe('failed');
    expect(byName.read!.status).toBe('cancelled');
    expect(byName.out!.status).toBe('succeeded');
    // Everything before the failing row in its batch reached the sink; the source stopped early.
    expect(out.rows.length).toBeGreaterThanOrEqual(499_000);
    expect(out.rows.length).toBeLessThanOrEqual(500_000);
    expect(out.rows.slice(0, 3)).toEqual([0, 1, 2]);
    expect(produced).toBeLessThan(total);
  });

  it('stops a source on any exception and still lets the other source of a fan-in finish', async () => {
    const out = collector<string>();
    const b = graphBuilder('source-fails');
    const merge = b.node('merge', map((v: string) => v));
    b.source('good', source(() => ['a', 'b'])).into(merge);
    b.source('bad', source(function* () {
      yield 'x';
      throw new Error('HTTP 503 from upstream');
    })).into(merge);
    merge.to('out', out.node);
    const run = await runGraph(b.build());
    expect(run.status).toBe('failed');
    expect(run.error).toBe("job 'source-fails': node 'bad' failed: HTTP 503 from upstream");
    expect(out.rows.sort()).toEqual(['a', 'b']);
  });

  it('keeps the other branch of a fan-out going when one branch dies', async () => {
    const daily = collector<number>();
    const b = graphBuilder('branch-dies');
    const read = b.source('read', source(() => count(50_000)));
    read.to('hourly', sink(() => {
      throw new UnrecoverableError('hourly table is gone');
    }));
    read.to('daily', daily.node);
    const run = await runGraph(b.build(), { batchSize: 100 });
    expect(run.status).toBe('failed');
    expect(daily.rows).toHaveLength(50_000);
    expect(run.nodes.find((n) => n.name === 'read')!.status).toBe('succeeded');
    expect(run.nodes.find((n) => n.name === 'hourly')!.fatal).toBe('UnrecoverableError: hourly table is gone');
  });

  it('cancels a run through an AbortSignal', async () => {
    const controller = new AbortController();
    let yielded = 0;
    const b = graphBuilder('cancel');
    b.source('slow', source(async function* (ctx: NodeContext) {
      while (!ctx.signal.aborted) {
        yielded += 1;
        yield yielded;
        await sleep(2);
      }
    })).to('out', sink(() => undefined));
    setTimeout(() => controller.abort(), 60);
    const run = await runGraph(b.build(), { signal: controller.signal });
    expect(run.status).toBe('cancelled');
    expect(run.error).toBe("job 'cancel': run cancelled");
    expect(run.nodes.every((n) => n.status === 'cancelled' || n.status === 'succeeded')).toBe(true);
    expect(yielded).toBeGreaterThan(0);
  });

  it('keeps at most N rows in flight for a concurrent transform, in input order by default', async () => {
    for (const ordered of [true, false]) {
      let inFlight = 0;
      let maxInFlight = 0;
      const out = collector<number>();
      const b = graphBuilder('concurrency');
      b.source('read', source(() => count(40)))
        .to('fetch', transform(async (n: number) => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await sleep((n * 7) % 5);
          inFlight -= 1;
          return n;
        }, { concurrency: 4, ordered }))
        .to('out', out.node);
      const run = await runGraph(b.build(), { batchSize: 8 });
      expect(run.status).toBe('succeeded');
      expect(maxInFlight).toBe(4);
      if (ordered) expect(out.rows).toEqual([...count(40)]);
      else expect([...out.rows].sort((x, y) => x - y)).toEqual([...count(40)]);
    }
  });

  it('keeps memory flat with a slow sink (backpressure)', async () => {
    const total = 1_000_000;
    let seen = 0;
    let maxAhead = 0;
    let produced = 0;
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const b = graphBuilder('backpressure');
    b.source('read', source(function* () {
      for (let i = 0; i < total; i++) {
        produced += 1;
        yield { id: i, payload: 'x'.repeat(20) };
      }
    }))
      .to('same', map((row: { id: number }) => row))
      .to('slow', batchSink(async (rows: readonly unknown[]) => {
        seen += rows.length;
        maxAhead = Math.max(maxAhead, produced - seen);
        if (seen % 50_000 < rows.length) {
          peak = Math.max(peak, process.memoryUsage().heapUsed);
          await sleep(1);
        }
      }));
    const run = await runGraph(b.build());
    expect(run.status).toBe('succeeded');
    expect(seen).toBe(total);
    // Bounded buffers: the source is never more than a few batches per inbox ahead of the sink.
    expect(maxAhead).toBeLessThanOrEqual(2 * 5 * 1000);
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('emits run, node and progress events that follow one run', async () => {
    const events: RunEvent[] = [];
    const b = graphBuilder('events');
    b.source('read', source(async function* () {
      for (let i = 0; i < 5; i++) {
        await sleep(15);
        yield i;
      }
    })).to('out', sink(() => undefined));
    const run = await runGraph(b.build(), { onEvent: (e) => events.push(e), progressIntervalMs: 10 });
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('run-started');
    expect(types.at(-1)).toBe('run-finished');
    expect(types.filter((t) => t === 'node-started')).toHaveLength(2);
    expect(types.filter((t) => t === 'node-finished')).toHaveLength(2);
    expect(types.filter((t) => t === 'progress').length).toBeGreaterThan(2);
    const last = events.at(-1)!;
    expect(last.type === 'run-finished' && last.run).toEqual(run);
  });
});

describe('services', () => {
  it('fails before anything is read when a service is missing', async () => {
    let read = false;
    const b = graphBuilder('needs-db');
    b.source('read', source(() => {
      read = true;
      return [1];
    })).to('out', sink(() => undefined));
    await expect(withServices('needs-db', ['db', 'http'], { http: provided({}) }, () => runGraph(b.build()))).rejects.toThrow(
      new MissingServiceError('needs-db', ['db']),
    );
    expect(read).toBe(false);
  });

  it('creates each service once per run, hands it to nodes through ctx, and closes it', async () => {
    let created = 0;
    let closed = 0;
    const seen: unknown[] = [];
    const b = graphBuilder('uses-db');
    b.source('read', source((ctx: NodeContext) => [ctx.service<{ id: number }>('db').id, 2]))
      .to('tag', map((n: number, ctx: NodeContext) => n + ctx.service<{ id: number }>('db').id))
      .to('out', sink((n: number) => void seen.push(n)));
    const providers = { db: { create: () => ({ id: ++created * 100 }), close: () => void (closed += 1) } };
    const run = await withServices('uses-db', ['db'], providers, (services) => runGraph(b.build(), { services }));
    expect(run.status).toBe('succeeded');
    expect(seen).toEqual([200, 102]);
    expect([created, closed]).toEqual([1, 1]);
  });
});
