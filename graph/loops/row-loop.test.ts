// The per-node copies of the row loops stand alone: they run through every branch and use no imported name.
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { RowBuffer } from '../row-buffer.js';
import { copyRowLoop, defineRowLoop, rowLoopSource, type LoopPosition, type RowLoopDefinition } from './row-loop.js';
import { SINK_ROWS, type SinkRows } from './sink.js';
import { TRANSFORM_ROWS, type TransformRows } from './transform.js';

/**
 * The names a node's copy of a loop uses but does not declare, read from its source text as V8 would compile
 * it: each must be a global, or the copy would fail with a ReferenceError once it reached that line.
 */
function outsideNames(definition: RowLoopDefinition<unknown>): string[] {
  const file = ts.createSourceFile('copy.js', `function copy() { ${rowLoopSource(definition, 'checked')} }`, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const declared = new Set<string>();
  const used = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isParameter(node) || ts.isVariableDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) {
      if (node.name !== undefined && ts.isIdentifier(node.name)) declared.add(node.name.text);
    } else if (ts.isIdentifier(node)) {
      const parent = node.parent;
      const isPropertyName = (ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent)) && parent.name === node;
      if (!isPropertyName) used.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return [...used].filter((name) => !declared.has(name)).sort();
}

/** Runs a transform loop over a batch the way runTransform does, noting where it stopped and why. */
function driveTransform(loop: TransformRows, apply: (row: unknown) => unknown, batch: readonly unknown[]) {
  const out = new RowBuffer(batch.length);
  const pos: LoopPosition = { i: 0, deferred: undefined };
  const stops: Array<[string, number]> = [];
  let i = 0;
  while (i < batch.length) {
    try {
      i = loop(apply, batch, i, out, undefined, pos);
      if (i < batch.length) {
        stops.push([`deferred ${Object.prototype.toString.call(pos.deferred)}`, i]);
        pos.deferred = undefined;
        i += 1;
      }
    } catch (error) {
      stops.push([`threw ${(error as Error).message}`, pos.i]);
      i = pos.i + 1;
    }
  }
  return { rows: out.items.slice(0, out.length), stops };
}

function driveSink(loop: SinkRows, write: (row: unknown) => unknown, batch: readonly unknown[]) {
  const pos: LoopPosition = { i: 0, deferred: undefined };
  const stops: Array<[string, number]> = [];
  let i = 0;
  while (i < batch.length) {
    try {
      i = loop(write, batch, i, undefined, pos);
      if (i < batch.length) {
        stops.push([`deferred ${Object.prototype.toString.call(pos.deferred)}`, i]);
        pos.deferred = undefined;
        i += 1;
      }
    } catch (error) {
      stops.push([`threw ${(error as Error).message}`, pos.i]);
      i = pos.i + 1;
    }
  }
  return stops;
}

const NOT_A_GLOBAL = 'module-level';

// One row of each kind a transform may return, so every branch of the loop runs.
const TRANSFORM_BATCH = ['a', 'none', 0, null, false, 'promise', 'generator', 'async-generator', 'array', 'throw', 'b'];
const transformApply = (row: unknown): unknown => {
  switch (row) {
    case 'none': return undefined;
    case 'promise': return Promise.resolve(1);
    case 'generator': return (function* () { yield 1; })();
    case 'async-generator': return (async function* () { yield 1; })();
    case 'array': return [1, 2];
    case 'throw': throw new Error('bad row');
    default: return row;
  }
};
const TRANSFORM_EXPECTED = {
  rows: ['a', 0, null, false, [1, 2], 'b'],
  stops: [
    ['deferred [object Promise]', 5],
    ['deferred [object Generator]', 6],
    ['deferred [object AsyncGenerator]', 7],
    ['threw bad row', 9],
  ],
};

const SINK_BATCH = ['a', 'promise', 'value', 'throw', 'b'];
const sinkWrite = (row: unknown): unknown => {
  if (row === 'promise') return Promise.resolve();
  if (row === 'value') return 5; // not a promise: not awaited
  if (row === 'throw') throw new Error('write failed');
  return undefined;
};
const SINK_EXPECTED = [['deferred [object Promise]', 1], ['threw write failed', 3]];

describe('per-node copies of the row loops', () => {
  it('the transform loop runs on its own, through every branch, and uses no name but globals', () => {
    const copy = copyRowLoop(TRANSFORM_ROWS, 'enrich');
    expect(driveTransform(copy, transformApply, TRANSFORM_BATCH)).toEqual(TRANSFORM_EXPECTED);
    expect(outsideNames(TRANSFORM_ROWS).filter((name) => !(name in globalThis))).toEqual([]);
  });

  it('the sink loop runs on its own, through every branch, and uses no name but globals', () => {
    const copy = copyRowLoop(SINK_ROWS, 'write');
    expect(driveSink(copy, sinkWrite, SINK_BATCH)).toEqual(SINK_EXPECTED);
    expect(outsideNames(SINK_ROWS).filter((name) => !(name in globalThis))).toEqual([]);
  });

  it('catches a loop that uses a name from its module', () => {
    // Even in a branch that no test runs.
    const leaky = defineRowLoop(() => (row: unknown): unknown => (row === 'never' ? NOT_A_GLOBAL : row));
    expect(copyRowLoop(leaky, 'leaky')('row')).toBe('row');
    expect(outsideNames(leaky).filter((name) => !(name in globalThis))).toEqual(['NOT_A_GLOBAL']);
  });

  it('gives each node a distinct function from a distinct source text', () => {
    expect(copyRowLoop(TRANSFORM_ROWS, 'a')).not.toBe(copyRowLoop(TRANSFORM_ROWS, 'a'));
    const first = rowLoopSource(SINK_ROWS, 'same');
    const second = rowLoopSource(SINK_ROWS, 'same');
    expect(first).not.toBe(second);
    expect(first).toContain('"same"');
  });

  it('keeps a node name from closing the comment it is put in', () => {
    const loop = copyRowLoop(SINK_ROWS, 'evil */ throw new Error("injected"); /*');
    expect(driveSink(loop, () => undefined, [1, 2])).toEqual([]);
  });
});
