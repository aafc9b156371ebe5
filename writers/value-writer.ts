// The hourly and daily writers: sink nodes that validate (dims, metrics) rows and upsert them in batches.
import { UnrecoverableError } from '../graph/errors.js';
import type { NodeContext, SinkNode } from '../graph/node.js';
import type { MetricRow } from '../metrics/row.js';
import { copyBinary } from './copy-binary.js';
import { InvalidRowError, toMetricsDbError } from './errors.js';
import { METRICS_DB_SERVICE, type MetricsDb } from './metrics-db.js';
import { ensureMigrated } from './migrate.js';
import { ensureTimeZone } from './time-zone.js';
import { metricRegistryFor, type MetricRegistry } from './metric-registry.js';
import { dateProblem, dayNumber, granularityOf, hourProblem, metricNameProblem, toFiniteNumber, valueProblem, type Granularity } from './row-checks.js';
import { TurnBuffers } from './turn-buffers.js';
import { ValueBatch } from './value-batch.js';
import { replaceWindow, type WindowLedger } from './window-replace.js';
import { pathOf, valueTable, writeValues, type WritePath, type WriteStatement } from './write-values.js';

export interface WriterOptions {
  /** Values per statement (default 20,000). */
  readonly batchSize?: number;
  /** Service name of the metrics database (default 'metricsDb'). */
  readonly service?: string;
  /** COPY batches whose keys are all new (default true); false always upserts. */
  readonly copyWhenFresh?: boolean;
  /** Upsert by MERGE where the database has it (default true); false always uses INSERT ... ON CONFLICT. */
  readonly merge?: boolean;
  /** Called after each batch is committed (tests, benchmarks). */
  readonly onBatch?: (info: { readonly path: WritePath; readonly statement: WriteStatement; readonly values: number }) => void;
  readonly label?: string;
  /** A read run's ledger: after the last batch, the window's stale values of its readers are cleared (window-replace.ts). */
  readonly replace?: WindowLedger;
}

export const DEFAULT_WRITER_BATCH_SIZE = 20_000;

/** Writes rows that have an hour into hourly_value; other rows are skipped silently. */
export function hourlyWriter(options: WriterOptions = {}): SinkNode<MetricRow> {
  return valueWriter('hourly', options);
}

/** Writes rows without an hour into daily_value; other rows are skipped silently. */
export function dailyWriter(options: WriterOptions = {}): SinkNode<MetricRow> {
  return valueWriter('daily', options);
}

type Verdict = 'done' | 'defer';

/**
 * One writer for one run. Each value is validated (bad ones reported with their reason, never written),
 * its metric name resolved to an id, and buffered; full batches are written while the next one fills
 * (at most one batch in flight). `out` counts the values written, reported as their batch commits.
 */
