// Configuration -> reader specs: the built-in readers' definitions and the users' reader modules
// (`readers.custom`), each with its options checked by its own schema, its services and its source node;
// which are enabled, and one line for each that is skipped.
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import type { FileConfig, LoadedConfig } from '../config/index.js';
import { formatIssues } from '../config/load.js';
import { ConfigError, describeError } from '../graph/index.js';
import type { ServiceProvider } from '../graph/services.js';
import type { ReaderSpec } from '../jobs/read-job.js';
import { BUILTIN_READERS } from '../readers/builtin-readers.js';
import { isReaderDefinition, readerKey, type ReaderDefinition, type ReaderSetup } from '../readers/define-reader.js';

export interface SkippedReader {
  readonly name: string;
  readonly why: string;
}

export interface WiredReader extends ReaderSpec {
  /** False for snapshot sources (current values only). */
  readonly history: boolean;
  readonly description: string;
  /** Providers the reader brings (an API client made from its options). */
  readonly providers: Readonly<Record<string, ServiceProvider>>;
}

export interface WiredReaders {
  readonly enabled: readonly WiredReader[];
  readonly skipped: readonly SkippedReader[];
  /** Every reader's name, enabled or not, built-in first. */
  readonly names: readonly string[];
}

/** The SQL sources readers may name: `sources.<name>` and the collector's raw-events source. */
function sourceNames(config: FileConfig): string[] {
  return [...new Set([...Object.keys(config.sources ?? {}), ...(config.collector ? [config.collector.source] : [])])];
}

/** Options checked by the definition's own schema; a ConfigError names the file and key. */
function parseOptions(definition: ReaderDefinition, raw: unknown, file: string, where: string): Record<string, unknown> {
  const parsed = (definition.options as z.ZodObject).safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(formatIssues(file, parsed.error.issues, where));
  return parsed.data as Record<string, unknown>;
}

function wire(definition: ReaderDefinition, options: Record<string, unknown>, setup: ReaderSetup, file: string): WiredReader {
  let services: ReturnType<ReaderDefinition['services']>;
  try {
    services = definition.services(options, setup);
  } catch (error) {
    throw error instanceof ConfigError ? new ConfigError(`${file}: ${error.message}`) : new ConfigError(`${file}: ${setup.where}: ${describeError(error)}`);
  }
  return {
    name: definition.name,
    description: definition.description,
    history: definition.history,
    ...(definition.replacesWindow === true ? { replacesWindow: true } : {}),
    services: services.names,
    providers: services.providers ?? {},
    node: (window) => definition.source(options, window, setup),
  };
}

/** A user's reader module: its default export, or its one exported definition. */
async function loadReaderModule(path: string, where: string): Promise<ReaderDefinition> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`${where}.module: cannot load ${path}: ${describeError(error)}`);
  }
  if (isReaderDefinition(module.default)) return module.default;
  const found = Object.entries(module).filter(([, value]) => isReaderDefinition(value));
  if (found.length === 1) return found[0]![1] as ReaderDefinition;
  throw new ConfigError(
    found.length === 0
      ? `${where}.module: ${path} exports no reader (export default defineReader({ ... }))`
      : `${where}.module: ${path} exports ${found.length} readers (${found.map(([k]) => k).join(', ')}): one module, one reader`,
  );
}

/**
 * Builds the specs of the configured readers: built-in ones under their key, users' modules from
 * `readers.custom` (paths relative to the configuration file). `warn` receives snapshot readers' notices.
 */
export async function wireReaders(config: LoadedConfig, warn: (message: string) => void): Promise<WiredReaders> {
  const file = config.source.file;
  const readers = (config.file.readers ?? {}) as Record<string, unknown>;
  const sources = sourceNames(config.file);
  const enabled: WiredReader[] = [];
  const skipped: SkippedReader[] = [];
  const names: string[] = [];
  for (const definition of BUILTIN_READERS as readonly ReaderDefinition[]) {
    const key = readerKey(definition);
    names.push(definition.name);
    const raw = readers[key] as { enabled?: boolean } | undefined;
    if (raw === undefined) skipped.push({ name: definition.name, why: `not configured (${definition.enable ?? `set readers.${key} in etl.config.json`})` });
    else if (raw.enabled === false) skipped.push({ name: definition.name, why: `disabled (readers.${key}.enabled is false)` });
    else {
      const { enabled: _e, ...options } = raw;
      const where = `readers.${key}`;
      enabled.push(wire(definition, parseOptions(definition, options, file, where), { where, sources, warn }, file));
    }
  }
  const custom = (config.file.readers?.custom ?? []) as ReadonlyArray<{ module: string; enabled?: boolean; options?: Record<string, unknown> }>;
  for (const [i, entry] of custom.entries()) {
    const at = `readers.custom[${i}]`;
    const definition = await loadReaderModule(resolve(dirname(file), entry.module), `${file}: ${at}`);
    if (names.includes(definition.name)) throw new ConfigError(`${file}: ${at}: a reader is already named '${definition.name}' (${entry.module})`);
    names.push(definition.name);
    const where = `${at} (${definition.name}).options`;
    if (entry.enabled === false) skipped.push({ name: definition.name, why: `disabled (${at}.enabled is false)` });
    else enabled.push(wire(definition, parseOptions(definition, entry.options, file, where), { where, sources, warn }, file));
  }
  return { enabled, skipped, names };
}
