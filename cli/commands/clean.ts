// `etl clean`: deletes hourly values and run records older than their retention; prints what it deleted.
import type { Command } from 'commander';
import { UsageError } from '../../graph/errors.js';
import type { CliContext } from '../context.js';

function days(option: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value)) throw new UsageError(`${option}: '${value}' is not a whole number of days`);
    return Number(value);
  };
}

/** Below one day, a retention deletes (nearly) everything: only with --yes. */
function checkRetention(option: string, value: number | undefined, what: string, yes: boolean): void {
  if (value !== undefined && value < 1 && !yes) {
    throw new UsageError(`${option} ${value} deletes ${what}; nothing was deleted. Pass --yes to do it, or keep at least 1 day`);
  }
}

export function registerCleanCommand(program: Command, ctx: CliContext): void {
  program
    .command('clean')
    .description('delete hourly values and run records past their retention (daily values are kept)')
    .option('--retention-days <days>', 'keep hourly values of the last N days (default: ETL_RETENTION_DAYS or 90)', days('--retention-days'))
    .option('--run-retention-days <days>', 'keep run records of the last N days (default: ETL_RUN_RETENTION_DAYS or 30)', days('--run-retention-days'))
    .option('--yes', 'allow a retention of 0 days (deletes every hourly value before today / every run record)')
    .option('--json', 'print JSON')
    .action(async (options: { retentionDays?: number; runRetentionDays?: number; yes?: boolean; json?: boolean }) => {
      const { cleanMetrics } = await import('../../writers/cleanup.js');
      checkRetention('--retention-days', options.retentionDays, 'every hourly value dated before today', options.yes === true);
      checkRetention('--run-retention-days', options.runRetentionDays, 'every run record that has finished', options.yes === true);
      const db = await ctx.runtime().metricsDb();
      try {
        const result = await cleanMetrics(db, {
          ...(options.retentionDays === undefined ? {} : { hourlyRetentionDays: options.retentionDays }),
          ...(options.runRetentionDays === undefined ? {} : { runRetentionDays: options.runRetentionDays }),
        });
        if (options.json) {
          ctx.stdout.write(`${JSON.stringify(result)}\n`);
          return;
        }
        const { hourlyValues, jobRuns } = result.deleted;
        ctx.stdout.write(`deleted ${hourlyValues} hourly value${hourlyValues === 1 ? '' : 's'} dated before ${result.hourlyBefore}\n`);
        ctx.stdout.write(`deleted ${jobRuns} run record${jobRuns === 1 ? '' : 's'} from before ${result.runsBefore}\n`);
      } finally {
        await db.close();
      }
    });
}
