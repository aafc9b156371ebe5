// An async source's loop: cancelled at once even when stuck in next(), and holding no row it has sent on.
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { graphBuilder } from '../builder.js';
import { runGraph } from '../executor.js';
import { sink, source } from '../node.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

describe('async source loop', () => {
  it('ends a source stuck in next() as soon as the run is cancelled', async () => {
    const controller = new AbortController();
    const b = graphBuilder('stuck');
    b.source('read', source(async function* () {
      yield 1;
      await new Promise<never>(() => undefined);
    })).to('out', sink(() => undefined));
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const run = await runGraph(b.build(), { signal: controller.signal });
    expect(run.status).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('keeps no row it has sent downstream while it goes on reading (memory does not grow with the rows)', async () => {
    const early: Array<WeakRef<object>> = [];
    let alive = -1;
    const b = graphBuilder('rows');
    b.source('read', source(async function* () {
      for (let i = 0; i < 2_000; i++) {
        const row = { i, payload: 'x'.repeat(16).concat(String(i)) };
        if (i < 100) early.push(new WeakRef(row));
        yield row;
      }
      await sleep(20); // a later task: WeakRefs made in this one are kept until it ends
      collectGarbage();
      alive = early.filter((ref) => ref.deref() !== undefined).length;
    })).to('out', sink(() => undefined));
    const run = await runGraph(b.build(), { batchSize: 10, bufferBatches: 2 });
    expect(run.status).toBe('succeeded');
    expect(alive).toBe(0);
  });
});
