// `etl jobs`: every job with its schedule (cron, zone), next firing, last run (status, when) and paused state.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

interface JobLine {
  readonly name: string;
  readonly description: string;
  readonly services: readonly string[];
  readonly schedule: { readonly cron: string; readonly timeZone: string; readonly retries: number; readonly next: string } | null;
  readonly paused: boolean;
  readonly lastRun: { readonly id: number; readonly status: string; readonly at: string | null } | null;
}

const when = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));

export function registerJobsCommand(program: Command, ctx: CliContext): void {
  program
    .command('jobs')
    .description('list the jobs: schedule, next firing, last run, paused')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const [{ resolveSchedules }, { nextFiring }, { formatTable }] = await Promise.all([
        import('../../runtime/schedules.js'),
        import('../../scheduler/schedule.js'),
        import('../text-table.js'),
      ]);
      const registry = await ctx.runtime().registry();
      const schedules = new Map(resolveSchedules(ctx.runtime().config, registry).map((s) => [s.job, s]));
      let paused: ReadonlySet<string> = new Set();
      const last = new Map<string, JobLine['lastRun']>();
      try {
        const { runs: store, jobs } = await ctx.runtime().runStorage();
        paused = await jobs.pausedJobs();
        for (const job of registry.names()) {
          const [run] = await store.list({ job, limit: 1 });
          if (run !== undefined) last.set(job, { id: run.id, status: run.status, at: when(run.finishedAt ?? run.startedAt ?? run.queuedAt) });
        }
      } catch (error) {
        ctx.stderr.write(`warning: runs and paused jobs not shown: ${error instanceof Error ? error.message : String(error)}\n`);
      }
      const now = Date.now();
      const lines: JobLine[] = registry.list().map((job) => {
        const s = schedules.get(job.name);
        return {
          name: job.name,
          description: job.description,
          services: job.services,
          schedule: s === undefined ? null : { cron: s.cron, timeZone: s.timeZone, retries: s.retries, next: new Date(nextFiring(s, now)).toISOString() },
          paused: paused.has(job.name),
          lastRun: last.get(job.name) ?? null,
        };
      });
      if (options.json) {
        ctx.stdout.write(`${JSON.stringify(lines, null, 2)}\n`);
        return;
      }
      ctx.stdout.write(
        formatTable(
          ['job', 'schedule', 'next firing', 'paused', 'last run', 'description'],
          lines.map((l) => [
            l.name,
            l.schedule ? `${l.schedule.cron} (${l.schedule.timeZone})` : '-',
            l.schedule ? when(Date.parse(l.schedule.next))! : '',
            l.paused ? 'paused' : '',
            l.lastRun ? `${l.lastRun.id} ${l.lastRun.status} ${l.lastRun.at ?? ''}`.trim() : '',
            l.description,
          ]),
        ),
      );
    });
}
