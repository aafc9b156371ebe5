// Configuration -> reader specs: which readers are enabled, and one line for each that is skipped.
import { ConfigError } from '../../graph/index.js';
import type { ReaderSpec } from '../../jobs/read-job.js';
import { eventsReader } from '../../readers/events.js';
import { objectsReader } from '../../readers/objects.js';
import { DEFAULT_PROMETHEUS_SERVICE, prometheusReader } from '../../readers/prometheus.js';
import { spidersReader } from '../../readers/spiders.js';
import type { FileConfig } from '../../config/schema.js';

export interface SkippedReader {
  readonly name: string;
  readonly why: string;
}

export interface WiredReaders {
  readonly enabled: readonly ReaderSpec[];
  readonly skipped: readonly SkippedReader[];
}

/** Every reader this project ships, in the order the `all` job lists them, with what enables it. */
export const READER_NAMES = ['objects', 'spiders', 'events', 'prometheus', 'googleAnalytics'] as const;
export type ReaderName = (typeof READER_NAMES)[number];

const HOW_TO_ENABLE: Readonly<Record<ReaderName, string>> = {
  objects: 'set readers.objects.tables (and a source) in etl.config.json',
  spiders: 'set readers.spiders (a source and its status table) in etl.config.json',
  events: 'set readers.events (a source, its events table and columns) in etl.config.json',
  prometheus: 'set readers.prometheus.url and readers.prometheus.queries in etl.config.json',
  googleAnalytics: 'set readers.googleAnalytics.propertyId, keyFile and metrics in etl.config.json',
};

function sourceOf(config: FileConfig, reader: ReaderName, source: string | undefined): string {
  const name = source ?? 'website';
  const known = Object.keys(config.sources ?? {});
  if (!known.includes(name)) {
    throw new ConfigError(`readers.${reader}.source: '${name}' is not a configured source (sources: ${known.length ? known.join(', ') : 'none'})`);
  }
  return name;
}

/** Builds the specs of the configured readers; `warn` receives snapshot readers' past-window notices. */
export function wireReaders(config: FileConfig, warn: (message: string) => void): WiredReaders {
  const readers = config.readers ?? {};
  const enabled: ReaderSpec[] = [];
  const skipped: SkippedReader[] = [];
  for (const name of READER_NAMES) {
    const options = (readers as Record<string, { enabled?: boolean } | undefined>)[name];
    if (options === undefined) {
      skipped.push({ name, why: `not configured (${HOW_TO_ENABLE[name]})` });
      continue;
    }
    if (options.enabled === false) {
      skipped.push({ name, why: `disabled (readers.${name}.enabled is false)` });
      continue;
    }
    const spec = specFor(config, name);
    if (spec) enabled.push(spec);
  }
  return { enabled, skipped };

  function specFor(cfg: FileConfig, name: ReaderName): ReaderSpec | undefined {
    const r = cfg.readers ?? {};
    switch (name) {
      case 'objects': {
        const { enabled: _e, source, ...options } = r.objects!;
        const service = sourceOf(cfg, name, source);
        return { name, services: [service], node: (window) => objectsReader({ ...options, window, service, onWarning: warn }) };
      }
      case 'spiders': {
        const { enabled: _e, source, ...options } = r.spiders!;
        const service = sourceOf(cfg, name, source);
        return { name, services: [service], node: (window) => spidersReader({ ...options, window, service, onWarning: warn }) };
      }
      case 'events': {
        const { enabled: _e, source, ...options } = r.events!;
        const service = sourceOf(cfg, name, source);
        return { name, services: [service], node: (window) => eventsReader({ ...options, window, service }) };
      }
      case 'prometheus': {
        const { metrics, hourly, daily } = r.prometheus!;
        const service = DEFAULT_PROMETHEUS_SERVICE;
        const grains = { ...(hourly === undefined ? {} : { hourly }), ...(daily === undefined ? {} : { daily }) };
        return { name, services: [service], node: (window) => prometheusReader({ window, metrics, service, ...grains }) };
      }
      default:
        return undefined;
    }
  }
}
