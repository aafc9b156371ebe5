// `etl db migrate` and `etl db info`: the metrics database's schema and what it holds.
import type { Command } from 'commander';
import { UsageError } from '../../graph/errors.js';
import type { CliContext } from '../context.js';
import { EXIT_RUN_FAILED } from '../exit-codes.js';

export function registerDbCommand(program: Command, ctx: CliContext): void {
  const db = program.command('db').description('the metrics database: migrate, info');

  db.command('migrate')
    .description('apply the schema migrations not yet applied (a no-op when up to date)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { migrate } = await import('../../writers/migrate.js');
      const metricsDb = await ctx.runtime().metricsDb();
      try {
        const result = await migrate(metricsDb);
        const { schema } = metricsDb.settings;
        if (options.json) {
          ctx.stdout.write(`${JSON.stringify({ backend: metricsDb.backend, target: metricsDb.target, schema, ...result })}\n`);
          return;
        }
        const what = result.applied.length === 0 ? 'already up to date' : `applied migration${result.applied.length > 1 ? 's' : ''} ${result.applied.join(', ')}`;
        ctx.stdout.write(`${metricsDb.target} schema ${schema}: version ${result.to} (${what})\n`);
      } finally {
        await metricsDb.close();
      }
    });

  db.command('info')
    .description('backend, location (password masked), schema version and row counts')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { describeMetricsDb } = await import('../../writers/db-info.js');
      const metricsDb = await ctx.runtime().metricsDb();
      try {
        const info = await describeMetricsDb(metricsDb);
        if (options.json) {
          ctx.stdout.write(`${JSON.stringify(info)}\n`);
          if (info.problems.length > 0) ctx.setExitCode(EXIT_RUN_FAILED);
          return;
        }
        const damaged = info.problems.length > 0;
        const state =
          info.version === 0 ? 'not created yet (run `etl db migrate`)'
          : info.version < info.latestVersion ? `needs migration to ${info.latestVersion}`
          : damaged ? `damaged: ${info.problems.join('; ')}`
          : 'up to date';
        const zone =
          info.recordedTimeZone === null ? `${info.timeZone} (none recorded yet: the first write records it)`
          : info.recordedTimeZone === info.timeZone ? info.timeZone
          : `${info.recordedTimeZone} recorded, but ${info.timeZone} configured: writes are refused (see \`etl db time-zone\`)`;
        const lines = [
          ['backend', info.backend],
          ['location', info.target],
          ['schema', `${info.schema} (version ${info.version} of ${info.latestVersion}: ${state})`],
          ['time zone', zone],
          ...Object.entries(info.rows ?? {}).map(([table, n]) => [`rows ${table}`, String(n)]),
        ];
        const width = Math.max(...lines.map(([k]) => k!.length));
        for (const [key, value] of lines) ctx.stdout.write(`${key!.padEnd(width)}  ${value}\n`);
        if (damaged) {
          ctx.stderr.write(`etl: schema ${info.schema} does not match version ${info.version}: ${info.problems.join('; ')} (changed by hand?); restore it from a backup or recreate the schema\n`);
          ctx.setExitCode(EXIT_RUN_FAILED);
        }
      } finally {
        await metricsDb.close();
      }
    });

  db.command('time-zone')
    .description("show the zone of the database's dates and hours, or change it on purpose (--yes)")
    .argument('[zone]', 'IANA time zone to record (e.g. Europe/Paris)')
    .option('--yes', 'change it: values already written keep their dates and hours')
    .action(async (zone: string | undefined, options: { yes?: boolean }) => {
      const [{ isValidTimeZone }, { recordedTimeZone, setTimeZone }] = await Promise.all([import('../../metrics/time.js'), import('../../writers/time-zone.js')]);
      const metricsDb = await ctx.runtime().metricsDb();
      try {
        if (zone === undefined) {
          const recorded = await recordedTimeZone(metricsDb);
          ctx.stdout.write(`${recorded ?? `none recorded yet (the first write records ${metricsDb.settings.timeZone})`}\n`);
          return;
        }
        if (!isValidTimeZone(zone)) throw new UsageError(`zone: '${zone}' is not an IANA time zone (e.g. UTC, Europe/Paris)`);
        if (!options.yes) throw new UsageError(`changing the time zone to ${zone} needs --yes: values already written keep the dates and hours of the old zone`);
        const before = await setTimeZone(metricsDb, zone);
        ctx.stdout.write(`time zone of ${metricsDb.target}: ${before ?? '(none)'} -> ${zone}; set ETL_TIMEZONE (or timeZone) to ${zone} for the next runs\n`);
      } finally {
        await metricsDb.close();
      }
    });
}
