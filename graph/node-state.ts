// Mutable per-node counters during a run, and their read-only snapshots.
import { describeError } from './errors.js';
import type { NodeKind } from './node.js';
import type { NodeRun, NodeStatus, RowErrorExample } from './run-status.js';

const ROW_PREVIEW_CHARS = 300;

export class NodeState {
  status: NodeStatus = 'pending';
  in = 0;
  out = 0;
  err = 0;
  startedAt: number | null = null;
  finishedAt: number | null = null;
  fatal: string | null = null;
  /** False when the error that stopped the node says another attempt would fail the same way. */
  fatalRetryable = true;
  readonly errors: RowErrorExample[] = [];

  constructor(
    readonly name: string,
    readonly kind: NodeKind,
    private readonly maxExamples: number,
  ) {}

  /** Counts a row-level error and keeps the first few as examples. */
  rowError(error: unknown, row: unknown, rowNumber: number): void {
    this.err += 1;
    if (this.errors.length < this.maxExamples) {
      this.errors.push({ node: this.name, rowNumber, row: previewRow(row), error: describeError(error) });
    }
  }

  snapshot(): NodeRun {
    return {
      name: this.name,
      kind: this.kind,
      status: this.status,
      in: this.in,
      out: this.out,
      err: this.err,
      startedAt: this.startedAt,
      finishedAt: this.finishedAt,
      errors: [...this.errors],
      fatal: this.fatal,
      ...(this.fatal === null ? {} : { fatalRetryable: this.fatalRetryable }),
    };
  }
}

/** A short, safe, one-line rendering of a row for error reports. */
export function previewRow(row: unknown): string {
  let text: string;
  try {
    text = row === undefined ? 'undefined' : (JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(row));
  } catch {
    text = String(row);
  }
  return text.length > ROW_PREVIEW_CHARS ? `${text.slice(0, ROW_PREVIEW_CHARS)}…` : text;
}
