// The package's public entry (`import { defineReader, defineJob, ... } from 'etl-metrics'`): what users' reader
// and job modules build on. Everything else is internal and may change.

// The engine: graphs of plain functions (source, map, filter, sink...), services, errors, running a graph.
export * from './graph/index.js';

// Jobs: a named graph and the services it needs (list compiled modules in `jobs` of etl.config.json).
export { defineJob, type Job, type JobParams } from './jobs/job.js';

// Readers: one object per reader (list compiled modules in `readers.custom` of etl.config.json).
export {
  defineReader,
  isReaderDefinition,
  sqlSource,
  type ReaderDefinition,
  type ReaderOptionsSchema,
  type ReaderServices,
  type ReaderSetup,
} from './readers/define-reader.js';
export { durationOption } from './readers/option-types.js';
// What a source database (`sources.<name>`) is to a node: `ctx.service<SqlClient>('website').query(sql, [$1...])`.
export type { SqlClient } from './readers/sql-client.js';

// The rows readers yield, and the window they read.
export type { MetricDims, MetricRow } from './metrics/row.js';
export type { ReadWindow } from './metrics/window.js';
export { startOfHour, windowDates } from './metrics/window.js';
export { HOUR_MS, toDateHour } from './metrics/time.js';
export { localHours, type LocalHour } from './metrics/local-hours.js';
export { metricNamePart } from './metrics/metric-name.js';

// Zod, the one whose schemas the configuration checks readers' options with (`options: z.strictObject({...})`).
export { z } from 'zod';
