// tee/log: writes each row, pretty-printed, to stderr (or a given writer) and passes it on unchanged.
import { inspect } from 'node:util';
import { sink, transform, type SinkNode, type TransformNode } from '../node.js';

export interface LogOptions {
  readonly write?: (line: string) => void;
  readonly prefix?: string;
}

function writer(options: LogOptions): (row: unknown, node: string) => void {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  return (row, node) => write(`${options.prefix ?? node} ${inspect(row, { colors: false, depth: 4, breakLength: Infinity })}`);
}

/** Passes rows through, printing each. */
export function tee<I>(options: LogOptions = {}): TransformNode<I, I> {
  const print = writer(options);
  return transform<I, I>(
    (row, ctx) => {
      print(row, ctx.node);
      return row;
    },
    { label: 'tee' },
  );
}

/** A sink that prints each row. */
export function log<I>(options: LogOptions = {}): SinkNode<I> {
  const print = writer(options);
  return sink<I>((row, ctx) => print(row, ctx.node), 'log');
}
