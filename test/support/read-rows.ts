// Runs one reader through the engine with the given services and collects its rows (tests, dry runs).
import { graphBuilder } from '../../graph/builder.js';
import { runGraph } from '../../graph/executor.js';
import { sink, type SourceNode } from '../../graph/node.js';
import type { JobRun } from '../../graph/run-status.js';

export interface ReadRowsResult<O> {
  readonly rows: O[];
  readonly run: JobRun;
}

export async function readRows<O>(reader: SourceNode<O>, services: Readonly<Record<string, unknown>>, name = 'read'): Promise<ReadRowsResult<O>> {
  const rows: O[] = [];
  const b = graphBuilder(name);
  b.source('reader', reader).to('collect', sink((row: O) => void rows.push(row)));
  const run = await runGraph(b.build(), { services });
  return { rows, run };
}
