// Configuration -> reader specs: which readers are enabled, and one line for each that is skipped.
import type { FileConfig, ReadersConfig } from '../config/index.js';
import { ConfigError } from '../graph/index.js';
import type { ReaderSpec } from '../jobs/read-job.js';
import { eventsReader } from '../readers/events.js';
import { DEFAULT_ANALYTICS_SERVICE, googleAnalyticsReader } from '../readers/google-analytics.js';
import { objectsReader } from '../readers/objects.js';
import { DEFAULT_PROMETHEUS_SERVICE, prometheusReader } from '../readers/prometheus.js';
import { spidersReader } from '../readers/spiders.js';
import { READER_NAMES } from './reader-names.js';

export interface SkippedReader {
  readonly name: string;
  readonly why: string;
}

export interface WiredReaders {
  readonly enabled: readonly ReaderSpec[];
  readonly skipped: readonly SkippedReader[];
}

/** Every reader this project ships: its name (CLI, graph node) and its key under `readers` in the file. */
const READERS = [
  { name: 'objects', key: 'objects', enable: 'set readers.objects.tables (and a source) in etl.config.json' },
  { name: 'spiders', key: 'spiders', enable: 'set readers.spiders (a source and its status table) in etl.config.json' },
  { name: 'events', key: 'events', enable: 'set readers.events (a source, its events table and columns) in etl.config.json' },
  { name: 'prometheus', key: 'prometheus', enable: 'set readers.prometheus.url and readers.prometheus.metrics in etl.config.json' },
  {
    name: 'google-analytics',
    key: 'googleAnalytics',
    enable: 'set readers.googleAnalytics.propertyId, metrics and keyFile in etl.config.json',
  },
] as const satisfies ReadonlyArray<{ name: string; key: keyof ReadersConfig; enable: string }>;

export { READER_NAMES };

function sourceOf(config: FileConfig, key: string, source: string | undefined): string {
  const name = source ?? 'website';
  const known = Object.keys(config.sources ?? {});
  if (!known.includes(name)) {
    throw new ConfigError(`readers.${key}.source: '${name}' is not a configured source (sources: ${known.length ? known.join(', ') : 'none'})`);
  }
  return name;
}

function grains(options: { hourly?: boolean | undefined; daily?: boolean | undefined }): { hourly?: boolean; daily?: boolean } {
  return { ...(options.hourly === undefined ? {} : { hourly: options.hourly }), ...(options.daily === undefined ? {} : { daily: options.daily }) };
}

function specFor(config: FileConfig, name: (typeof READERS)[number]['name'], warn: (message: string) => void): ReaderSpec {
  const r = config.readers ?? {};
  switch (name) {
    case 'objects': {
      const { enabled: _e, source, ...options } = r.objects!;
      const service = sourceOf(config, 'objects', source);
      return { name, services: [service], node: (window) => objectsReader({ ...options, window, service, onWarning: warn }) };
    }
    case 'spiders': {
      const { enabled: _e, source, ...options } = r.spiders!;
      const service = sourceOf(config, 'spiders', source);
      return { name, services: [service], node: (window) => spidersReader({ ...options, window, service, onWarning: warn }) };
    }
    case 'events': {
      const { enabled: _e, source, ...options } = r.events!;
      const service = sourceOf(config, 'events', source);
      return { name, services: [service], node: (window) => eventsReader({ ...options, window, service }) };
    }
    case 'prometheus': {
      const { metrics, ...rest } = r.prometheus!;
      const service = DEFAULT_PROMETHEUS_SERVICE;
      return { name, services: [service], node: (window) => prometheusReader({ window, metrics, service, ...grains(rest) }) };
    }
    case 'google-analytics': {
      const { propertyId, metrics, pageSize, timeout, ...rest } = r.googleAnalytics!;
      const service = DEFAULT_ANALYTICS_SERVICE;
      const page = pageSize === undefined ? {} : { pageSize };
      return { name, services: [service], node: (window) => googleAnalyticsReader({ window, propertyId, metrics, service, timeoutMs: timeout, ...page, ...grains(rest) }) };
    }
  }
}

/** Builds the specs of the configured readers; `warn` receives snapshot readers' past-window notices. */
export function wireReaders(config: FileConfig, warn: (message: string) => void): WiredReaders {
  const readers = (config.readers ?? {}) as Record<string, { enabled?: boolean } | undefined>;
  const enabled: ReaderSpec[] = [];
  const skipped: SkippedReader[] = [];
  for (const { name, key, enable } of READERS) {
    const options = readers[key];
    if (options === undefined) skipped.push({ name, why: `not configured (${enable})` });
    else if (options.enabled === false) skipped.push({ name, why: `disabled (readers.${key}.enabled is false)` });
    else enabled.push(specFor(config, name, warn));
  }
  return { enabled, skipped };
}

// reader-names.ts lists the same names for `etl --help`, without loading the readers: keep them in step.
if (READERS.map((r) => r.name).join() !== READER_NAMES.join()) throw new TypeError('cli/wiring/reader-names.ts is out of step with READERS');
