// The read jobs (`etl read <source|all>`): enabled readers -> one normalizer -> hourly and daily writers.
import { graphBuilder, sink, type SinkNode, type SourceNode } from '../graph/index.js';
import type { MetricRow } from '../metrics/row.js';
import { currentWindow, type ReadWindow } from '../metrics/window.js';
import { METRICS_DB_SERVICE } from '../writers/metrics-db.js';
import { dailyWriter, hourlyWriter } from '../writers/value-writer.js';
import type { WindowLedger } from '../writers/window-replace.js';
import { defineJob, type Job } from './job.js';
import { normalize } from './normalize.js';
import { ReadLedger } from './read-ledger.js';

/** One configured reader: its name, the service it reads from, and its source node for a window. */
export interface ReaderSpec {
  readonly name: string;
  readonly services: readonly string[];
  readonly node: (window: ReadWindow) => SourceNode<MetricRow>;
  /** The source holds its whole history: a re-read window clears the values it no longer gives (writers/window-replace.ts). */
  readonly replacesWindow?: boolean;
}

/** Where normalized rows go: the metrics database writers, or a callback (dry run). */
export type ReadOutput =
  | {
      readonly kind: 'write';
      readonly service: string;
      /** The writers; `ledger` when a reader replaces its window. */
      readonly hourly: (ledger?: WindowLedger) => SinkNode<MetricRow>;
      readonly daily: (ledger?: WindowLedger) => SinkNode<MetricRow>;
    }
  | { readonly kind: 'collect' };

/** The usual output: the hourly and daily upsert writers of the metrics database (service 'metricsDb'). */
export function metricsDbOutput(): ReadOutput {
  const options = (ledger?: WindowLedger) => (ledger === undefined ? {} : { replace: ledger });
  return { kind: 'write', service: METRICS_DB_SERVICE, hourly: (ledger) => hourlyWriter(options(ledger)), daily: (ledger) => dailyWriter(options(ledger)) };
}

export interface ReadParams extends Record<string, unknown> {
  /** The window to read (default: the current hour and today, in `timeZone`). */
  readonly window?: ReadWindow;
  /** Dry run: receives each normalized row. */
  readonly onRow?: (row: MetricRow) => void;
}

export interface ReadJobOptions {
  /** Job name: 'all', or the reader's name for a single-source job. */
  readonly name: string;
  readonly readers: readonly ReaderSpec[];
  readonly output: ReadOutput;
  readonly timeZone: string;
  readonly schedule?: string;
  /** Clock for the default window (tests). */
  readonly now?: () => number;
}

export function readJob(options: ReadJobOptions): Job<ReadParams> {
  const { readers, output } = options;
  if (readers.length === 0) throw new TypeError(`read job '${options.name}': no reader is enabled`);
  const services = new Set(readers.flatMap((r) => r.services));
  if (output.kind === 'write') services.add(output.service);
  const names = readers.map((r) => r.name).join(', ');
  return defineJob<ReadParams>({
    name: options.name,
    description: output.kind === 'write' ? `Read ${names} into the metrics database` : `Read ${names} (dry run)`,
    services: [...services],
    windowed: true,
    ...(options.schedule ? { schedule: options.schedule } : {}),
    build: (params) => {
      const window = params.window ?? currentWindow((options.now ?? Date.now)(), options.timeZone);
      const b = graphBuilder(options.name);
      const normalized = b.node('normalize', normalize());
      const ledger = output.kind === 'write' && readers.some((r) => r.replacesWindow === true) ? new ReadLedger(window) : undefined;
      for (const reader of readers) {
        const node = reader.node(window);
        b.source(reader.name, ledger !== undefined && reader.replacesWindow === true ? ledger.track(reader.name, node) : node).into(normalized);
      }
      if (output.kind === 'write') {
        normalized.to('hourly', output.hourly(ledger));
        if (window.hourlyOnly !== true) normalized.to('daily', output.daily(ledger));
      } else {
        const onRow = params.onRow ?? (() => undefined);
        normalized.to('rows', sink<MetricRow>((row) => onRow(row), 'collect'));
      }
      return b.build();
    },
  });
}
