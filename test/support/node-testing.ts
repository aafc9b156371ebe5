// Test helper: runs one node over a list of rows and returns what it emitted and its counters.
import { graphBuilder } from '../../graph/builder.js';
import { runGraph, type RunOptions } from '../../graph/executor.js';
import { source, type NodeContext, type SinkNode, type SourceNode, type StreamNode, type TransformNode } from '../../graph/node.js';
import type { NodeRun, RunStatus } from '../../graph/run-status.js';

export interface NodeTestResult<O> {
  readonly output: O[];
  readonly stats: NodeRun;
  readonly status: RunStatus;
  readonly error: string | null;
}

export async function runNodeOver<I, O>(
  node: TransformNode<I, O> | StreamNode<I, O> | SinkNode<I>,
  rows: Iterable<I> | AsyncIterable<I>,
  options: Omit<RunOptions, 'job'> = {},
): Promise<NodeTestResult<O>> {
  const output: O[] = [];
  const builder = graphBuilder('test');
  const chain = builder.source('input', source(() => rows));
  if (node.kind === 'sink') chain.to('node', node);
  else chain.to('node', node as TransformNode<I, O>).to('output', { kind: 'sink', write: (row: O) => void output.push(row) });
  const run = await runGraph(builder.build(), options);
  return { output, stats: run.nodes.find((n) => n.name === 'node')!, status: run.status, error: run.error };
}

/** Runs a source directly, without the engine, so an error it throws can be inspected as it is. */
export async function readSourceDirect<O>(
  node: SourceNode<O>,
  services: Readonly<Record<string, unknown>> = {},
): Promise<{ rows: O[]; errors: unknown[] }> {
  const rows: O[] = [];
  const errors: unknown[] = [];
  const ctx: NodeContext = {
    job: 'test',
    node: 'reader',
    signal: new AbortController().signal,
    service: <T>(name: string) => services[name] as T,
    reportError: (error) => void errors.push(error),
  };
  for await (const row of node.read(ctx)) rows.push(row);
  return { rows, errors };
}