function valueWriter(granularity: Granularity, options: WriterOptions): SinkNode<MetricRow> {
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_WRITER_BATCH_SIZE);
  const serviceName = options.service ?? METRICS_DB_SERVICE;
  const hourly = granularity === 'hourly';
  const batch = new ValueBatch();
  const copyBuffers = new TurnBuffers();
  const days = new Map<string, number>();
  let db: MetricsDb | undefined;
  let registry: MetricRegistry | undefined;
  let spec: ReturnType<typeof valueTable> | undefined;
  let inflight: Promise<number> | undefined;

  const where = (ctx: NodeContext): string => `${granularity} writer '${ctx.node}'`;

  async function open(ctx: NodeContext): Promise<MetricsDb> {
    if (db !== undefined) return db;
    const service = ctx.service<MetricsDb>(serviceName);
    if (service === null || typeof service !== 'object' || typeof service.transaction !== 'function') {
      throw new UnrecoverableError(`${where(ctx)}: service '${serviceName}' is not a metrics database`);
    }
    await ensureMigrated(service);
    await ensureTimeZone(service);
    registry = metricRegistryFor(service);
    spec = valueTable(service.settings.schema, granularity);
    db = service;
    return service;
  }

  function dayOf(date: string): number {
    let day = days.get(date);
    if (day === undefined) {
      day = dayNumber(date);
      if (days.size > 10_000) days.clear();
      days.set(date, day);
    }
    return day;
  }

  function accept(row: MetricRow, ctx: NodeContext): Verdict {
    if (granularityOf(row) !== granularity) return 'done';
    const dims = (row !== null && typeof row === 'object' ? row.dims : undefined) as { date?: unknown; hour?: unknown } | null | undefined;
    if (dims === null || typeof dims !== 'object') {
      ctx.reportError(new InvalidRowError('row is not a {dims, metrics} pair (dims is missing)'), row);
      return 'done';
    }
    const date = dims.date;
    if (typeof date !== 'string' || !days.has(date)) {
      const problem = dateProblem(date);
      if (problem !== undefined) {
        ctx.reportError(new InvalidRowError(problem), row);
        return 'done';
      }
    }
    let hour = 0;
    if (hourly) {
      const problem = hourProblem(dims.hour);
      if (problem !== undefined) {
        ctx.reportError(new InvalidRowError(problem), row);
        return 'done';
      }
      hour = dims.hour as number;
    }
    const metrics = row.metrics as unknown;
    if (metrics === null || typeof metrics !== 'object' || Array.isArray(metrics)) {
      ctx.reportError(new InvalidRowError('metrics is not an object of {name: value}'), row);
      return 'done';
    }
    const reg = registry!;
    for (const name in metrics) {
      if (reg.cached(name) === undefined && metricNameProblem(name) === undefined) return 'defer';
    }
    const day = dayOf(date as string);
    for (const name in metrics) {
      const id = reg.cached(name);
      if (id === undefined) {
        ctx.reportError(new InvalidRowError(metricNameProblem(name) ?? 'metric name is not valid', name), row);
        continue;
      }
      const raw = (metrics as Record<string, unknown>)[name];
      const value = toFiniteNumber(raw);
      if (Number.isNaN(value)) {
        ctx.reportError(new InvalidRowError(valueProblem(raw), name), row);
        continue;
      }
      batch.push(id, day, hour, value);
    }
    return 'done';
  }

  /** Starts writing the pending values; resolves to the values written by the batch that was in flight. */
  async function flush(ctx: NodeContext): Promise<number> {
    const prepared = batch.take();
    const copyWhenFresh = options.copyWhenFresh !== false;
    // Encoded while the previous batch is still being written: the database never waits for this work.
    const copyData = copyWhenFresh && prepared.count > 0 ? copyBinary(granularity, prepared, copyBuffers) : undefined;
    const previous = inflight === undefined ? 0 : await inflight;
    inflight = undefined;
    if (prepared.accepted === 0) return previous;
    const write = writeValues(db!, spec!, prepared, { copyWhenFresh, copyData, merge: options.merge !== false, where: where(ctx) }).then((statement) => {
      options.onBatch?.({ path: pathOf(statement), statement, values: prepared.accepted });
      return prepared.accepted;
    });
    // Handled where it is awaited (next flush or finish); this only keeps it from being reported as unhandled.
    write.catch(() => undefined);
    inflight = write;
    return previous;
  }

  return {
    kind: 'sink',
    label: options.label ?? `${granularity} values`,
    async writeBatch(rows, ctx) {
      await open(ctx);
      let deferred: MetricRow[] | undefined;
      for (const row of rows) if (accept(row, ctx) === 'defer') (deferred ??= []).push(row);
      if (deferred !== undefined) {
        const names = new Set<string>();
        for (const row of deferred) {
          for (const name in row.metrics) if (metricNameProblem(name) === undefined) names.add(name);
        }
        await registry!.resolve(names);
        for (const row of deferred) accept(row, ctx);
      }
      return batch.length >= batchSize ? flush(ctx) : 0;
    },
    async finish(ctx) {
      // A window the source now gives nothing for still clears what its readers stored there.
      if (db === undefined && (options.replace === undefined || options.replace.finished().size === 0)) return 0;
      await open(ctx);
      const previous = await flush(ctx);
      const last = inflight === undefined ? 0 : await inflight;
      inflight = undefined;
      const cleared = options.replace === undefined || ctx.signal.aborted ? 0 : await replaceWindow(db!, granularity, options.replace).catch((error: unknown) => {
        throw toMetricsDbError(`${where(ctx)}: clearing values the source no longer gives`, error, db!.secrets);
      });
      return previous + last + cleared;
    },
  };
}
