// `etl jobs`: lists the jobs with their services and schedules.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerJobsCommand(program: Command, ctx: CliContext): void {
  program
    .command('jobs')
    .description('list the jobs')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const jobs = (await ctx.registry()).list();
      if (options.json) {
        const data = jobs.map((j) => ({ name: j.name, description: j.description, services: j.services, schedule: j.schedule ?? null }));
        ctx.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
        return;
      }
      const width = Math.max(4, ...jobs.map((j) => j.name.length));
      for (const job of jobs) {
        const extra = [job.services.length ? `services: ${job.services.join(', ')}` : '', job.schedule ? `schedule: ${job.schedule}` : '']
          .filter(Boolean)
          .join('; ');
        ctx.stdout.write(`${job.name.padEnd(width)}  ${job.description}${extra ? ` (${extra})` : ''}\n`);
      }
    });
}
