// Test support for self-metrics: a run store holding a few recorded runs, and reading one sample of the text.
import { expect } from 'vitest';
import { graphBuilder, map, sink, source } from '../../graph/index.js';
import { defineJob, type Job } from '../../jobs/job.js';
import { MemoryRunStore } from './memory-run-store.js';
import { runRecordedJob } from '../../execution/run-recorded-job.js';
import type { RunStore } from '../../runs/run-store.js';

/** read (rows 1..n) -> check (a row error on `bad`) -> out. */
export function job(name: string, rows: number, bad?: number): Job {
  return defineJob({
    name,
    description: name,
    services: [],
    build: () => {
      const b = graphBuilder(name);
      b.source('read', source(async function* () {
        for (let i = 1; i <= rows; i++) yield i;
      }))
        .to('check', map((n: number) => {
          if (n === bad) throw new Error(`bad row ${n}`);
          return n;
        }))
        .to('out', sink(() => undefined));
      return b.build();
    },
  });
}

export const run = (store: RunStore, j: Job) => runRecordedJob({ job: j, params: {}, trigger: 'manual', services: {}, store });

/** ok: 2 runs succeeded (5 rows each); bad: 1 run failed (4 rows, one row error). */
export async function recordedStore(store: RunStore = new MemoryRunStore()): Promise<RunStore> {
  const ok = job('ok', 5);
  expect((await run(store, ok)).status).toBe('succeeded');
  expect((await run(store, ok)).status).toBe('succeeded');
  expect((await run(store, job('bad', 4, 2))).status).toBe('failed');
  return store;
}

/** The value of one sample line of the exposition text (undefined when absent). */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
