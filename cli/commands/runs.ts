// `etl runs`: the recorded runs, newest first (as Airflow's `dags list-runs`): status, timing, first error.
import type { Command } from 'commander';
import { UsageError } from '../../graph/errors.js';
import { isRecordStatus, isRunTrigger, RECORD_STATUSES, RUN_TRIGGERS, type RunRecord } from '../../runs/run-store.js';
import type { CliContext } from '../context.js';
import { formatTable } from '../text-table.js';

interface RunsOptions {
  readonly job?: string;
  readonly status?: string;
  readonly trigger?: string;
  readonly limit: string;
  readonly json?: boolean;
}

function duration(run: RunRecord): string {
  if (run.startedAt === null || run.finishedAt === null) return '';
  return `${((run.finishedAt - run.startedAt) / 1000).toFixed(2)}s`;
}

const instant = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));

function table(runs: readonly RunRecord[]): string {
  return formatTable(
    ['id', 'job', 'trigger', 'try', 'status', 'scheduled for', 'started', 'duration', 'process', 'error'],
    runs.map((r) => [
      String(r.id),
      r.job,
      r.trigger,
      String(r.attempt),
      r.status,
      instant(r.scheduledFor),
      instant(r.startedAt),
      duration(r),
      r.pid === null ? '' : `${r.pid}@${r.host ?? '?'}`,
      (r.error ?? '').split('\n')[0]!.slice(0, 100),
    ]),
    ['right', 'left', 'left', 'right', 'left', 'left', 'left', 'right', 'left'],
  );
}

export function registerRunsCommand(program: Command, ctx: CliContext): void {
  program
    .command('runs')
    .description('list recorded runs, newest first')
    .option('--job <name>', 'only runs of this job')
    .option('--status <status>', `only runs with this status (${RECORD_STATUSES.join(', ')})`)
    .option('--trigger <trigger>', `only runs started this way (${RUN_TRIGGERS.join(', ')})`)
    .option('--limit <n>', 'how many runs', '20')
    .option('--json', 'print JSON (per-node counts included)')
    .action(async (options: RunsOptions) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit: '${options.limit}' is not a positive whole number`);
      const { status, trigger } = options;
      if (status !== undefined && !isRecordStatus(status)) throw new UsageError(`--status: '${status}' is not one of ${RECORD_STATUSES.join(', ')}`);
      if (trigger !== undefined && !isRunTrigger(trigger)) throw new UsageError(`--trigger: '${trigger}' is not one of ${RUN_TRIGGERS.join(', ')}`);
      const store = (await ctx.runtime().runStorage()).runs;
      const runs = await store.list({
        limit,
        ...(options.job ? { job: options.job } : {}),
        ...(status ? { status } : {}),
        ...(trigger ? { trigger } : {}),
      });
      if (options.json) ctx.stdout.write(`${JSON.stringify(runs)}\n`);
      else if (runs.length === 0) ctx.stderr.write('no runs recorded yet\n');
      else ctx.stdout.write(table(runs));
    });
}
