// A reader definition: one object next to a reader's code holding all the wiring needs to add it to
// `etl read all`, `etl read <name>`, `etl inspect`, `etl config check` and the scheduler: its name, the zod
// schema of its options (the only place their rules live), the services it needs and how to create them
// from its options, its source node for a window, and whether it has history. Built-in readers and users'
// reader modules (`export default defineReader({...})`) are the same kind of object.
import type { z } from 'zod';
import { ConfigError } from '../graph/errors.js';
import type { SourceNode } from '../graph/node.js';
import type { ServiceProvider } from '../graph/services.js';
import type { MetricRow } from '../metrics/row.js';
import type { ReadWindow } from '../metrics/window.js';
import { DEFAULT_SQL_SERVICE } from './sql-client.js';

/** What a definition is told about its configuration. */
export interface ReaderSetup {
  /** Where its options sit, for messages: 'readers.events', or 'readers.custom[0] (stripe)'. */
  readonly where: string;
  /** The names of the configured SQL sources (`sources.<name>` and the collector's), for readers that read one. */
  readonly sources: readonly string[];
  /** Receives notices for the person running it (a snapshot reader asked for a past window). */
  readonly warn: (message: string) => void;
}

export interface ReaderServices {
  /** The services the source node uses: a source database's name, or one this reader provides. */
  readonly names: readonly string[];
  /** Providers this reader brings, created from its options (an HTTP API client); source databases come from `sources`. */
  readonly providers?: Readonly<Record<string, ServiceProvider>>;
}

/** A zod object schema (`z.strictObject({...})`): its keys are the reader's options under `readers.<key>`. */
export type ReaderOptionsSchema = z.ZodObject;

export interface ReaderDefinition<S extends ReaderOptionsSchema = ReaderOptionsSchema> {
  /** Lower-case name: `etl read <name>`, the graph node, metric names' usual first part. */
  readonly name: string;
  /** Its key under `readers` in etl.config.json (default: the name). */
  readonly key?: string;
  /** One line for `etl inspect` and the docs. */
  readonly description: string;
  /** Its options; `enabled` is added by the wiring. */
  readonly options: S;
  /** False for snapshot sources (current values only): a backfill records their past partitions skipped. */
  readonly history: boolean;
  /**
   * True when the source keeps its whole history (a table of events): a re-read window then replaces what it
   * stored there: its metrics' values it no longer gives become 0 (counts, `*.count`) or are removed (any
   * other value). False or absent (snapshots, APIs with limited retention): values it no longer gives stay.
   */
  readonly replacesWindow?: boolean;
  /** How to enable it when it is not configured (for `etl read all`'s "skipped" line). */
  readonly enable?: string;
  readonly services: (options: z.output<S>, setup: ReaderSetup) => ReaderServices;
  /** Its source node for a window (called once per run, with the options parsed by `options`). */
  readonly source: (options: z.output<S>, window: ReadWindow, setup: ReaderSetup) => SourceNode<MetricRow>;
}

/** Marks definitions, so a module's exports can be told apart (a user's module may hold a copy of this file). */
export const READER_DEFINITION = Symbol.for('etl-metrics.reader-definition');

const NAME = /^[a-z][a-z0-9-]{0,39}$/;

/** Checks and marks a reader definition; throws a TypeError naming what is wrong. */
export function defineReader<S extends ReaderOptionsSchema>(definition: ReaderDefinition<S>): ReaderDefinition<S> {
  const where = `defineReader(${JSON.stringify(definition?.name)})`;
  if (definition === null || typeof definition !== 'object') throw new TypeError('defineReader: expects an object { name, options, services, source, ... }');
  if (typeof definition.name !== 'string' || !NAME.test(definition.name)) throw new TypeError(`${where}: name must be lower-case letters, digits and '-', starting with a letter (at most 40)`);
  if (definition.key !== undefined && !/^[A-Za-z][A-Za-z0-9]*$/.test(definition.key)) throw new TypeError(`${where}: key must be letters and digits`);
  if (definition.key === 'custom') throw new TypeError(`${where}: 'custom' is the key of users' readers`);
  if (typeof definition.options?.safeParse !== 'function' || typeof (definition.options as { extend?: unknown }).extend !== 'function') {
    throw new TypeError(`${where}: options must be a zod object schema (z.object / z.strictObject)`);
  }
  for (const fn of ['services', 'source'] as const) if (typeof definition[fn] !== 'function') throw new TypeError(`${where}: ${fn} must be a function`);
  if (typeof definition.history !== 'boolean') throw new TypeError(`${where}: history must be true (it reads any past window) or false (current values only)`);
  return Object.freeze({ ...definition, [READER_DEFINITION]: true }) as ReaderDefinition<S>;
}

export function isReaderDefinition(value: unknown): value is ReaderDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[READER_DEFINITION] === true;
}

/** The key of a definition under `readers`. */
export function readerKey(definition: Pick<ReaderDefinition, 'name' | 'key'>): string {
  return definition.key ?? definition.name;
}

/** A reader's SQL source: `source` (default 'website') must be a configured one, else a ConfigError naming the key. */
export function sqlSource(source: string | undefined, setup: ReaderSetup): string {
  const name = source ?? DEFAULT_SQL_SERVICE;
  if (!setup.sources.includes(name)) {
    throw new ConfigError(`${setup.where}.source: '${name}' is not a configured source (sources: ${setup.sources.length ? setup.sources.join(', ') : 'none'})`);
  }
  return name;
}
