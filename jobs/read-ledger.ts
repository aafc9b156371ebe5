// What a read run gave, per reader that replaces its window: the metrics it gave and in which buckets, and
// whether it finished reading. The writers clear the stale values of those readers' metrics from it
// (writers/window-replace.ts); a reader that failed or was cancelled clears nothing.
import type { NodeContext, SourceNode } from '../graph/node.js';
import { bucketNumber, SeenValues } from '../metrics/buckets.js';
import type { MetricRow } from '../metrics/row.js';
import type { ReadWindow } from '../metrics/window.js';
import type { WindowLedger } from '../writers/window-replace.js';

export class ReadLedger implements WindowLedger {
  private readonly seen = new SeenValues();
  private readonly byReader = new Map<string, Set<string>>();
  private readonly done = new Set<string>();

  constructor(readonly window: ReadWindow) {}

  /** The reader's source node, noting every value it gives and when it has given them all. */
  track(reader: string, node: SourceNode<MetricRow>): SourceNode<MetricRow> {
    const names = new Set<string>();
    this.byReader.set(reader, names);
    const note = (row: MetricRow | readonly [MetricRow['dims'], MetricRow['metrics']]): void => {
      const [dims, metrics] = Array.isArray(row) ? row : [(row as MetricRow)?.dims, (row as MetricRow)?.metrics];
      const bucket = dims !== null && typeof dims === 'object' ? bucketNumber(dims) : undefined;
      if (bucket === undefined || metrics === null || typeof metrics !== 'object') return;
      for (const name in metrics) {
        names.add(name);
        this.seen.mark(name, bucket);
      }
    };
    const done = (): void => void this.done.add(reader);
    async function* read(ctx: NodeContext): AsyncGenerator<MetricRow> {
      for await (const row of node.read(ctx)) {
        note(row);
        yield row;
      }
      if (!ctx.signal.aborted) done();
    }
    return { ...node, read };
  }

  finished(): ReadonlyMap<string, ReadonlySet<string>> {
    return new Map([...this.byReader].filter(([reader]) => this.done.has(reader)));
  }

  gave(metric: string, bucket: number): boolean {
    return this.seen.has(metric, bucket);
  }
}
