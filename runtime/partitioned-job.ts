// The read jobs that have partitions: `all` and one job per enabled reader, each reading a window into the
// metrics database. A job of snapshot readers only (objects, spiders: no history) has its past partitions
// recorded skipped with the reason.
import type { LoadedConfig } from '../config/index.js';
import { UsageError } from '../graph/errors.js';
import type { Job, JobParams } from '../jobs/job.js';
import { metricsDbOutput, readJob, type ReaderSpec } from '../jobs/read-job.js';
import type { WiredReaders } from './readers.js';

export interface PartitionedJob {
  readonly job: Job<JobParams>;
  /** Set when the job reads no history: why its past partitions are skipped. */
  readonly skippedReason?: string;
}

/** The read job of `readers` named `name` (into the metrics database). */
export function readJobOf(config: LoadedConfig, name: string, readers: readonly ReaderSpec[]): Job<JobParams> {
  return readJob({ name, readers, output: metricsDbOutput(), timeZone: config.timeZone }) as unknown as Job<JobParams>;
}

/** The names of the partitioned jobs: 'all' and each enabled reader. */
export function partitionedJobNames(readers: WiredReaders): string[] {
  return readers.enabled.length === 0 ? [] : ['all', ...readers.enabled.map((r) => r.name)];
}

/** The partitioned job `name`; a UsageError names the jobs there are. */
export function partitionedJob(config: LoadedConfig, readers: WiredReaders, name: string, suggest: (name: string, names: readonly string[]) => string = () => ''): PartitionedJob {
  const names = ['all', ...readers.names];
  if (!names.includes(name)) throw new UsageError(`unknown read job '${name}' (${suggest(name, names)}partitioned jobs: ${names.join(', ')})`);
  const chosen = name === 'all' ? readers.enabled : readers.enabled.filter((r) => r.name === name);
  if (chosen.length === 0) throw new UsageError(`source '${name}' is not enabled in ${config.source.file}`);
  const job = readJobOf(config, name, chosen);
  const snapshotOnly = chosen.every((r) => !r.history);
  return snapshotOnly ? { job, skippedReason: `${chosen.map((r) => r.name).join(', ')} read current values only (no history): past days cannot be read` } : { job };
}
