// The read jobs that have partitions: `all` and one job per enabled reader, each reading a window into the
// metrics database. A job of snapshot readers only (objects, spiders) reads no history: its past partitions
// are recorded skipped with the reason.
import type { LoadedConfig } from '../config/index.js';
import { UsageError } from '../graph/errors.js';
import type { Job, JobParams } from '../jobs/job.js';
import { metricsDbOutput, readJob, type ReaderSpec } from '../jobs/read-job.js';
import { READER_NAMES } from './reader-names.js';
import { wireReaders } from './readers.js';

/** Readers that read the present only. */
const SNAPSHOT_READERS: ReadonlySet<string> = new Set(['objects', 'spiders']);

export interface PartitionedJob {
  readonly job: Job<JobParams>;
  /** Set when the job reads no history: why its past partitions are skipped. */
  readonly skippedReason?: string;
}

/** The read job of `readers` named `name` (into the metrics database). */
export function readJobOf(config: LoadedConfig, name: string, readers: readonly ReaderSpec[]): Job<JobParams> {
  return readJob({ name, readers, output: metricsDbOutput(), timeZone: config.timeZone }) as unknown as Job<JobParams>;
}

/** The names of the partitioned jobs of a configuration: 'all' and each enabled reader. */
export function partitionedJobNames(config: LoadedConfig): string[] {
  const { enabled } = wireReaders(config.file, () => undefined);
  return enabled.length === 0 ? [] : ['all', ...enabled.map((r) => r.name)];
}

/** The partitioned job `name`; a UsageError names the jobs there are. */
export function partitionedJob(config: LoadedConfig, name: string, suggest: (name: string, names: readonly string[]) => string = () => ''): PartitionedJob {
  const names = ['all', ...READER_NAMES];
  if (!names.includes(name)) throw new UsageError(`unknown read job '${name}' (${suggest(name, names)}partitioned jobs: ${names.join(', ')})`);
  const { enabled } = wireReaders(config.file, () => undefined);
  const chosen = name === 'all' ? enabled : enabled.filter((r) => r.name === name);
  if (chosen.length === 0) throw new UsageError(`source '${name}' is not enabled in ${config.source.file}`);
  const job = readJobOf(config, name, chosen);
  const snapshotOnly = chosen.every((r) => SNAPSHOT_READERS.has(r.name));
  return snapshotOnly ? { job, skippedReason: `${chosen.map((r) => r.name).join(', ')} read current values only (no history): past days cannot be read` } : { job };
}
